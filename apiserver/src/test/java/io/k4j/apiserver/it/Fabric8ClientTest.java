package io.k4j.apiserver.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** fabric8 kubernetes-client 8.0 (JDK HTTP client) against a real k4j API server. */
class Fabric8ClientTest {

    private TestCluster cluster;
    private KubernetesClient client;

    @BeforeEach
    void start() throws Exception {
        cluster = TestCluster.start();
        client = newClient();
    }

    private KubernetesClient newClient() throws Exception {
        Config config = Config.fromKubeconfig(cluster.kubeconfigText());
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Pod pod(String name) {
        return new PodBuilder().withNewMetadata().withName(name).addToLabels("app", "f8").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build();
    }

    @Test
    void crudWithTypedObjects() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("f8").endMetadata().build())
                .create();
        ConfigMap created = client.configMaps().inNamespace("f8").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("cm").endMetadata().addToData("k", "v").build()).create();
        assertThat(created.getMetadata().getUid()).isNotBlank();
        assertThat(created.getMetadata().getResourceVersion()).isNotBlank();

        ConfigMap edited = client.configMaps().inNamespace("f8").withName("cm")
                .edit(cm -> new ConfigMapBuilder(cm).addToData("k2", "v2").build());
        assertThat(edited.getData()).containsEntry("k2", "v2");
        assertThat(client.configMaps().inNamespace("f8").withName("missing").get()).isNull();
        assertThat(client.configMaps().inNamespace("f8").list().getItems()).extracting(c -> c.getMetadata().getName())
                .containsExactly("cm");

        Deployment deployment = client.apps().deployments().inNamespace("f8").resource(new DeploymentBuilder()
                .withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("n").withImage("nginx").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
        assertThat(deployment.getMetadata().getGeneration()).isEqualTo(1L);
        client.apps().deployments().inNamespace("f8").withName("web").scale(4);
        assertThat(client.apps().deployments().inNamespace("f8").withName("web").get().getSpec().getReplicas())
                .isEqualTo(4);

        try {
            client.configMaps().inNamespace("f8").resource(created).create();
            throw new AssertionError("a duplicate create must fail");
        } catch (KubernetesClientException e) {
            assertThat(e.getCode()).isEqualTo(409);
            assertThat(e.getStatus().getReason()).isEqualTo("AlreadyExists");
        }
        assertThat(client.configMaps().inNamespace("f8").withName("cm").delete()).hasSize(1);
        assertThat(client.configMaps().inNamespace("f8").withName("cm").get()).isNull();
    }

    @Test
    void anInformerSeesChangesInOrderAndSurvivesAServerRestart() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        SharedIndexInformer<Pod> informer = client.pods().inNamespace("default").inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                seen.add("ADD " + pod.getMetadata().getName());
            }

            @Override
            public void onUpdate(Pod before, Pod after) {
                if (!before.getMetadata().getResourceVersion().equals(after.getMetadata().getResourceVersion())) {
                    seen.add("UPDATE " + after.getMetadata().getName() + " " + after.getMetadata().getLabels().get("step"));
                }
            }

            @Override
            public void onDelete(Pod pod, boolean unknownFinalState) {
                seen.add("DELETE " + pod.getMetadata().getName());
            }
        });
        try {
            client.pods().inNamespace("default").resource(pod("a")).create();
            client.pods().inNamespace("default").withName("a").edit(p -> new PodBuilder(p).editMetadata()
                    .addToLabels("step", "1").endMetadata().build());
            client.pods().inNamespace("default").withName("a").delete();
            await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() >= 3);
            assertThat(seen).containsExactly("ADD a", "UPDATE a 1", "DELETE a");

            cluster.stopServer();
            cluster.startServer();

            try (KubernetesClient writer = newClient()) {
                writer.pods().inNamespace("default").resource(pod("b")).create();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> seen.contains("ADD b"));
            assertThat(informer.getStore().list()).extracting(p -> p.getMetadata().getName()).containsExactly("b");
        } finally {
            informer.close();
        }
    }
}
