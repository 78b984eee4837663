package io.k4j.controllers.job;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.k4j.controllers.api.Pods;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The pods a Job makes, and the order it removes them in. */
final class JobPods {

    static final String TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";
    static final String INDEX_FAILURE_COUNT = "batch.kubernetes.io/job-index-failure-count";
    static final String INDEX_ENV = "JOB_COMPLETION_INDEX";

    private JobPods() {
    }

    /**
     * A pod from the Job's template with the tracking finalizer (so the Job counts it exactly once, even after it is
     * deleted); for an Indexed Job, {@code index} in an annotation, a label, the hostname and JOB_COMPLETION_INDEX.
     */
    static Pod newPod(Job job, Integer index, int indexFailures) {
        String name = job.getMetadata().getName();
        Pod pod = Pods.fromTemplate(job.getSpec().getTemplate(), job, name + "-" + (index == null ? "" : index + "-"),
                null);
        List<String> finalizers = new ArrayList<>(pod.getMetadata().getFinalizers() == null ? List.of()
                : pod.getMetadata().getFinalizers());
        finalizers.add(TRACKING_FINALIZER);
        pod.getMetadata().setFinalizers(finalizers);
        if (index == null) {
            return pod;
        }
        String value = Integer.toString(index);
        pod.getMetadata().getAnnotations().put(CompletionIndexes.ANNOTATION, value);
        pod.getMetadata().getLabels().put(CompletionIndexes.ANNOTATION, value);
        if (indexFailures > 0) {
            pod.getMetadata().getAnnotations().put(INDEX_FAILURE_COUNT, Integer.toString(indexFailures));
        }
        if (pod.getSpec().getHostname() == null) {
            pod.getSpec().setHostname(name + "-" + value);
        }
        EnvVar env = new EnvVarBuilder().withName(INDEX_ENV).withNewValueFrom().withNewFieldRef()
                .withFieldPath("metadata.annotations['" + CompletionIndexes.ANNOTATION + "']").endFieldRef()
                .endValueFrom().build();
        addEnv(pod.getSpec().getInitContainers(), env);
        addEnv(pod.getSpec().getContainers(), env);
        return pod;
    }

    private static void addEnv(List<Container> containers, EnvVar env) {
        if (containers == null) {
            return;
        }
        for (Container container : containers) {
            List<EnvVar> vars = new ArrayList<>(container.getEnv() == null ? List.of() : container.getEnv());
            if (vars.stream().noneMatch(v -> INDEX_ENV.equals(v.getName()))) {
                vars.add(env);
            }
            container.setEnv(vars);
        }
    }

    /** The failures an index has had, from its failed pods' failure-count annotations. */
    static int indexFailures(List<Pod> failedPodsOfIndex) {
        int failures = 0;
        for (Pod pod : failedPodsOfIndex) {
            Map<String, String> annotations = pod.getMetadata().getAnnotations() == null ? Map.of()
                    : pod.getMetadata().getAnnotations();
            try {
                failures = Math.max(failures, Integer.parseInt(annotations.getOrDefault(INDEX_FAILURE_COUNT, "0")) + 1);
            } catch (NumberFormatException e) {
                failures = Math.max(failures, 1);
            }
        }
        return failures;
    }

    static boolean hasTrackingFinalizer(Pod pod) {
        return pod.getMetadata().getFinalizers() != null && pod.getMetadata().getFinalizers().contains(TRACKING_FINALIZER);
    }

    /** The finalizers left once the tracking one is removed (a merge patch sets the whole list). */
    static Map<String, Object> withoutTrackingFinalizer(Pod pod) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("finalizers", pod.getMetadata().getFinalizers().stream()
                .filter(f -> !TRACKING_FINALIZER.equals(f)).toList());
        metadata.put("resourceVersion", pod.getMetadata().getResourceVersion());
        return Map.of("metadata", metadata);
    }

    /** Upstream's order for removing active pods: unscheduled, then pending, then not ready, then the newest. */
    static final Comparator<Pod> REMOVAL_ORDER = Comparator
            .comparing((Pod pod) -> pod.getSpec() != null && pod.getSpec().getNodeName() != null)
            .thenComparing(pod -> !"Pending".equals(pod.getStatus() == null ? null : pod.getStatus().getPhase()))
            .thenComparing(Pods::isReady)
            .thenComparing(pod -> pod.getMetadata().getCreationTimestamp(),
                    Comparator.nullsLast(Comparator.reverseOrder()));
}
