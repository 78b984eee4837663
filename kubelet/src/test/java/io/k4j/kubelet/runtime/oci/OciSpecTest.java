package io.k4j.kubelet.runtime.oci;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.kubelet.runtime.ContainerConfig;
import io.k4j.kubelet.runtime.ContainerConfig.Security;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OciSpecTest {
    private static final OciSpec.Pod POD = new OciSpec.Pod(Path.of("/pod/hosts"), Path.of("/pod/resolv.conf"),
            Path.of("/pod/hostname"), Path.of("/run/netns/k4j-abc"), "web");

    private static ContainerConfig config(Security security, List<ContainerConfig.Mount> mounts, boolean tty) {
        return new ContainerConfig("app", 0, "sha256:x", "img", List.of(Path.of("/layers/1")), List.of("sh"),
                List.of("A=1"), "", mounts, tty, false, false, null, security,
                new ContainerConfig.Resources(512, 50000, 100000, 16L << 20), Path.of("/logs/app.log"), Map.of(),
                Map.of("k", "v"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> spec, String key) {
        return (Map<String, Object>) spec.get(key);
    }

    @Test
    void aDefaultContainerJoinsThePodNetworkWithLimitsSeccompAndMaskedPaths() {
        Map<String, Object> spec = OciSpec.build(config(Security.DEFAULT, List.of(), false), POD,
                Path.of("/c/rootfs"), "/k4j/pod-1/c1", new ImageUser(1000, 2000, List.of(3000L)));

        Map<String, Object> process = section(spec, "process");
        assertThat(process).containsEntry("terminal", false).containsEntry("cwd", "/")
                .containsEntry("args", List.of("sh"));
        assertThat((List<String>) process.get("env")).startsWith("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
                .contains("A=1");
        assertThat(process.get("user")).isEqualTo(Map.of("uid", 1000L, "gid", 2000L, "additionalGids", List.of(3000L)));
        assertThat(spec).containsEntry("hostname", "web");
        Map<String, Object> linux = section(spec, "linux");
        assertThat(linux).containsEntry("cgroupsPath", "/k4j/pod-1/c1").containsKeys("seccomp", "maskedPaths",
                "readonlyPaths");
        assertThat((List<Object>) linux.get("namespaces"))
                .contains(Map.of("type", "network", "path", "/run/netns/k4j-abc"), Map.of("type", "uts"));
        Map<String, Object> resources = section(linux, "resources");
        assertThat(resources.get("memory")).isEqualTo(Map.of("limit", 16L << 20, "swap", 16L << 20));
        assertThat(resources.get("cpu")).isEqualTo(Map.of("shares", 512L, "quota", 50000L, "period", 100000L));
        assertThat((List<Map<String, Object>>) spec.get("mounts")).extracting(m -> m.get("destination"))
                .contains("/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/sys/fs/cgroup",
                        "/etc/hosts", "/etc/resolv.conf", "/etc/hostname");
    }

    @Test
    void aVolumeMountedOverAPodFileReplacesItAndSubPathsResolve() {
        var mounts = List.of(new ContainerConfig.Mount(Path.of("/vol"), "/etc/hosts", true, "sub/file"));
        Map<String, Object> spec = OciSpec.build(config(Security.DEFAULT, mounts, true), POD, Path.of("/r"), "/c",
                new ImageUser(0, 0, List.of()));

        assertThat((List<Map<String, Object>>) spec.get("mounts"))
                .filteredOn(m -> m.get("destination").equals("/etc/hosts")).singleElement()
                .satisfies(m -> assertThat(m).containsEntry("source", "/vol/sub/file")
                        .containsEntry("options", List.of("rbind", "rprivate", "ro")));
        assertThat(section(spec, "process")).containsEntry("terminal", true);
    }

    @Test
    void privilegedGetsEveryCapabilityAndNoConfinement() {
        Security privileged = new Security(true, true, true, List.of(), List.of(), false);
        Map<String, Object> spec = OciSpec.build(config(privileged, List.of(), false), POD, Path.of("/r"), "/c",
                new ImageUser(0, 0, List.of()));

        assertThat(section(section(spec, "process"), "capabilities").get("bounding"))
                .isEqualTo(OciSpec.ALL_CAPABILITIES.stream().filter(OciSpec.nodeCapabilities()::contains).toList());
        assertThat(section(spec, "process")).containsEntry("noNewPrivileges", false);
        assertThat(section(spec, "linux")).doesNotContainKeys("seccomp", "maskedPaths", "readonlyPaths");
        assertThat(section(spec, "root")).containsEntry("readonly", true);
    }

    @Test
    void capabilitiesAreAddedAndDroppedByKubernetesNames() {
        assertThat(OciSpec.capabilities(new Security(false, false, false, List.of("NET_ADMIN"), List.of("kill"),
                false))).contains("CAP_NET_ADMIN").doesNotContain("CAP_KILL").contains("CAP_CHOWN");
        assertThat(OciSpec.capabilities(new Security(false, false, false, List.of("NET_BIND_SERVICE"),
                List.of("ALL"), false))).containsExactly("CAP_NET_BIND_SERVICE");
    }

    @Test
    void sysAdminLetsTheMountFamilyThroughSeccomp() {
        Security sysAdmin = new Security(false, false, false, List.of("SYS_ADMIN"), List.of(), false);
        Map<String, Object> spec = OciSpec.build(config(sysAdmin, List.of(), false), POD, Path.of("/r"), "/c",
                new ImageUser(0, 0, List.of()));
        String seccomp = section(spec, "linux").get("seccomp").toString();
        assertThat(seccomp).contains("keyctl").doesNotContain("mount");
        Security unconfined = new Security(false, false, false, List.of(), List.of(), true);
        assertThat(section(OciSpec.build(config(unconfined, List.of(), false), POD, Path.of("/r"), "/c",
                new ImageUser(0, 0, List.of())), "linux")).doesNotContainKey("seccomp");
    }
}
