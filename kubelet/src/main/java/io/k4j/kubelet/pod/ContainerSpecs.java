package io.k4j.kubelet.pod;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.k4j.kubelet.container.EnvResolver;
import io.k4j.kubelet.image.Image;
import io.k4j.kubelet.runtime.ContainerConfig;
import io.k4j.kubelet.runtime.RuntimeLabels;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Turns a pod's container, its image and its resolved environment and mounts into what the runtime creates. */
final class ContainerSpecs {

    static final long CPU_PERIOD = 100_000;
    static final long MIN_SHARES = 2;
    static final long MIN_QUOTA = 1_000;

    private ContainerSpecs() {
    }

    /** Everything except the image's layers, which the caller adds from the image service. */
    static ContainerConfig build(Pod pod, Container container, Image image, List<Path> layers, List<String> env,
            Map<String, String> variables, List<ContainerConfig.Mount> mounts, int restartCount, Path logPath) {
        List<String> argv = argv(container, image.config(), variables);
        String workingDir = notEmpty(container.getWorkingDir()) ? container.getWorkingDir()
                : notEmpty(image.config().workingDir()) ? image.config().workingDir() : "/";
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(RuntimeLabels.POD_UID, pod.getMetadata().getUid());
        labels.put(RuntimeLabels.POD_NAME, pod.getMetadata().getName());
        labels.put(RuntimeLabels.POD_NAMESPACE, pod.getMetadata().getNamespace());
        labels.put(RuntimeLabels.CONTAINER_NAME, container.getName());
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(RuntimeLabels.CONTAINER_HASH, hash(container));
        annotations.put(RuntimeLabels.RESTART_COUNT, Integer.toString(restartCount));
        return new ContainerConfig(container.getName(), restartCount, image.id(), container.getImage(), layers, argv,
                env, workingDir, mounts, Boolean.TRUE.equals(container.getTty()),
                Boolean.TRUE.equals(container.getStdin()), Boolean.TRUE.equals(container.getStdinOnce()),
                user(pod, container, image), security(pod, container), resources(container), logPath, labels,
                annotations);
    }

    /** Upstream's rules: command replaces the entrypoint and drops the image's cmd; args alone replace the cmd. */
    static List<String> argv(Container container, Image.ImageConfig image, Map<String, String> env) {
        List<String> command = container.getCommand() == null ? List.of() : container.getCommand();
        List<String> args = container.getArgs() == null ? List.of() : container.getArgs();
        List<String> argv = new ArrayList<>();
        if (!command.isEmpty()) {
            argv.addAll(EnvResolver.expand(command, env));
            argv.addAll(EnvResolver.expand(args, env));
        } else {
            argv.addAll(orEmpty(image.entrypoint()));
            argv.addAll(!args.isEmpty() ? EnvResolver.expand(args, env) : orEmpty(image.cmd()));
        }
        return argv;
    }

    /**
     * The container's identity for restarts: only the fields a running pod may change (its image) and its name, so
     * a kubelet upgrade never restarts containers by hashing differently (upstream's pitfall).
     */
    static String hash(Container container) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((container.getName() + "\n" + container.getImage()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ContainerConfig.User user(Pod pod, Container container, Image image) {
        PodSecurityContext podContext = pod.getSpec().getSecurityContext();
        SecurityContext context = container.getSecurityContext();
        Long uid = context != null && context.getRunAsUser() != null ? context.getRunAsUser()
                : podContext != null ? podContext.getRunAsUser() : null;
        Long gid = context != null && context.getRunAsGroup() != null ? context.getRunAsGroup()
                : podContext != null ? podContext.getRunAsGroup() : null;
        List<Long> groups = new ArrayList<>();
        if (podContext != null && podContext.getSupplementalGroups() != null) {
            groups.addAll(podContext.getSupplementalGroups());
        }
        if (podContext != null && podContext.getFsGroup() != null) {
            groups.add(podContext.getFsGroup());
        }
        String imageUser = notEmpty(image.config().user()) ? image.config().user() : null;
        return new ContainerConfig.User(uid, gid, groups, uid == null ? imageUser : null);
    }

    private static ContainerConfig.Security security(Pod pod, Container container) {
        SecurityContext context = container.getSecurityContext();
        PodSecurityContext podContext = pod.getSpec().getSecurityContext();
        if (context == null) {
            context = new SecurityContext();
        }
        boolean privileged = Boolean.TRUE.equals(context.getPrivileged());
        Capabilities capabilities = context.getCapabilities();
        SeccompProfile seccomp = context.getSeccompProfile() != null ? context.getSeccompProfile()
                : podContext != null ? podContext.getSeccompProfile() : null;
        boolean unconfined = privileged || seccomp != null && "Unconfined".equals(seccomp.getType());
        return new ContainerConfig.Security(privileged, Boolean.TRUE.equals(context.getReadOnlyRootFilesystem()),
                Boolean.FALSE.equals(context.getAllowPrivilegeEscalation()) && !privileged,
                capabilities == null || capabilities.getAdd() == null ? List.of() : capabilities.getAdd(),
                capabilities == null || capabilities.getDrop() == null ? List.of() : capabilities.getDrop(),
                unconfined);
    }

    /** Upstream's cgroup mapping: shares from the cpu request (or the limit when only that is set), quota from the limit. */
    static ContainerConfig.Resources resources(Container container) {
        if (container.getResources() == null) {
            return new ContainerConfig.Resources(MIN_SHARES, 0, 0, 0);
        }
        Map<String, Quantity> requests = Objects.requireNonNullElse(container.getResources().getRequests(), Map.of());
        Map<String, Quantity> limits = Objects.requireNonNullElse(container.getResources().getLimits(), Map.of());
        Quantity cpuRequest = requests.getOrDefault("cpu", limits.get("cpu"));
        long shares = cpuRequest == null ? MIN_SHARES : Math.max(MIN_SHARES, milli(cpuRequest) * 1024 / 1000);
        long quota = 0;
        long period = 0;
        if (limits.containsKey("cpu")) {
            quota = Math.max(MIN_QUOTA, milli(limits.get("cpu")) * CPU_PERIOD / 1000);
            period = CPU_PERIOD;
        }
        long memory = limits.containsKey("memory") ? limits.get("memory").getNumericalAmount().longValue() : 0;
        return new ContainerConfig.Resources(shares, quota, period, memory);
    }

    private static long milli(Quantity cpu) {
        return cpu.getNumericalAmount().multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.CEILING).longValue();
    }

    private static List<String> orEmpty(List<String> list) {
        return list == null ? List.of() : list;
    }

    private static boolean notEmpty(String value) {
        return value != null && !value.isEmpty();
    }
}
