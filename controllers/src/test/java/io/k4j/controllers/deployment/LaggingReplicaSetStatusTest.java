package io.k4j.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.k4j.client.EventRecorder;
import io.k4j.client.testing.MutableClock;
import io.k4j.controllers.api.Cache;
import io.k4j.controllers.api.Context;
import io.k4j.controllers.api.ObjectKey;
import io.k4j.controllers.api.OwnerRefs;
import io.k4j.controllers.testing.ControllerHarness;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One deployment sync, by hand, against a real API server and a cache that is exactly what the API holds: a
 * ReplicaSet's status may lag its spec.replicas (its controller has yet to delete the pods of a scale-down), and no
 * write of the sync may take the ReplicaSets' replicas together past replicas + maxSurge, even for a moment.
 */
class LaggingReplicaSetStatusTest {

    static ControllerHarness harness;
    static KubernetesClient client;
    static final MutableClock clock = new MutableClock();

    @BeforeAll
    static void start() throws Exception {
        harness = ControllerHarness.start();
        client = harness.client();
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    @Test
    void anOldReplicaSetWhoseStatusLagsItsScaleDownIsNotScaledBackUp() throws Exception {
        String ns = "lagging";
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                .create();
        Deployment d = client.apps().deployments().inNamespace(ns).resource(new DeploymentBuilder().withNewMetadata()
                .withName("web").endMetadata().withNewSpec().withReplicas(6)
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxSurge(new IntOrString(2)).withMaxUnavailable(new IntOrString(1)).endRollingUpdate()
                .endStrategy().withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("nginx:2").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
        // Mid-rollout, as a loaded replicaset controller leaves it: the old set was scaled down to 2 but its status,
        // written before it deletes the surplus, still counts 5 available pods; the new set has 5, 4 of them
        // available. Pods together 5 + 5, so the new set may not grow; 7 replicas asked for. (Counting 5 while the
        // new set grew to 5 happens when the old set's controller re-created pods for a moment: it saw the old set
        // at its available count, a size a cleanup had just raised it to from a status that lagged the same way.)
        replicaSet(d, "web-old", "old", "nginx:1", "1", 2, 5, 5);
        replicaSet(d, "web-new", "new", "nginx:2", "2", 5, 5, 4);

        var listed = client.apps().replicaSets().inNamespace(ns).list();
        BlockingQueue<ReplicaSet> changes = new LinkedBlockingQueue<>();
        Map<String, Integer> replicas = new HashMap<>();
        listed.getItems().forEach(rs -> replicas.put(rs.getMetadata().getName(), rs.getSpec().getReplicas()));
        int most = sum(replicas);
        try (Watch ignored = client.apps().replicaSets().inNamespace(ns)
                .withResourceVersion(listed.getMetadata().getResourceVersion()).watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, ReplicaSet rs) {
                        changes.add(rs);
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                    }
                });
             EventRecorder events = new EventRecorder(client, clock, "deployment-controller")) {
            new DeploymentController().reconcile(new ObjectKey(ns, "web"), snapshotContext(ns, events));

            // Every ReplicaSet write of the sync, in order, up to the last one.
            String last = client.apps().replicaSets().inNamespace(ns).list().getItems().stream()
                    .map(rs -> rs.getMetadata().getResourceVersion()).max(Comparator.comparingLong(Long::parseLong))
                    .orElseThrow();
            ReplicaSet change;
            do {
                change = changes.poll(30, TimeUnit.SECONDS);
                assertThat(change).as("the watch delivers the sync's writes").isNotNull();
                replicas.put(change.getMetadata().getName(), change.getSpec().getReplicas());
                most = Math.max(most, sum(replicas));
            } while (!change.getMetadata().getResourceVersion().equals(last));
        }

        assertThat(most).as("ReplicaSet replicas at most replicas + maxSurge").isLessThanOrEqualTo(8);
        // Still a step of the rollout: with 5 + 4 available the old set can lose one pod (6 - 1 must stay).
        assertThat(client.apps().replicaSets().inNamespace(ns).withName("web-old").get().getSpec().getReplicas())
                .isEqualTo(1);
        assertThat(client.apps().replicaSets().inNamespace(ns).withName("web-new").get().getSpec().getReplicas())
                .isEqualTo(5);
    }

    private static int sum(Map<String, Integer> replicas) {
        return replicas.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** A ReplicaSet of the Deployment with its template (image changed) and the given status. */
    private static void replicaSet(Deployment d, String name, String hash, String image, String revision,
            int replicas, int podCount, int available) {
        var template = new PodTemplateSpecBuilder(d.getSpec().getTemplate()).editMetadata()
                .addToLabels(TemplateHash.LABEL, hash).endMetadata().editSpec().editFirstContainer()
                .withImage(image).endContainer().endSpec().build();
        ReplicaSet created = client.apps().replicaSets().inNamespace(d.getMetadata().getNamespace())
                .resource(new ReplicaSetBuilder().withNewMetadata().withName(name)
                        .withOwnerReferences(OwnerRefs.controllerRef(d))
                        .addToLabels("app", "web").addToLabels(TemplateHash.LABEL, hash)
                        .addToAnnotations(Revisions.REVISION, revision)
                        .addToAnnotations(Revisions.DESIRED_REPLICAS, "6").addToAnnotations(Revisions.MAX_REPLICAS, "8")
                        .endMetadata().withNewSpec().withReplicas(replicas).withNewSelector()
                        .addToMatchLabels("app", "web").addToMatchLabels(TemplateHash.LABEL, hash).endSelector()
                        .withTemplate(template).endSpec().build()).create();
        client.apps().replicaSets().inNamespace(d.getMetadata().getNamespace()).resource(new ReplicaSetBuilder(created)
                .withNewStatus().withReplicas(podCount).withFullyLabeledReplicas(podCount).withReadyReplicas(available)
                .withAvailableReplicas(available).withObservedGeneration(created.getMetadata().getGeneration())
                .endStatus().build()).updateStatus();
    }

    /** A context whose caches hold what the API server holds now (a cache that is up to date). */
    private static Context snapshotContext(String namespace, EventRecorder events) {
        return new Context() {
            @Override
            public KubernetesClient client() {
                return client;
            }

            @Override
            public <T extends HasMetadata> Cache<T> cache(Class<T> type) {
                List<T> items = client.resources(type).inNamespace(namespace).list().getItems();
                return new Cache<>() {
                    @Override
                    public Optional<T> get(ObjectKey key) {
                        return items.stream().filter(o -> o.getMetadata().getName().equals(key.name())).findFirst();
                    }

                    @Override
                    public List<T> list() {
                        return items;
                    }

                    @Override
                    public List<T> list(String ns) {
                        return items;
                    }

                    @Override
                    public List<T> ownedBy(String ownerUid) {
                        return items.stream().filter(o -> o.getMetadata().getOwnerReferences().stream()
                                .anyMatch(ref -> ref.getUid().equals(ownerUid))).toList();
                    }

                    @Override
                    public List<T> indexed(String index, String value) {
                        throw new UnsupportedOperationException(index);
                    }
                };
            }

            @Override
            public Clock clock() {
                return clock;
            }

            @Override
            public EventRecorder events() {
                return events;
            }

            @Override
            public void enqueue(ObjectKey key, Duration after) {
            }
        };
    }
}
