package io.k4j.scheduler.plugins.defaultbinder;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.k4j.client.RawRequests;
import io.k4j.scheduler.framework.BindPlugin;
import io.k4j.scheduler.framework.BindingAnnotations;
import io.k4j.scheduler.framework.CycleState;
import io.k4j.scheduler.framework.Handle;
import io.k4j.scheduler.framework.PluginArgs;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.Status;
import java.util.Map;

/**
 * Binds through the API: POST pods/NAME/binding with the target node (and the cycle's binding annotations). The call
 * blocks its binding thread only; the scheduler runs binding cycles on virtual threads.
 */
public final class DefaultBinder implements BindPlugin {

    public static final String NAME = "DefaultBinder";

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final Handle handle;

    public DefaultBinder(PluginArgs args, Handle handle) {
        this.handle = handle;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status bind(CycleState state, PodInfo pod, String nodeName) {
        BindingAnnotations annotations = state.read(BindingAnnotations.KEY);
        Binding binding = new BindingBuilder()
                .withNewMetadata().withName(pod.name()).withNamespace(pod.namespace()).withUid(pod.uid())
                .withAnnotations(annotations == null ? Map.of() : annotations.values()).endMetadata()
                .withNewTarget().withKind("Node").withApiVersion("v1").withName(nodeName).endTarget()
                .build();
        try {
            HttpResponse<String> response = RawRequests.post(handle.client(),
                    "/api/v1/namespaces/" + pod.namespace() + "/pods/" + pod.name() + "/binding", JSON.asJson(binding));
            if (response.code() / 100 == 2) {
                return Status.success();
            }
            return Status.error("binding " + pod.key() + " to " + nodeName + " failed: HTTP " + response.code()
                    + " " + response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Status.error(e);
        } catch (java.util.concurrent.ExecutionException e) {
            return Status.error(e.getCause());
        }
    }
}
