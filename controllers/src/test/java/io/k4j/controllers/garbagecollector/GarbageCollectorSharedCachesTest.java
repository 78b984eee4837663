package io.k4j.controllers.garbagecollector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.controllers.api.Context;
import io.k4j.controllers.api.ObjectKey;
import io.k4j.controllers.api.Reconciler;
import io.k4j.controllers.api.Result;
import io.k4j.controllers.api.Watches;
import io.k4j.controllers.testing.ControllerHarness;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With another controller caching a type, the collector builds its graph of that type from the shared cache: it
 * still collects such objects, and the API server sees one list (and watch) of the type, not two.
 */
class GarbageCollectorSharedCachesTest {

    static final String NS = "gc-shared";
    static final Duration WAIT = Duration.ofSeconds(15);
    static ControllerHarness harness;
    static KubernetesClient client;

    /** A controller that only caches ConfigMaps (as the controller manager's users of a type do). */
    static final class ConfigMapReader implements Reconciler {
        @Override
        public void watch(Watches watches) {
            watches.cached(ConfigMap.class);
        }

        @Override
        public Result reconcile(ObjectKey key, Context context) {
            return Result.done();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        harness = ControllerHarness.start();
        client = harness.client();
        harness.createNamespace(NS);
        Map<String, Reconciler> controllers = new LinkedHashMap<>();
        controllers.put("configmap-reader", new ConfigMapReader());
        controllers.put(GarbageCollector.NAME, new GarbageCollector());
        harness.runSharingCaches(controllers, Clock.systemUTC(), 2);
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    @Test
    void dependentsOfACachedTypeAreCollectedThroughTheSharedCache() {
        ConfigMap owner = client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("owner").endMetadata().build()).create();
        var ref = new OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap").withName("owner")
                .withUid(owner.getMetadata().getUid()).build();
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("child")
                .withOwnerReferences(ref).endMetadata().build()).create();
        // A type nobody caches still goes through the collector's own monitor.
        client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("child-secret")
                .withOwnerReferences(ref).endMetadata().build()).create();

        client.configMaps().inNamespace(NS).withName("owner").delete();

        await().atMost(WAIT).until(() -> client.configMaps().inNamespace(NS).withName("child").get() == null);
        await().atMost(WAIT).until(() -> client.secrets().inNamespace(NS).withName("child-secret").get() == null);

        // The collector acts only once all its own monitors have listed their objects, so by now a monitor of
        // configmaps would have listed them too: one LIST of configmaps (the shared cache's) means it has none.
        assertThat(harness.requests("LIST", "configmaps")).isEqualTo(1);
        assertThat(harness.requests("LIST", "secrets")).isEqualTo(1);
    }
}
