package io.k4j.kubelet.runtime.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The node's cgroup v1 hierarchies: container stats, OOM kills, and removing the pod-level cgroups runtimes leave. */
final class CgroupV1 {
    private final List<Path> hierarchies;
    private final Path memory;
    private final Path cpuacct;

    private CgroupV1(List<Path> hierarchies) {
        this.hierarchies = hierarchies;
        this.memory = find(hierarchies, "memory");
        this.cpuacct = find(hierarchies, "cpuacct");
    }

    /** Reads the v1 mounts from /proc/self/mounts. */
    static CgroupV1 detect() throws IOException {
        List<Path> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            String[] fields = line.split(" ");
            // The cgroup2 mount of a hybrid machine (/sys/fs/cgroup/unified) gets runc's cgroups too: removal
            // must cover it, though stats come from the v1 controllers only.
            if (fields.length > 2 && (fields[2].equals("cgroup") || fields[2].equals("cgroup2"))) {
                mounts.add(Path.of(fields[1]));
            }
        }
        return new CgroupV1(mounts);
    }

    boolean available() {
        return memory != null && cpuacct != null;
    }

    long cpuUsageNanos(String cgroup) throws IOException {
        return readLong(dir(cpuacct, cgroup).resolve("cpuacct.usage"));
    }

    long memoryUsageBytes(String cgroup) throws IOException {
        return readLong(dir(memory, cgroup).resolve("memory.usage_in_bytes"));
    }

    /** Usage minus inactive file pages, as the kubelet's eviction and kubectl top count it. */
    long memoryWorkingSetBytes(String cgroup) throws IOException {
        long usage = memoryUsageBytes(cgroup);
        long inactiveFile = statValue(dir(memory, cgroup).resolve("memory.stat"), "total_inactive_file");
        return Math.max(0, usage - inactiveFile);
    }

    /** Whether the memory limit's OOM killer killed a process in the cgroup (false when the cgroup is gone). */
    boolean oomKilled(String cgroup) {
        try {
            return statValue(dir(memory, cgroup).resolve("memory.oom_control"), "oom_kill") > 0;
        } catch (IOException gone) {
            return false;
        }
    }

    boolean exists(String cgroup) {
        return hierarchies.stream().anyMatch(hierarchy -> Files.isDirectory(dir(hierarchy, cgroup)));
    }

    /** Removes {@code cgroup} and everything below it in every hierarchy, deepest first (they must hold no tasks). */
    void removeTree(String cgroup) throws IOException {
        List<String> failures = new ArrayList<>();
        for (Path hierarchy : hierarchies) {
            Path top = dir(hierarchy, cgroup);
            if (!Files.isDirectory(top)) {
                continue;
            }
            List<Path> dirs;
            try (Stream<Path> walk = Files.walk(top)) {
                dirs = walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList();
            }
            for (Path dir : dirs) {
                try {
                    Files.deleteIfExists(dir);
                } catch (IOException e) {
                    failures.add(dir + ": " + e.getMessage());
                }
            }
        }
        if (!failures.isEmpty()) {
            throw new IOException("cannot remove cgroup " + cgroup + ": " + String.join("; ", failures));
        }
    }

    private static Path dir(Path hierarchy, String cgroup) {
        return hierarchy.resolve(cgroup.startsWith("/") ? cgroup.substring(1) : cgroup);
    }

    private static Path find(List<Path> hierarchies, String controller) {
        return hierarchies.stream()
                .filter(path -> List.of(path.getFileName().toString().split(",")).contains(controller))
                .findFirst().orElse(null);
    }

    private static long readLong(Path file) throws IOException {
        return Long.parseLong(Files.readString(file).strip());
    }

    private static long statValue(Path file, String key) throws IOException {
        for (String line : Files.readAllLines(file)) {
            String[] fields = line.split(" ");
            if (fields.length == 2 && fields[0].equals(key)) {
                return Long.parseLong(fields[1]);
            }
        }
        return 0;
    }
}
