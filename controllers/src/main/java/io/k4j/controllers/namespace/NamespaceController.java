package io.k4j.controllers.namespace;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.api.model.NamespaceStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.controllers.api.Context;
import io.k4j.controllers.api.ObjectKey;
import io.k4j.controllers.api.Reconciler;
import io.k4j.controllers.api.Result;
import io.k4j.controllers.api.Watches;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Empties terminating namespaces: once a namespace has a deletionTimestamp, everything in it (every namespaced
 * resource discovery lists, custom ones included) is deleted; the namespace's conditions say what is left meanwhile,
 * and when nothing is, the {@code kubernetes} finalizer goes (PUT namespaces/NAME/finalize) and the API server
 * removes the namespace.
 */
public final class NamespaceController implements Reconciler {

    public static final String NAME = "namespace";
    static final String FINALIZER = "kubernetes";
    /** How soon to look again while content remains (upstream waits for grace periods; here deletes take ms). */
    static final Duration RECHECK = Duration.ofSeconds(2);

    @Override
    public void watch(Watches watches) {
        watches.primary(Namespace.class);
    }

    @Override
    public Result reconcile(ObjectKey key, Context context) {
        Namespace namespace = context.cache(Namespace.class).get(key).orElse(null);
        if (namespace == null || namespace.getMetadata().getDeletionTimestamp() == null
                || !finalizers(namespace).contains(FINALIZER)) {
            return Result.done();
        }
        KubernetesClient client = context.client();
        ContentDeletion pass = ContentDeletion.run(client, key.name());
        updateStatus(client, namespace, pass, context);
        if (!pass.discoveryFailures().isEmpty() || !pass.deletionFailures().isEmpty()) {
            return Result.retry();
        }
        if (!pass.remaining().isEmpty()) {
            return Result.requeueAfter(RECHECK);
        }
        finalizeNamespace(client, key.name());
        return Result.done();
    }

    private static List<String> finalizers(Namespace namespace) {
        return namespace.getSpec() == null || namespace.getSpec().getFinalizers() == null ? List.of()
                : namespace.getSpec().getFinalizers();
    }

    private static void updateStatus(KubernetesClient client, Namespace namespace, ContentDeletion pass,
            Context context) {
        NamespaceStatus status = namespace.getStatus() == null ? new NamespaceStatus() : namespace.getStatus();
        List<NamespaceCondition> conditions = DeletionConditions.of(pass, status.getConditions(),
                context.clock().instant());
        if (conditions.equals(status.getConditions()) && "Terminating".equals(status.getPhase())) {
            return;
        }
        Namespace updated = new NamespaceBuilder(namespace).withNewStatus().withPhase("Terminating")
                .withConditions(conditions).endStatus().build();
        client.namespaces().resource(updated).updateStatus();
    }

    /** Drops this controller's finalizer from the namespace as it is now; the API server deletes it if none remain. */
    private static void finalizeNamespace(KubernetesClient client, String name) {
        Namespace latest = client.namespaces().withName(name).get();
        if (latest == null || !finalizers(latest).contains(FINALIZER)) {
            return;
        }
        List<String> rest = new ArrayList<>(finalizers(latest));
        rest.remove(FINALIZER);
        Namespace finalized = new NamespaceBuilder(latest).editSpec().withFinalizers(rest).endSpec().build();
        client.raw("/api/v1/namespaces/" + name + "/finalize", "PUT", finalized);
    }
}
