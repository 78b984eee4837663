package io.k4j.kubelet.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.k4j.client.testing.MutableClock;
import io.k4j.kubelet.runtime.ContainerConfig.Mount;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeManagerTest {

    private static final String NS = "vol-test";
    private static InProcessApiServer api;
    private static KubernetesClient client;

    @TempDir
    Path dir;
    private Path podsDir;
    private final MutableClock clock = new MutableClock(java.time.Instant.now());
    private VolumeManager manager;
    private final List<String> podUids = new java.util.ArrayList<>();

    @BeforeAll
    static void startApi() throws Exception {
        api = new InProcessApiServer();
        client = api.client();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        try {
            client.serviceAccounts().inNamespace(NS).resource(new ServiceAccountBuilder().withNewMetadata()
                    .withName("default").endMetadata().build()).create();
        } catch (KubernetesClientException e) {
            // the server made it already
        }
    }

    @AfterAll
    static void stopApi() throws Exception {
        api.close();
    }

    @BeforeEach
    void setUp() {
        podsDir = dir.resolve("pods");
        manager = VolumeManager.builder().client(client).podsDir(podsDir).clock(clock)
                .nodeAllocatable(() -> Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi"))).build();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (String uid : podUids) {
            manager.unmount(uid); // unmounts every tmpfs before @TempDir is deleted
        }
        assertThat(Tmpfs.mountsUnder(dir)).isEmpty();
    }

    /** Creates the pod in the API (tokens are bound to it) and returns it with its uid. */
    private Pod pod(String name, List<Volume> volumes, Container... containers) {
        Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).addToLabels("app", "demo")
                .endMetadata().withNewSpec().withVolumes(volumes)
                .withContainers(containers.length == 0 ? List.of(container()) : List.of(containers)).endSpec().build();
        Pod created = client.pods().inNamespace(NS).resource(pod).create();
        podUids.add(created.getMetadata().getUid());
        return created;
    }

    private static Container container() {
        return new ContainerBuilder().withName("app").withImage("busybox").build();
    }

    private static String read(Path file) throws Exception {
        return Files.readString(file);
    }

    @Test
    void configMapFilesFollowUpdatesAtomically() throws Exception {
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("web")
                .endMetadata().addToData("index.html", "v1").addToData("other", "o").build()).create();
        Pod pod = pod("cm", List.of(new VolumeBuilder().withName("site").withNewConfigMap().withName("web")
                .addNewItem().withKey("index.html").withPath("html/index.html").withMode(0600).endItem()
                .endConfigMap().build()));
        Path site = manager.mount(pod).get("site");
        assertThat(site).isEqualTo(podsDir.resolve(pod.getMetadata().getUid() + "/volumes/kubernetes.io~configmap/site"));
        assertThat(read(site.resolve("html/index.html"))).isEqualTo("v1");
        assertThat(site.resolve("other")).doesNotExist();

        client.configMaps().inNamespace(NS).withName("web").edit(cm -> {
            cm.getData().put("index.html", "v2");
            return cm;
        });
        Path before = Files.readSymbolicLink(site.resolve("..data"));
        manager.refresh(pod);
        assertThat(read(site.resolve("html/index.html"))).isEqualTo("v2");
        assertThat(Files.readSymbolicLink(site.resolve("..data"))).isNotEqualTo(before);
        assertThat(site.resolve(before)).doesNotExist();
        Path after = Files.readSymbolicLink(site.resolve("..data"));
        manager.refresh(pod); // unchanged: not rewritten
        assertThat(Files.readSymbolicLink(site.resolve("..data"))).isEqualTo(after);
    }

    @Test
    void missingSourcesFailUnlessOptional() throws Exception {
        Pod required = pod("missing", List.of(new VolumeBuilder().withName("conf").withNewConfigMap()
                .withName("absent").endConfigMap().build()));
        assertThatThrownBy(() -> manager.mount(required)).isInstanceOf(VolumeException.class)
                .hasMessage("configmap \"absent\" not found")
                .satisfies(e -> assertThat(((VolumeException) e).failedMountMessage())
                        .isEqualTo("MountVolume.SetUp failed for volume \"conf\" : configmap \"absent\" not found"));
        Pod secretMissing = pod("missing-secret", List.of(new VolumeBuilder().withName("s").withNewSecret()
                .withSecretName("absent").endSecret().build()));
        assertThatThrownBy(() -> manager.mount(secretMissing)).hasMessage("secret \"absent\" not found");
        Pod optional = pod("optional", List.of(new VolumeBuilder().withName("conf").withNewConfigMap()
                .withName("absent").withOptional(true).endConfigMap().build()));
        Path conf = manager.mount(optional).get("conf");
        assertThat(conf).isDirectory();
        assertThat(conf.resolve("..data")).isDirectory();
    }

    @Test
    void secretsAreDecodedOnTmpfs() throws Exception {
        client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("creds").endMetadata()
                .addToData("password", Base64.getEncoder().encodeToString("s3cret".getBytes(StandardCharsets.UTF_8)))
                .build()).create();
        Pod pod = pod("secret", List.of(new VolumeBuilder().withName("creds").withNewSecret().withSecretName("creds")
                .withDefaultMode(0400).endSecret().build()));
        Path creds = manager.mount(pod).get("creds");
        assertThat(read(creds.resolve("password"))).isEqualTo("s3cret");
        assertThat(Files.getPosixFilePermissions(creds.resolve("password")))
                .isEqualTo(AtomicWriter.permissions(0400));
        if (isRoot()) {
            assertThat(Tmpfs.isMountPoint(creds)).isTrue();
        }
        manager.unmount(pod.getMetadata().getUid());
        assertThat(podsDir.resolve(pod.getMetadata().getUid() + "/volumes")).doesNotExist();
        assertThat(Tmpfs.mountsUnder(podsDir)).isEmpty();
    }

    @Test
    void projectedTokenConfigMapAndDownwardApi() throws Exception {
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("kube-root-ca.crt").endMetadata().addToData("ca.crt", "CERT").build()).create();
        Volume access = new VolumeBuilder().withName("kube-api-access-x1").withNewProjected().withDefaultMode(0644)
                .addNewSource().withNewServiceAccountToken().withPath("token").withExpirationSeconds(3607L)
                .endServiceAccountToken().endSource()
                .addNewSource().withNewConfigMap().withName("kube-root-ca.crt").addNewItem().withKey("ca.crt")
                .withPath("ca.crt").endItem().endConfigMap().endSource()
                .addNewSource().withNewDownwardAPI().addNewItem().withPath("namespace").withNewFieldRef()
                .withFieldPath("metadata.namespace").endFieldRef().endItem().endDownwardAPI().endSource()
                .endProjected().build();
        Pod pod = pod("projected", List.of(access));
        Path dirPath = manager.mount(pod).get("kube-api-access-x1");
        assertThat(dirPath.getParent().getFileName().toString()).isEqualTo("kubernetes.io~projected");
        String token = read(dirPath.resolve("token"));
        assertThat(token.split("\\.")).hasSize(3);
        assertThat(read(dirPath.resolve("ca.crt"))).isEqualTo("CERT");
        assertThat(read(dirPath.resolve("namespace"))).isEqualTo(NS);
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        assertThat(payload).contains("system:serviceaccount:" + NS + ":default").contains(pod.getMetadata().getUid());

        manager.refresh(pod); // not yet due: the same token
        assertThat(read(dirPath.resolve("token"))).isEqualTo(token);
        clock.advance(Duration.ofSeconds(3607 * 8 / 10 + 1));
        Thread.sleep(1100); // the server's tokens are stamped in whole seconds by its own clock
        manager.refresh(pod);
        assertThat(read(dirPath.resolve("token"))).isNotEqualTo(token);
    }

    @Test
    void downwardApiVolumeFollowsLabels() throws Exception {
        Container container = new ContainerBuilder().withName("app").withImage("busybox").withNewResources()
                .addToRequests("memory", new Quantity("64Mi")).endResources().build();
        Pod pod = pod("downward", List.of(new VolumeBuilder().withName("info").withNewDownwardAPI()
                .addNewItem().withPath("labels").withNewFieldRef().withFieldPath("metadata.labels").endFieldRef().endItem()
                .addNewItem().withPath("mem_limit").withNewResourceFieldRef().withContainerName("app")
                .withResource("limits.memory").withDivisor(new Quantity("1Mi")).endResourceFieldRef().endItem()
                .endDownwardAPI().build()), container);
        Path info = manager.mount(pod).get("info");
        assertThat(read(info.resolve("labels"))).isEqualTo("app=\"demo\"");
        assertThat(read(info.resolve("mem_limit"))).isEqualTo("8192");
        pod.getMetadata().getLabels().put("tier", "web");
        manager.refresh(pod);
        assertThat(read(info.resolve("labels"))).isEqualTo("app=\"demo\"\ntier=\"web\"");
    }

    @Test
    void emptyDirAndMemoryEmptyDir() throws Exception {
        Pod pod = pod("empty", List.of(
                new VolumeBuilder().withName("scratch").withNewEmptyDir().endEmptyDir().build(),
                new VolumeBuilder().withName("cache").withNewEmptyDir().withMedium("Memory")
                        .withSizeLimit(new Quantity("16Mi")).endEmptyDir().build()));
        Map<String, Path> paths = manager.mount(pod);
        assertThat(paths.get("scratch")).isDirectory()
                .isEqualTo(podsDir.resolve(pod.getMetadata().getUid() + "/volumes/kubernetes.io~empty-dir/scratch"));
        assertThat(Files.getPosixFilePermissions(paths.get("scratch"))).isEqualTo(AtomicWriter.permissions(0777));
        assumeTrue(isRoot(), "tmpfs mounts need root");
        assertThat(Tmpfs.isMountPoint(paths.get("cache"))).isTrue();
        assertThat(Files.getFileStore(paths.get("cache")).getTotalSpace()).isEqualTo(16L << 20);
        manager.mount(pod); // again (a kubelet restart): no second mount
        assertThat(Tmpfs.mountsUnder(paths.get("cache"))).hasSize(1);
        manager.unmount(pod.getMetadata().getUid());
        assertThat(Tmpfs.mountsUnder(podsDir)).isEmpty();
    }

    @Test
    void hostPathTypeErrorsAreVolumeErrors() throws Exception {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        Pod pod = pod("hostpath", List.of(new VolumeBuilder().withName("h").withNewHostPath().withPath(file.toString())
                .withType("Directory").endHostPath().build()));
        assertThatThrownBy(() -> manager.mount(pod)).isInstanceOf(VolumeException.class)
                .hasMessage("hostPath type check failed: " + file + " is not a directory");
        Pod ok = pod("hostpath-ok", List.of(new VolumeBuilder().withName("h").withNewHostPath()
                .withPath(dir.resolve("made").toString()).withType("DirectoryOrCreate").endHostPath().build()));
        assertThat(manager.mount(ok).get("h")).isEqualTo(dir.resolve("made")).isDirectory();
        manager.unmount(ok.getMetadata().getUid());
        assertThat(dir.resolve("made")).isDirectory(); // host data stays
    }

    @Test
    void claimsResolveToTheirBoundVolume() throws Exception {
        client.persistentVolumeClaims().inNamespace(NS).resource(new PersistentVolumeClaimBuilder().withNewMetadata()
                .withName("data").endMetadata().withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
                .addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build()).create();
        Pod pod = pod("claim", List.of(new VolumeBuilder().withName("d").withNewPersistentVolumeClaim()
                .withClaimName("data").endPersistentVolumeClaim().build()));
        assertThatThrownBy(() -> manager.mount(pod)).hasMessage("persistentvolumeclaim data is not bound");
        Path storage = dir.resolve("storage/pvc-1");
        client.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata().withName("pv-data")
                .endMetadata().withNewSpec().addToCapacity("storage", new Quantity("1Gi")).withAccessModes("ReadWriteOnce")
                .withNewHostPath().withPath(storage.toString()).withType("DirectoryOrCreate").endHostPath().endSpec()
                .build()).create();
        client.persistentVolumeClaims().inNamespace(NS).withName("data").edit(claim -> {
            claim.getSpec().setVolumeName("pv-data");
            return claim;
        });
        client.persistentVolumeClaims().inNamespace(NS).withName("data").editStatus(claim -> {
            claim.getStatus().setPhase("Bound");
            return claim;
        });
        assertThat(manager.mount(pod).get("d")).isEqualTo(storage).isDirectory();
        Pod other = pod("claim-missing", List.of(new VolumeBuilder().withName("d").withNewPersistentVolumeClaim()
                .withClaimName("nope").endPersistentVolumeClaim().build()));
        assertThatThrownBy(() -> manager.mount(other)).hasMessage("persistentvolumeclaim \"nope\" not found");
    }

    @Test
    void containerMountsWithSubPathsReadOnlyAndTheTerminationLog() throws Exception {
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("app-conf")
                .endMetadata().addToData("app.conf", "x=1").build()).create();
        Container container = new ContainerBuilder().withName("app").withImage("busybox")
                .addNewVolumeMount().withName("scratch").withMountPath("/data").withSubPath("logs/app").endVolumeMount()
                .addNewVolumeMount().withName("scratch").withMountPath("/ro").withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName("conf").withMountPath("/etc/app.conf").withSubPath("app.conf").endVolumeMount()
                .addNewVolumeMount().withName("scratch").withMountPath("/pod").withSubPathExpr("$(POD_NAME)").endVolumeMount()
                .build();
        Pod pod = pod("mounts", List.of(new VolumeBuilder().withName("scratch").withNewEmptyDir().endEmptyDir().build(),
                new VolumeBuilder().withName("conf").withNewConfigMap().withName("app-conf").endConfigMap().build()),
                container);
        Map<String, Path> volumes = manager.mount(pod);
        List<Mount> mounts = manager.mountsFor(pod, container, volumes, Map.of("POD_NAME", "mounts"));
        Path scratch = volumes.get("scratch");
        assertThat(mounts).hasSize(5);
        assertThat(mounts.get(0)).isEqualTo(new Mount(scratch.resolve("logs/app"), "/data", false, "logs/app"));
        assertThat(scratch.resolve("logs/app")).isDirectory();
        assertThat(mounts.get(1)).isEqualTo(new Mount(scratch, "/ro", true, null));
        assertThat(mounts.get(2)).isEqualTo(new Mount(volumes.get("conf").resolve("app.conf"), "/etc/app.conf", true,
                "app.conf"));
        assertThat(mounts.get(3)).isEqualTo(new Mount(scratch.resolve("mounts"), "/pod", false, "mounts"));
        Mount log = mounts.get(4);
        assertThat(log.containerPath()).isEqualTo("/dev/termination-log");
        assertThat(log.readOnly()).isFalse();
        assertThat(log.hostPath().getParent())
                .isEqualTo(podsDir.resolve(pod.getMetadata().getUid() + "/containers/app"));
        assertThat(log.hostPath().getFileName().toString()).matches("[0-9a-f]{8}");
        assertThat(manager.terminationMessage(pod.getMetadata().getUid(), "app")).isEmpty();
        Files.writeString(log.hostPath(), "bye");
        assertThat(manager.terminationMessage(pod.getMetadata().getUid(), "app")).contains("bye");

        Container bad = new ContainerBuilder().withName("bad").addNewVolumeMount().withName("scratch")
                .withMountPath("/x").withSubPath("../../etc").endVolumeMount().build();
        assertThatThrownBy(() -> manager.mountsFor(pod, bad, volumes))
                .hasMessage("unable to provision SubPath `../../etc`: must not contain '..'");
        Container unknown = new ContainerBuilder().withName("bad").addNewVolumeMount().withName("nope")
                .withMountPath("/x").endVolumeMount().build();
        assertThatThrownBy(() -> manager.mountsFor(pod, unknown, volumes))
                .hasMessage("cannot find volume \"nope\" to mount into container \"bad\"");
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
