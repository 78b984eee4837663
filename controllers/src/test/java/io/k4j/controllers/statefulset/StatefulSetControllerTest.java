package io.k4j.controllers.statefulset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.client.testing.MutableClock;
import io.k4j.controllers.testing.ControllerHarness;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StatefulSetControllerTest {

    static ControllerHarness harness;
    static KubernetesClient client;
    static final Duration WAIT = Duration.ofSeconds(15);

    @BeforeAll
    static void start() throws Exception {
        harness = ControllerHarness.start();
        client = harness.client();
        harness.run(StatefulSetController.NAME, new StatefulSetController(), new MutableClock(), 2);
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    static void namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    }

    static StatefulSet web(String namespace, int replicas, String policy, String image) {
        return new StatefulSetBuilder().withNewMetadata().withName("web").withNamespace(namespace).endMetadata()
                .withNewSpec().withReplicas(replicas).withServiceName("nginx").withPodManagementPolicy(policy)
                .withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("nginx").withImage(image)
                .addNewVolumeMount().withName("www").withMountPath("/usr/share/nginx/html").endVolumeMount()
                .endContainer().endSpec().endTemplate()
                .addNewVolumeClaimTemplate().withNewMetadata().withName("www").endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
                .addToRequests("storage", new io.fabric8.kubernetes.api.model.Quantity("1Gi")).endResources().endSpec()
                .endVolumeClaimTemplate()
                .endSpec().build();
    }

    static Pod pod(String namespace, String name) {
        return client.pods().inNamespace(namespace).withName(name).get();
    }

    /** What a kubelet would report: Running and Ready. */
    static void makeReady(String namespace, String name) {
        client.pods().inNamespace(namespace).withName(name).editStatus(pod -> {
            pod.setStatus(new PodStatusBuilder().withPhase("Running").addNewCondition().withType("Ready")
                    .withStatus("True").withLastTransitionTime("2026-01-01T00:00:00Z").endCondition().build());
            return pod;
        });
    }

    static StatefulSet awaitSet(String namespace, Predicate<StatefulSet> condition) {
        await().atMost(WAIT).until(() -> condition.test(client.apps().statefulSets().inNamespace(namespace)
                .withName("web").get()));
        return client.apps().statefulSets().inNamespace(namespace).withName("web").get();
    }

    /** The pod's revision label, null while there is no such pod (the awaits below poll across deletions). */
    static String revisionOf(String namespace, String name) {
        Pod pod = pod(namespace, name);
        return pod == null ? null : pod.getMetadata().getLabels().get("controller-revision-hash");
    }

    static String uidOf(String namespace, String name) {
        Pod pod = pod(namespace, name);
        return pod == null ? null : pod.getMetadata().getUid();
    }

    @Test
    void orderedReadyCreatesPodsAndClaimsOneAtATimeOnceTheFormerIsReady() {
        namespace("ordered");
        client.apps().statefulSets().inNamespace("ordered").resource(web("ordered", 2, null, "nginx:1")).create();

        await().atMost(WAIT).until(() -> pod("ordered", "web-0") != null);
        Pod web0 = pod("ordered", "web-0");
        assertThat(web0.getMetadata().getLabels()).containsEntry("statefulset.kubernetes.io/pod-name", "web-0")
                .containsEntry("apps.kubernetes.io/pod-index", "0").containsEntry("app", "web")
                .containsKey("controller-revision-hash");
        assertThat(web0.getSpec().getHostname()).isEqualTo("web-0");
        assertThat(web0.getSpec().getSubdomain()).isEqualTo("nginx");
        assertThat(web0.getSpec().getVolumes()).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo("www");
            assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("www-web-0");
        });
        var claim = client.persistentVolumeClaims().inNamespace("ordered").withName("www-web-0").get();
        assertThat(claim.getMetadata().getLabels()).containsEntry("app", "web");
        assertThat(claim.getMetadata().getOwnerReferences()).isNullOrEmpty(); // Retain by default

        awaitSet("ordered", s -> s.getStatus() != null && s.getStatus().getReplicas() == 1);
        assertThat(pod("ordered", "web-1")).as("web-1 waits for web-0 to be ready").isNull();

        makeReady("ordered", "web-0");
        await().atMost(WAIT).until(() -> pod("ordered", "web-1") != null);
        assertThat(client.persistentVolumeClaims().inNamespace("ordered").withName("www-web-1").get()).isNotNull();
        makeReady("ordered", "web-1");

        StatefulSet set = awaitSet("ordered", s -> s.getStatus().getReadyReplicas() == 2);
        assertThat(set.getStatus().getObservedGeneration()).isEqualTo(1L);
        assertThat(set.getStatus().getCurrentRevision()).isEqualTo(set.getStatus().getUpdateRevision())
                .isEqualTo(revisionOf("ordered", "web-0"));
        assertThat(set.getStatus().getCurrentReplicas()).isEqualTo(2);
        assertThat(set.getStatus().getAvailableReplicas()).isEqualTo(2);
        assertThat(set.getStatus().getCollisionCount()).isZero();
        assertThat(client.v1().events().inNamespace("ordered").list().getItems())
                .extracting(e -> e.getReason() + ": " + e.getMessage())
                .contains("SuccessfulCreate: create Pod web-0 in StatefulSet web successful",
                        "SuccessfulCreate: create Claim www-web-0 Pod web-0 in StatefulSet web success");
    }

    @Test
    void aRollingUpdateReplacesPodsFromTheHighestOrdinalAndKeepsRevisions() {
        namespace("rolling");
        client.apps().statefulSets().inNamespace("rolling").resource(web("rolling", 2, "Parallel", "nginx:1")).create();
        await().atMost(WAIT).until(() -> pod("rolling", "web-0") != null && pod("rolling", "web-1") != null);
        makeReady("rolling", "web-0");
        makeReady("rolling", "web-1");
        String first = awaitSet("rolling", s -> s.getStatus().getReadyReplicas() == 2).getStatus().getCurrentRevision();

        client.apps().statefulSets().inNamespace("rolling").withName("web")
                .edit(s -> new StatefulSetBuilder(s).editSpec().editTemplate().editSpec().editFirstContainer()
                        .withImage("nginx:2").endContainer().endSpec().endTemplate().endSpec().build());

        StatefulSet updating = awaitSet("rolling", s -> s.getStatus().getObservedGeneration() == 2);
        String second = updating.getStatus().getUpdateRevision();
        assertThat(second).isNotEqualTo(first);
        await().atMost(WAIT).until(() -> second.equals(revisionOf("rolling", "web-1")));
        assertThat(revisionOf("rolling", "web-0")).as("web-0 waits for web-1").isEqualTo(first);
        makeReady("rolling", "web-1");
        await().atMost(WAIT).until(() -> second.equals(revisionOf("rolling", "web-0")));
        makeReady("rolling", "web-0");

        StatefulSet done = awaitSet("rolling", s -> second.equals(s.getStatus().getCurrentRevision()));
        assertThat(done.getStatus().getUpdatedReplicas()).isEqualTo(2);
        assertThat(pod("rolling", "web-0").getSpec().getContainers().getFirst().getImage()).isEqualTo("nginx:2");
        var revisions = client.apps().controllerRevisions().inNamespace("rolling").list().getItems().stream()
                .sorted(Comparator.comparing(r -> r.getRevision())).toList();
        assertThat(revisions).extracting(r -> r.getMetadata().getName() + "@" + r.getRevision())
                .containsExactly(first + "@1", second + "@2");
    }

    @Test
    void aPartitionKeepsLowerOrdinalsAtTheCurrentRevisionAndScaleDownGoesHighestFirst() {
        namespace("partition");
        StatefulSet set = new StatefulSetBuilder(web("partition", 3, "Parallel", "nginx:1")).editSpec()
                .withNewUpdateStrategy().withType("RollingUpdate").withNewRollingUpdate().withPartition(2)
                .endRollingUpdate().endUpdateStrategy().endSpec().build();
        client.apps().statefulSets().inNamespace("partition").resource(set).create();
        await().atMost(WAIT).until(() -> pod("partition", "web-2") != null);
        List.of("web-0", "web-1", "web-2").forEach(p -> makeReady("partition", p));
        String first = awaitSet("partition", s -> s.getStatus().getReadyReplicas() == 3).getStatus().getCurrentRevision();

        client.apps().statefulSets().inNamespace("partition").withName("web")
                .edit(s -> new StatefulSetBuilder(s).editSpec().editTemplate().editSpec().editFirstContainer()
                        .withImage("nginx:2").endContainer().endSpec().endTemplate().endSpec().build());
        await().atMost(WAIT).until(() -> {
            String revision = revisionOf("partition", "web-2");
            return revision != null && !revision.equals(first);
        });
        makeReady("partition", "web-2");
        StatefulSet partitioned = awaitSet("partition", s -> s.getStatus().getUpdatedReplicas() == 1
                && s.getStatus().getReadyReplicas() == 3);
        assertThat(partitioned.getStatus().getCurrentRevision()).isEqualTo(first);
        assertThat(revisionOf("partition", "web-1")).isEqualTo(first);

        client.apps().statefulSets().inNamespace("partition").withName("web").scale(1);
        await().atMost(WAIT).until(() -> pod("partition", "web-1") == null && pod("partition", "web-2") == null);
        assertThat(pod("partition", "web-0")).isNotNull();
        assertThat(client.persistentVolumeClaims().inNamespace("partition").withName("www-web-2").get())
                .as("claims outlive a scale-down by default").isNotNull();
        assertThat(client.v1().events().inNamespace("partition").list().getItems())
                .extracting(e -> e.getReason() + ": " + e.getMessage())
                .contains("SuccessfulDelete: delete Pod web-2 in StatefulSet web successful");
    }

    @Test
    void anOrphanNamedAfterTheSetIsAdoptedAndReleasedWhenItStopsMatching() {
        namespace("adopt");
        client.pods().inNamespace("adopt").resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
                .withName("web-0").addToLabels("app", "web").endMetadata().withNewSpec().addNewContainer()
                .withName("nginx").withImage("nginx:1").endContainer().endSpec().build()).create();
        String uid = pod("adopt", "web-0").getMetadata().getUid();

        client.apps().statefulSets().inNamespace("adopt").resource(web("adopt", 1, null, "nginx:1")).create();

        await().atMost(WAIT).until(() -> !pod("adopt", "web-0").getMetadata().getOwnerReferences().isEmpty());
        assertThat(pod("adopt", "web-0").getMetadata().getUid()).isEqualTo(uid);
        assertThat(pod("adopt", "web-0").getMetadata().getOwnerReferences().getFirst().getKind()).isEqualTo("StatefulSet");

        client.pods().inNamespace("adopt").withName("web-0").edit(p -> {
            p.getMetadata().getLabels().put("app", "other");
            return p;
        });
        await().atMost(WAIT).until(() -> pod("adopt", "web-0").getMetadata().getOwnerReferences().isEmpty());
    }

    @Test
    void aDeletedOrFailedPodIsRecreatedUnderItsName() {
        namespace("heal");
        client.apps().statefulSets().inNamespace("heal").resource(web("heal", 1, null, "nginx:1")).create();
        await().atMost(WAIT).until(() -> pod("heal", "web-0") != null);
        String uid = pod("heal", "web-0").getMetadata().getUid();

        client.pods().inNamespace("heal").withName("web-0").delete();
        await().atMost(WAIT).until(() -> uidOf("heal", "web-0") != null && !uid.equals(uidOf("heal", "web-0")));

        String second = pod("heal", "web-0").getMetadata().getUid();
        client.pods().inNamespace("heal").withName("web-0").editStatus(p -> {
            p.getStatus().setPhase("Failed");
            return p;
        });
        await().atMost(WAIT).until(() -> uidOf("heal", "web-0") != null && !second.equals(uidOf("heal", "web-0")));
    }
}
