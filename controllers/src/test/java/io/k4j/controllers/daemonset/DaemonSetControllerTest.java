package io.k4j.controllers.daemonset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.client.testing.MutableClock;
import io.k4j.controllers.testing.ControllerHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DaemonSetControllerTest {

    static ControllerHarness harness;
    static KubernetesClient client;
    static final Duration WAIT = Duration.ofSeconds(15);

    @BeforeAll
    static void start() throws Exception {
        harness = ControllerHarness.start();
        client = harness.client();
        harness.run(DaemonSetController.NAME, new DaemonSetController(new MutableClock()), new MutableClock(), 2);
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    /** A node in a pool (each test its own pool, as nodes are shared). */
    static void node(String name, String pool, Taint... taints) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).addToLabels("pool", pool)
                .endMetadata().withNewSpec().withTaints(taints).endSpec().build()).create();
    }

    static DaemonSet daemon(String namespace, String pool, String image) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                .createOr(existing -> existing.update());
        return new DaemonSetBuilder().withNewMetadata().withName("agent").withNamespace(namespace).endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", "agent").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "agent").endMetadata()
                .withNewSpec().withNodeSelector(Map.of("pool", pool))
                .addNewContainer().withName("agent").withImage(image).endContainer().endSpec().endTemplate()
                .endSpec().build();
    }

    static List<Pod> pods(String namespace) {
        return client.pods().inNamespace(namespace).list().getItems();
    }

    static Set<String> targetNodes(String namespace) {
        return pods(namespace).stream().map(DaemonPods::targetNode).collect(Collectors.toSet());
    }

    static DaemonSet awaitSet(String namespace, Predicate<DaemonSet> condition) {
        await().atMost(WAIT).until(() -> {
            DaemonSet set = client.apps().daemonSets().inNamespace(namespace).withName("agent").get();
            return set.getStatus() != null && condition.test(set);
        });
        return client.apps().daemonSets().inNamespace(namespace).withName("agent").get();
    }

    static void makeReady(Pod pod) {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).editStatus(p -> {
            p.setStatus(new PodStatusBuilder().withPhase("Running").addNewCondition().withType("Ready")
                    .withStatus("True").withLastTransitionTime("2026-01-01T00:00:00Z").endCondition().build());
            return p;
        });
    }

    @Test
    void oneDaemonPodPerEligibleNodeFollowingNodesThatComeAndChange() {
        node("cover-1", "cover");
        node("cover-2", "cover", new TaintBuilder().withKey("dedicated").withEffect("NoSchedule").build());
        node("cover-3", "other");
        client.apps().daemonSets().inNamespace("cover").resource(daemon("cover", "cover", "agent:1")).create();

        await().atMost(WAIT).until(() -> targetNodes("cover").equals(Set.of("cover-1")));
        Pod pod = pods("cover").getFirst();
        assertThat(pod.getMetadata().getName()).startsWith("agent-");
        assertThat(pod.getMetadata().getLabels()).containsKey("controller-revision-hash")
                .containsEntry("pod-template-generation", "1");
        assertThat(pod.getSpec().getNodeName()).as("the scheduler binds it").isNull();
        assertThat(pod.getSpec().getTolerations()).extracting(t -> t.getKey() + ":" + t.getEffect())
                .contains("node.kubernetes.io/not-ready:NoExecute", "node.kubernetes.io/unschedulable:NoSchedule");
        DaemonSet set = awaitSet("cover", s -> s.getStatus().getCurrentNumberScheduled() == 1);
        assertThat(set.getStatus().getDesiredNumberScheduled()).isEqualTo(1);
        assertThat(set.getStatus().getNumberUnavailable()).isEqualTo(1);
        assertThat(set.getStatus().getObservedGeneration()).isEqualTo(1L);

        node("cover-4", "cover");
        await().atMost(WAIT).until(() -> targetNodes("cover").equals(Set.of("cover-1", "cover-4")));

        client.nodes().withName("cover-1").edit(n -> {
            n.getMetadata().getLabels().put("pool", "elsewhere");
            return n;
        });
        await().atMost(WAIT).until(() -> targetNodes("cover").equals(Set.of("cover-4")));
        assertThat(client.v1().events().inNamespace("cover").list().getItems())
                .extracting(e -> e.getReason() + ": " + e.getMessage())
                .anyMatch(m -> m.startsWith("SuccessfulCreate: Created pod: agent-"))
                .anyMatch(m -> m.startsWith("SuccessfulDelete: Deleted pod: agent-"));
    }

    @Test
    void aRollingUpdateReplacesOnePodAtATime() {
        node("roll-1", "roll");
        node("roll-2", "roll");
        client.apps().daemonSets().inNamespace("roll").resource(daemon("roll", "roll", "agent:1")).create();
        await().atMost(WAIT).until(() -> pods("roll").size() == 2);
        pods("roll").forEach(DaemonSetControllerTest::makeReady);
        awaitSet("roll", s -> s.getStatus().getNumberAvailable() == 2);

        client.apps().daemonSets().inNamespace("roll").withName("agent")
                .edit(d -> new DaemonSetBuilder(d).editSpec().editTemplate().editSpec().editFirstContainer()
                        .withImage("agent:2").endContainer().endSpec().endTemplate().endSpec().build());

        await().atMost(WAIT).until(() -> images("roll").equals(List.of("agent:1", "agent:2")));
        DaemonSet halfway = awaitSet("roll", s -> s.getStatus().getObservedGeneration() == 2
                && s.getStatus().getUpdatedNumberScheduled() == 1);
        assertThat(halfway.getStatus().getNumberAvailable()).isEqualTo(1);
        assertThat(halfway.getMetadata().getAnnotations()).containsEntry("deprecated.daemonset.template.generation", "2");
        pods("roll").stream().filter(p -> p.getSpec().getContainers().getFirst().getImage().equals("agent:2"))
                .forEach(DaemonSetControllerTest::makeReady);

        await().atMost(WAIT).until(() -> images("roll").equals(List.of("agent:2", "agent:2")));
        pods("roll").forEach(DaemonSetControllerTest::makeReady);
        DaemonSet done = awaitSet("roll", s -> s.getStatus().getNumberAvailable() == 2
                && s.getStatus().getUpdatedNumberScheduled() == 2);
        assertThat(done.getStatus().getDesiredNumberScheduled()).isEqualTo(2);
        assertThat(client.apps().controllerRevisions().inNamespace("roll").list().getItems()).hasSize(2);
    }

    @Test
    void aFailedDaemonPodIsKilledAndReplaced() {
        node("heal-1", "heal");
        client.apps().daemonSets().inNamespace("heal").resource(daemon("heal", "heal", "agent:1")).create();
        await().atMost(WAIT).until(() -> pods("heal").size() == 1);
        Pod first = pods("heal").getFirst();

        client.pods().inNamespace("heal").withName(first.getMetadata().getName()).editStatus(p -> {
            p.setStatus(new PodStatusBuilder().withPhase("Failed").build());
            return p;
        });

        await().atMost(WAIT).until(() -> {
            List<Pod> now = pods("heal");
            return now.size() == 1 && !now.getFirst().getMetadata().getUid().equals(first.getMetadata().getUid());
        });
        assertThat(targetNodes("heal")).containsExactly("heal-1");
        assertThat(client.v1().events().inNamespace("heal").list().getItems())
                .extracting(e -> e.getType() + " " + e.getReason() + ": " + e.getMessage())
                .contains("Warning FailedDaemonPod: Found failed daemon pod heal/" + first.getMetadata().getName()
                        + " on node heal-1, will try to kill it");
    }

    static List<String> images(String namespace) {
        return pods(namespace).stream().map(p -> p.getSpec().getContainers().getFirst().getImage()).sorted().toList();
    }
}
