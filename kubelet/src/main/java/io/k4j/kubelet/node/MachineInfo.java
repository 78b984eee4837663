package io.k4j.kubelet.node;

import java.util.Locale;
import java.util.Optional;

/**
 * What the node reports about the machine: its size and its identity, read as upstream's kubelet (through
 * cAdvisor) reads them.
 *
 * @param architecture Go's name (amd64, arm64), as in the kubernetes.io/arch label
 */
public record MachineInfo(String hostname, int cpus, long memoryBytes, String operatingSystem, String architecture,
        String osImage, String kernelVersion, String machineId, String systemUuid, String bootId) {

    /** Reads the machine through {@code files}; {@code cpus} and {@code javaArch} come from the JVM. */
    public static MachineInfo read(HostFiles files, int cpus, String javaArch) {
        return new MachineInfo(
                files.firstLine("/proc/sys/kernel/hostname").orElse("localhost").toLowerCase(Locale.ROOT),
                cpus,
                meminfoBytes(files.read("/proc/meminfo").orElse(""), "MemTotal").orElse(0L),
                "linux",
                goArch(javaArch),
                osImage(files.read("/etc/os-release").orElse("")),
                files.firstLine("/proc/sys/kernel/osrelease").orElse(""),
                files.firstLine("/etc/machine-id").or(() -> files.firstLine("/var/lib/dbus/machine-id")).orElse(""),
                files.firstLine("/sys/class/dmi/id/product_uuid").orElse(""),
                files.firstLine("/proc/sys/kernel/random/boot_id").orElse(""));
    }

    public static MachineInfo local() {
        return read(HostFiles.system(), Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"));
    }

    /** The JVM's os.arch in Go's GOARCH spelling. */
    public static String goArch(String javaArch) {
        return switch (javaArch.toLowerCase(Locale.ROOT)) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i486", "i586", "i686" -> "386";
            case "arm", "arm32" -> "arm";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            default -> javaArch.toLowerCase(Locale.ROOT);
        };
    }

    /** PRETTY_NAME of /etc/os-release, unquoted; "Linux" when there is none (upstream's fallback). */
    static String osImage(String osRelease) {
        return osRelease.lines()
                .filter(line -> line.startsWith("PRETTY_NAME="))
                .map(line -> line.substring("PRETTY_NAME=".length()).trim())
                .map(value -> value.length() >= 2 && (value.startsWith("\"") || value.startsWith("'"))
                        ? value.substring(1, value.length() - 1) : value)
                .findFirst().orElse("Linux");
    }

    /** A /proc/meminfo field ("MemTotal:  24578596 kB") in bytes. */
    static Optional<Long> meminfoBytes(String meminfo, String field) {
        return meminfo.lines()
                .filter(line -> line.startsWith(field + ":"))
                .map(line -> line.substring(field.length() + 1).trim().split("\\s+"))
                .map(parts -> {
                    long value = Long.parseLong(parts[0]);
                    return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * 1024 : value;
                })
                .findFirst();
    }
}
