package io.k4j.scheduler.plugins.defaultpreemption;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.k4j.scheduler.framework.Handle;
import io.k4j.scheduler.framework.PodInfo;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evicts victims through the API as upstream does: a strategic merge patch of pods/status adding the
 * DisruptionTarget condition, then a plain delete (404 ignored).
 */
public final class ClientVictimEvictor implements VictimEvictor {

    private static final Logger LOG = LoggerFactory.getLogger(ClientVictimEvictor.class);
    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final PatchContext STRATEGIC = PatchContext.of(PatchType.STRATEGIC_MERGE);

    public static final String DISRUPTION_TARGET = "DisruptionTarget";
    public static final String PREEMPTION_BY_SCHEDULER = "PreemptionByScheduler";

    private final Supplier<KubernetesClient> client;
    private final Supplier<Clock> clock;

    /** The handle's client and clock, asked for only when there is something to do. */
    public ClientVictimEvictor(Handle handle) {
        this(handle::client, handle::clock);
    }

    /** @param client asked for the client only when a victim is evicted or a nomination cleared */
    public ClientVictimEvictor(Supplier<KubernetesClient> client, Supplier<Clock> clock) {
        this.client = client;
        this.clock = clock;
    }

    @Override
    public void evict(PodInfo preemptor, PodInfo victim, String nodeName) {
        String schedulerName = preemptor.pod().getSpec().getSchedulerName();
        String message = (schedulerName == null ? "default-scheduler" : schedulerName)
                + ": preempting to accommodate a higher priority pod";
        if (needsCondition(victim.pod(), message)) {
            Map<String, Object> condition = new LinkedHashMap<>();
            condition.put("type", DISRUPTION_TARGET);
            condition.put("status", "True");
            condition.put("reason", PREEMPTION_BY_SCHEDULER);
            condition.put("message", message);
            condition.put("lastTransitionTime", clock.get().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
            String patch = JSON.asJson(Map.of("status", Map.of("conditions", List.of(condition))));
            try {
                patchStatus(victim, patch);
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    LOG.debug("victim {} is already deleted", victim.key());
                    return;
                }
                throw e;
            }
        }
        client.get().pods().inNamespace(victim.namespace()).withName(victim.name()).delete();
    }

    /** A strategic merge patch of pods/status; the pod we have is passed so the client does not GET it first. */
    private void patchStatus(PodInfo pod, String patch) {
        client.get().pods().inNamespace(pod.namespace()).resource(pod.pod()).subresource("status")
                .patch(STRATEGIC, patch);
    }

    /** Upstream's UpdatePodCondition: nothing to do when the same condition is already there. */
    static boolean needsCondition(Pod pod, String message) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return true;
        }
        for (PodCondition condition : pod.getStatus().getConditions()) {
            if (DISRUPTION_TARGET.equals(condition.getType())) {
                return !("True".equals(condition.getStatus()) && PREEMPTION_BY_SCHEDULER.equals(condition.getReason())
                        && message.equals(condition.getMessage()));
            }
        }
        return true;
    }

    @Override
    public void clearNominatedNodeName(List<PodInfo> pods) {
        for (PodInfo pod : pods) {
            if (pod.pod().getStatus() == null || pod.pod().getStatus().getNominatedNodeName() == null
                    || pod.pod().getStatus().getNominatedNodeName().isEmpty()) {
                continue;
            }
            try {
                patchStatus(pod, "{\"status\":{\"nominatedNodeName\":null}}");
            } catch (RuntimeException e) {
                LOG.warn("could not clear the nominatedNodeName of {}: {}", pod.key(), e.getMessage());
            }
        }
    }
}
