package io.k4j.controllers.resourcequota;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.k4j.controllers.api.Context;
import io.k4j.controllers.api.ObjectKey;
import io.k4j.controllers.api.Reconciler;
import io.k4j.controllers.api.Result;
import io.k4j.controllers.api.Watches;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Upstream's resource quota controller: each ResourceQuota's status.hard mirrors spec.hard and status.used says
 * how much of each the namespace uses, recomputed whenever something it counts changes. Keyed by namespace (all
 * quotas of a namespace share their objects). Enforcement is admission's business, not this controller's.
 */
public final class ResourceQuotaController implements Reconciler {

    public static final String NAME = "resourcequota";

    /** The types counted by {@code count/<resource>[.<group>]}, by that name. */
    static final Map<String, Class<? extends HasMetadata>> COUNTED = Map.ofEntries(
            Map.entry("pods", Pod.class), Map.entry("services", Service.class),
            Map.entry("configmaps", ConfigMap.class), Map.entry("secrets", Secret.class),
            Map.entry("persistentvolumeclaims", PersistentVolumeClaim.class),
            Map.entry("replicationcontrollers", ReplicationController.class),
            Map.entry("resourcequotas", ResourceQuota.class),
            Map.entry("deployments.apps", Deployment.class), Map.entry("replicasets.apps", ReplicaSet.class),
            Map.entry("statefulsets.apps", StatefulSet.class), Map.entry("daemonsets.apps", DaemonSet.class),
            Map.entry("jobs.batch", Job.class), Map.entry("cronjobs.batch", CronJob.class));

    @Override
    public void watch(Watches watches) {
        COUNTED.values().forEach(type -> byNamespace(watches, type));
    }

    private static <T extends HasMetadata> void byNamespace(Watches watches, Class<T> type) {
        watches.mapped(type, object -> List.of(ObjectKey.cluster(object.getMetadata().getNamespace())));
    }

    @Override
    public Result reconcile(ObjectKey key, Context context) {
        String namespace = key.name();
        List<ResourceQuota> quotas = context.cache(ResourceQuota.class).list(namespace);
        if (quotas.isEmpty()) {
            return Result.done();
        }
        QuotaUsage.Objects objects = objectsOf(namespace, context);
        Instant now = context.clock().instant();
        for (ResourceQuota quota : quotas) {
            if (quota.getSpec() == null || quota.getSpec().getHard() == null) {
                continue;
            }
            Map<String, String> hard = new LinkedHashMap<>();
            quota.getSpec().getHard().forEach((resource, value) -> hard.put(resource, text(value)));
            Map<String, String> used;
            try {
                used = QuotaUsage.of(quota.getSpec(), objects, now);
            } catch (IllegalArgumentException e) { // a quantity that does not parse: say so, keep the old status
                context.events().warning(quota, "FailedUsageCalculation", e.getMessage());
                continue;
            }
            if (hard.equals(strings(quota.getStatus() == null ? null : quota.getStatus().getHard()))
                    && used.equals(strings(quota.getStatus() == null ? null : quota.getStatus().getUsed()))) {
                continue;
            }
            context.client().resourceQuotas().inNamespace(namespace).resource(new ResourceQuotaBuilder(quota)
                    .withNewStatus().withHard(quantities(hard)).withUsed(quantities(used)).endStatus().build())
                    .updateStatus();
        }
        return Result.done();
    }

    private static QuotaUsage.Objects objectsOf(String namespace, Context context) {
        return new QuotaUsage.Objects() {
            @Override
            public List<?> list(String countResource) {
                Class<? extends HasMetadata> type = COUNTED.get(countResource);
                return type == null ? null : context.cache(type).list(namespace);
            }

            @Override
            public List<Pod> pods() {
                return context.cache(Pod.class).list(namespace);
            }

            @Override
            public List<Service> services() {
                return context.cache(Service.class).list(namespace);
            }

            @Override
            public List<PersistentVolumeClaim> claims() {
                return context.cache(PersistentVolumeClaim.class).list(namespace);
            }
        };
    }

    private static Map<String, String> strings(Map<String, Quantity> quantities) {
        Map<String, String> result = new LinkedHashMap<>();
        if (quantities != null) {
            quantities.forEach((resource, value) -> result.put(resource, text(value)));
        }
        return result;
    }

    private static String text(Quantity quantity) {
        return quantity == null ? "" : Objects.toString(quantity.getAmount(), "") + Objects.toString(quantity.getFormat(), "");
    }

    private static Map<String, Quantity> quantities(Map<String, String> strings) {
        Map<String, Quantity> result = new LinkedHashMap<>();
        strings.forEach((resource, value) -> result.put(resource, new Quantity(value)));
        return result;
    }
}
