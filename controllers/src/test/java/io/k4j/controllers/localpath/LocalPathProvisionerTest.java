package io.k4j.controllers.localpath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.client.testing.MutableClock;
import io.k4j.controllers.testing.ControllerHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPathProvisionerTest {

    private static final String NS = "storage-test";
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    static Path base;
    static ControllerHarness harness;
    static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        harness = ControllerHarness.start();
        client = harness.client();
        harness.run(LocalPathProvisioner.NAME, new LocalPathProvisioner(base), new MutableClock(), 2);
        harness.createNamespace(NS);
        await().atMost(WAIT).until(() -> client.storage().v1().storageClasses().withName("local-path").get() != null);
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    private static PersistentVolumeClaim claim(String name, String storageClass) {
        var builder = new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).withNamespace(NS)
                .endMetadata().withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
                .addToRequests("storage", new Quantity("2Gi")).endResources().endSpec();
        if (storageClass != null) {
            builder.editSpec().withStorageClassName(storageClass).endSpec();
        }
        return client.persistentVolumeClaims().inNamespace(NS).resource(builder.build()).create();
    }

    private static PersistentVolumeClaim get(String name) {
        return client.persistentVolumeClaims().inNamespace(NS).withName(name).get();
    }

    private static boolean bound(String name) {
        PersistentVolumeClaim claim = get(name);
        return claim.getStatus() != null && "Bound".equals(claim.getStatus().getPhase());
    }

    @Test
    void theDefaultClassIsLikeK3ss() {
        var storageClass = client.storage().v1().storageClasses().withName("local-path").get();
        assertThat(storageClass.getProvisioner()).isEqualTo("rancher.io/local-path");
        assertThat(storageClass.getMetadata().getAnnotations())
                .containsEntry("storageclass.kubernetes.io/is-default-class", "true");
        assertThat(storageClass.getVolumeBindingMode()).isEqualTo("WaitForFirstConsumer");
        assertThat(storageClass.getReclaimPolicy()).isEqualTo("Delete");
    }

    @Test
    void aClaimIsProvisionedOnItsFirstConsumersNodeBoundAndDeletedWithTheClaim() throws Exception {
        PersistentVolumeClaim claim = claim("data", null);
        assertThat(claim.getSpec().getStorageClassName()).isEqualTo("local-path"); // the default class admission
        String uid = claim.getMetadata().getUid();
        String volume = "pvc-" + uid;
        Thread.sleep(500); // time for a wrong provisioning to happen
        assertThat(client.persistentVolumes().withName(volume).get()).isNull();
        assertThat(get("data").getStatus().getPhase()).isEqualTo("Pending");

        client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("user").endMetadata()
                .withNewSpec().withNodeName("node-7").addNewContainer().withName("app").withImage("busybox").endContainer()
                .addNewVolume().withName("d").withNewPersistentVolumeClaim().withClaimName("data")
                .endPersistentVolumeClaim().endVolume().endSpec().build()).create();

        await().atMost(WAIT).until(() -> bound("data"));
        PersistentVolume pv = client.persistentVolumes().withName(volume).get();
        Path dir = base.resolve(volume + "_" + NS + "_data");
        assertThat(pv.getSpec().getHostPath().getPath()).isEqualTo(dir.toString());
        assertThat(pv.getSpec().getHostPath().getType()).isEqualTo("DirectoryOrCreate");
        assertThat(pv.getSpec().getCapacity()).containsEntry("storage", new Quantity("2Gi"));
        assertThat(pv.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Delete");
        assertThat(pv.getSpec().getStorageClassName()).isEqualTo("local-path");
        assertThat(pv.getSpec().getClaimRef().getUid()).isEqualTo(uid);
        assertThat(pv.getSpec().getNodeAffinity().getRequired().getNodeSelectorTerms().getFirst().getMatchExpressions()
                .getFirst().getValues()).containsExactly("node-7");
        assertThat(pv.getMetadata().getAnnotations()).containsEntry("pv.kubernetes.io/provisioned-by",
                "rancher.io/local-path");
        await().atMost(WAIT).until(() -> "Bound".equals(client.persistentVolumes().withName(volume).get()
                .getStatus().getPhase()));
        PersistentVolumeClaim bound = get("data");
        assertThat(bound.getSpec().getVolumeName()).isEqualTo(volume);
        assertThat(bound.getMetadata().getAnnotations()).containsEntry("pv.kubernetes.io/bind-completed", "yes")
                .containsEntry("pv.kubernetes.io/bound-by-controller", "yes")
                .containsEntry("volume.kubernetes.io/storage-provisioner", "rancher.io/local-path");
        assertThat(bound.getStatus().getCapacity()).containsEntry("storage", new Quantity("2Gi"));
        assertThat(bound.getStatus().getAccessModes()).containsExactly("ReadWriteOnce");

        Files.createDirectories(dir.resolve("sub")); // what the kubelet and the pod would have made
        Files.writeString(dir.resolve("sub/file"), "x");
        client.persistentVolumeClaims().inNamespace(NS).withName("data").delete();
        await().atMost(WAIT).until(() -> client.persistentVolumes().withName(volume).get() == null);
        assertThat(dir).doesNotExist();
    }

    @Test
    void immediateClassesProvisionAtOnceAndRetainedVolumesAreReleased() {
        client.storage().v1().storageClasses().resource(new StorageClassBuilder().withNewMetadata().withName("keep")
                .endMetadata().withProvisioner("rancher.io/local-path").withVolumeBindingMode("Immediate")
                .withReclaimPolicy("Retain").build()).create();
        client.storage().v1().storageClasses().resource(new StorageClassBuilder().withNewMetadata().withName("other")
                .endMetadata().withProvisioner("example.com/nfs").withVolumeBindingMode("Immediate").build()).create();
        PersistentVolumeClaim claim = claim("kept", "keep");
        claim("foreign", "other");
        claim("none", "");
        await().atMost(WAIT).until(() -> bound("kept"));
        String volume = "pvc-" + claim.getMetadata().getUid();
        PersistentVolume pv = client.persistentVolumes().withName(volume).get();
        assertThat(pv.getSpec().getNodeAffinity()).isNull();
        assertThat(pv.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Retain");

        client.persistentVolumeClaims().inNamespace(NS).withName("kept").delete();
        await().atMost(WAIT).until(() -> "Released".equals(client.persistentVolumes().withName(volume).get()
                .getStatus().getPhase()));
        assertThat(get("foreign").getStatus().getPhase()).isEqualTo("Pending");
        assertThat(get("none").getStatus().getPhase()).isEqualTo("Pending");
        assertThat(get("none").getSpec().getStorageClassName()).isEmpty();
    }
}
