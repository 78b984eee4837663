package io.k4j.controllers.statefulset;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.k4j.controllers.api.Pods;
import io.k4j.controllers.history.Revisions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A StatefulSet pod's stable identity: NAME-ORDINAL, its identity labels, hostname and subdomain, and its claims. */
public final class StatefulSetPods {

    public static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
    public static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";

    private StatefulSetPods() {
    }

    public static String podName(String setName, int ordinal) {
        return setName + "-" + ordinal;
    }

    /** The ordinal in a pod's name if it is SET-ORDINAL, else -1. */
    public static int ordinalOf(String setName, Pod pod) {
        return ordinalOf(setName, pod.getMetadata().getName());
    }

    static int ordinalOf(String setName, String podName) {
        if (podName == null || !podName.startsWith(setName + "-")) {
            return -1;
        }
        String suffix = podName.substring(setName.length() + 1);
        if (suffix.isEmpty() || suffix.length() > 9 || !suffix.chars().allMatch(Character::isDigit)
                || (suffix.length() > 1 && suffix.charAt(0) == '0')) {
            return -1;
        }
        return Integer.parseInt(suffix);
    }

    static boolean identityMatches(String setName, int ordinal, Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
        return podName(setName, ordinal).equals(labels.get(POD_NAME_LABEL))
                && String.valueOf(ordinal).equals(labels.get(POD_INDEX_LABEL));
    }

    static Map<String, String> identityLabels(String setName, int ordinal) {
        return Map.of(POD_NAME_LABEL, podName(setName, ordinal), POD_INDEX_LABEL, String.valueOf(ordinal));
    }

    /** The claim of a volumeClaimTemplate for an ordinal: TEMPLATE-SET-ORDINAL. */
    public static String claimName(String templateName, String setName, int ordinal) {
        return templateName + "-" + podName(setName, ordinal);
    }

    /** The pod of an ordinal from a revision's template, with its identity, revision label and claim volumes. */
    static Pod newPod(StatefulSet set, PodTemplateSpec template, String revision, int ordinal) {
        String setName = set.getMetadata().getName();
        String name = podName(setName, ordinal);
        Pod pod = Pods.fromTemplate(template, set, null, name);
        Map<String, String> labels = new LinkedHashMap<>(pod.getMetadata().getLabels());
        labels.putAll(identityLabels(setName, ordinal));
        labels.put(Revisions.HASH_LABEL, revision);
        pod.getMetadata().setLabels(labels);
        pod.getSpec().setHostname(name);
        String serviceName = set.getSpec().getServiceName();
        if (serviceName != null && !serviceName.isEmpty()) {
            pod.getSpec().setSubdomain(serviceName);
        }
        List<Volume> volumes = new ArrayList<>();
        List<PersistentVolumeClaim> claims = claimTemplates(set);
        for (PersistentVolumeClaim claim : claims) {
            volumes.add(new VolumeBuilder().withName(claim.getMetadata().getName()).withNewPersistentVolumeClaim()
                    .withClaimName(claimName(claim.getMetadata().getName(), setName, ordinal)).endPersistentVolumeClaim()
                    .build());
        }
        if (pod.getSpec().getVolumes() != null) {
            for (Volume volume : pod.getSpec().getVolumes()) {
                if (claims.stream().noneMatch(c -> c.getMetadata().getName().equals(volume.getName()))) {
                    volumes.add(volume);
                }
            }
        }
        pod.getSpec().setVolumes(volumes);
        return pod;
    }

    static List<PersistentVolumeClaim> claimTemplates(StatefulSet set) {
        return set.getSpec().getVolumeClaimTemplates() == null ? List.of() : set.getSpec().getVolumeClaimTemplates();
    }

    /** The claims an ordinal's pod needs: each template, named for the ordinal and labelled with the selector. */
    static List<PersistentVolumeClaim> claims(StatefulSet set, int ordinal) {
        List<PersistentVolumeClaim> claims = new ArrayList<>();
        for (PersistentVolumeClaim template : claimTemplates(set)) {
            ObjectMeta meta = template.getMetadata();
            Map<String, String> labels = meta.getLabels() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(meta.getLabels());
            if (set.getSpec().getSelector() != null && set.getSpec().getSelector().getMatchLabels() != null) {
                labels.putAll(set.getSpec().getSelector().getMatchLabels());
            }
            claims.add(new PersistentVolumeClaimBuilder()
                    .withNewMetadata()
                    .withName(claimName(meta.getName(), set.getMetadata().getName(), ordinal))
                    .withNamespace(set.getMetadata().getNamespace())
                    .withLabels(labels).withAnnotations(meta.getAnnotations())
                    .endMetadata()
                    .withSpec(template.getSpec())
                    .build());
        }
        return claims;
    }
}
