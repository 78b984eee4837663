package io.k4j.kubelet.runtime.oci;

import io.k4j.kubelet.runtime.ContainerConfig;
import io.k4j.kubelet.runtime.ContainerConfig.Security;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Builds a container's OCI runtime spec (config.json) the way containerd's CRI plugin fills it in. */
final class OciSpec {
    /** The capabilities a container gets by default (containerd's and Docker's set). */
    static final List<String> DEFAULT_CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID",
            "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");
    static final List<String> ALL_CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH",
            "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
            "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK",
            "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT",
            "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
            "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
            "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND",
            "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE");
    private static final List<String> MASKED_PATHS = List.of("/proc/acpi", "/proc/asound", "/proc/kcore",
            "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
            "/proc/scsi", "/sys/firmware");
    private static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");

    /**
     * @param netns    the network namespace to join, null to stay in the runtime's own
     * @param hostname the pod's hostname, null to keep the node's (host network)
     */
    record Pod(Path hostsFile, Path resolvConf, Path hostnameFile, Path netns, String hostname) {
    }

    private OciSpec() {
    }

    static Map<String, Object> build(ContainerConfig config, Pod pod, Path rootfs, String cgroupsPath,
            ImageUser user) {
        Security security = config.security() == null ? Security.DEFAULT : config.security();
        // a capability outside the node's own bounding set cannot be granted (the node may itself be a container)
        List<String> capabilities = capabilities(security).stream().filter(nodeCapabilities()::contains).toList();
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("ociVersion", "1.0.2");
        spec.put("process", process(config, security, capabilities, user));
        spec.put("root", Map.of("path", rootfs.toString(), "readonly", security.readOnlyRootFilesystem()));
        if (pod.hostname() != null) {
            spec.put("hostname", pod.hostname());
        }
        spec.put("mounts", mounts(config, pod, security.privileged()));
        spec.put("linux", linux(config, security, pod, cgroupsPath, capabilities.contains("CAP_SYS_ADMIN")));
        spec.put("annotations", config.annotations() == null ? Map.of() : config.annotations());
        return spec;
    }

    private static Map<String, Object> process(ContainerConfig config, Security security, List<String> capabilities,
            ImageUser user) {
        Map<String, Object> process = new LinkedHashMap<>();
        process.put("terminal", config.tty());
        process.put("user", Map.of("uid", user.uid(), "gid", user.gid(), "additionalGids", user.additionalGids()));
        process.put("args", config.argv());
        process.put("env", withPath(config.env()));
        String cwd = config.workingDir();
        process.put("cwd", cwd == null || cwd.isEmpty() ? "/" : cwd);
        process.put("capabilities", Map.of("bounding", capabilities, "effective", capabilities, "permitted",
                capabilities));
        process.put("noNewPrivileges", security.noNewPrivileges() && !security.privileged());
        process.put("oomScoreAdj", 0);
        return process;
    }

    private static List<String> withPath(List<String> env) {
        List<String> result = new ArrayList<>(env == null ? List.of() : env);
        if (result.stream().noneMatch(entry -> entry.startsWith("PATH="))) {
            result.addFirst("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        }
        return result;
    }

    private static volatile Set<String> nodeCapabilities;

    /** The capabilities in this process' bounding set (ALL_CAPABILITIES is in kernel bit order). */
    static Set<String> nodeCapabilities() {
        if (nodeCapabilities == null) {
            Set<String> result = new LinkedHashSet<>(ALL_CAPABILITIES);
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("CapBnd:")) {
                        long mask = Long.parseUnsignedLong(line.substring("CapBnd:".length()).strip(), 16);
                        result.clear();
                        for (int bit = 0; bit < ALL_CAPABILITIES.size(); bit++) {
                            if ((mask & (1L << bit)) != 0) {
                                result.add(ALL_CAPABILITIES.get(bit));
                            }
                        }
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // not Linux-like: leave every capability to the runtime to judge
            }
            nodeCapabilities = result;
        }
        return nodeCapabilities;
    }

    /** Kubernetes names capabilities without the CAP_ prefix and accepts ALL. */
    static List<String> capabilities(Security security) {
        if (security.privileged()) {
            return ALL_CAPABILITIES;
        }
        Set<String> result = new LinkedHashSet<>(DEFAULT_CAPABILITIES);
        List<String> add = normalized(security.addCapabilities());
        List<String> drop = normalized(security.dropCapabilities());
        if (add.contains("CAP_ALL")) {
            result.addAll(ALL_CAPABILITIES);
        } else {
            result.addAll(add);
        }
        if (drop.contains("CAP_ALL")) {
            result.clear();
            result.addAll(add.contains("CAP_ALL") ? ALL_CAPABILITIES : add);
        } else {
            drop.forEach(result::remove);
        }
        return List.copyOf(result);
    }

    private static List<String> normalized(List<String> names) {
        if (names == null) {
            return List.of();
        }
        return names.stream().map(name -> name.toUpperCase(Locale.ROOT))
                .map(name -> name.startsWith("CAP_") ? name : "CAP_" + name).toList();
    }

    private static List<Map<String, Object>> mounts(ContainerConfig config, Pod pod, boolean privileged) {
        List<Map<String, Object>> mounts = new ArrayList<>();
        mounts.add(mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")));
        mounts.add(mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")));
        mounts.add(mount("/dev/pts", "devpts", "devpts",
                List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")));
        mounts.add(mount("/dev/shm", "tmpfs", "shm",
                List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")));
        mounts.add(mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")));
        String sys = privileged ? "rw" : "ro";
        mounts.add(mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", sys)));
        mounts.add(mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("nosuid", "noexec", "nodev", "relatime", sys)));
        List<String> userPaths = config.mounts() == null ? List.of()
                : config.mounts().stream().map(ContainerConfig.Mount::containerPath).toList();
        addPodFile(mounts, userPaths, "/etc/hosts", pod.hostsFile());
        addPodFile(mounts, userPaths, "/etc/resolv.conf", pod.resolvConf());
        addPodFile(mounts, userPaths, "/etc/hostname", pod.hostnameFile());
        if (config.mounts() != null) {
            for (ContainerConfig.Mount mount : config.mounts()) {
                Path source = mount.subPath() == null || mount.subPath().isEmpty() ? mount.hostPath()
                        : mount.hostPath().resolve(mount.subPath());
                mounts.add(bind(mount.containerPath(), source, mount.readOnly()));
            }
        }
        return mounts;
    }

    private static void addPodFile(List<Map<String, Object>> mounts, List<String> userPaths, String path, Path file) {
        if (file != null && !userPaths.contains(path)) {
            mounts.add(bind(path, file, false));
        }
    }

    private static Map<String, Object> bind(String destination, Path source, boolean readOnly) {
        List<String> options = new ArrayList<>(List.of("rbind", "rprivate"));
        options.add(readOnly ? "ro" : "rw");
        return mount(destination, "bind", source.toString(), options);
    }

    private static Map<String, Object> mount(String destination, String type, String source, List<String> options) {
        return Map.of("destination", destination, "type", type, "source", source, "options", options);
    }

    private static Map<String, Object> linux(ContainerConfig config, Security security, Pod pod, String cgroupsPath,
            boolean sysAdmin) {
        Map<String, Object> linux = new LinkedHashMap<>();
        List<Map<String, Object>> namespaces = new ArrayList<>();
        for (String type : List.of("pid", "ipc", "mount")) {
            namespaces.add(Map.of("type", type));
        }
        if (pod.hostname() != null) {
            namespaces.add(Map.of("type", "uts"));
        }
        if (pod.netns() != null) {
            namespaces.add(Map.of("type", "network", "path", pod.netns().toString()));
        }
        linux.put("namespaces", namespaces);
        linux.put("cgroupsPath", cgroupsPath);
        linux.put("resources", resources(config.resources(), security.privileged()));
        if (security.privileged()) {
            linux.put("devices", HostDevices.list());
        } else {
            linux.put("maskedPaths", MASKED_PATHS);
            linux.put("readonlyPaths", READONLY_PATHS);
        }
        if (!security.seccompUnconfined() && !security.privileged()) {
            linux.put("seccomp", SeccompDefault.profile(sysAdmin));
        }
        return linux;
    }

    private static Map<String, Object> resources(ContainerConfig.Resources resources, boolean privileged) {
        Map<String, Object> result = new LinkedHashMap<>();
        // deny every device but the runtime's defaults (null, zero, tty, ...); privileged containers get them all
        result.put("devices", List.of(Map.of("allow", privileged, "access", "rwm")));
        if (resources == null) {
            return result;
        }
        if (resources.memoryLimitBytes() > 0) {
            // swap limited to the memory limit: no swap, as the kubelet runs pods without it
            result.put("memory", Map.of("limit", resources.memoryLimitBytes(), "swap", resources.memoryLimitBytes()));
        }
        Map<String, Object> cpu = new LinkedHashMap<>();
        if (resources.cpuShares() > 0) {
            cpu.put("shares", resources.cpuShares());
        }
        if (resources.cpuQuota() > 0) {
            cpu.put("quota", resources.cpuQuota());
            cpu.put("period", resources.cpuPeriod() > 0 ? resources.cpuPeriod() : 100000);
        }
        if (!cpu.isEmpty()) {
            result.put("cpu", cpu);
        }
        return result;
    }
}
