package io.k4j.kubelet.node;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One observation of the eviction signals the pressure conditions are computed from (upstream's
 * memory.available, nodefs.available and pid.available), plus the filesystem size capacity is reported from.
 */
public record NodeSignals(long memoryAvailableBytes, long nodefsAvailableBytes, long nodefsCapacityBytes,
        long pidLimit, long processes) {

    public long pidAvailable() {
        return pidLimit - processes;
    }

    /**
     * Reads the machine: MemAvailable of /proc/meminfo, the data dir's filesystem, and the PID limit (the smaller of
     * pid_max and threads-max, as upstream) against the running tasks of /proc/loadavg (what sysinfo(2) counts).
     */
    public static NodeSignals read(HostFiles files, Path dataDir) throws IOException {
        FileStore store = Files.getFileStore(existing(dataDir));
        String meminfo = files.read("/proc/meminfo").orElse("");
        long available = MachineInfo.meminfoBytes(meminfo, "MemAvailable")
                .orElseGet(() -> MachineInfo.meminfoBytes(meminfo, "MemFree").orElse(0L));
        long pidMax = files.firstLine("/proc/sys/kernel/pid_max").map(Long::parseLong).orElse(32768L);
        long threadsMax = files.firstLine("/proc/sys/kernel/threads-max").map(Long::parseLong).orElse(pidMax);
        return new NodeSignals(available, store.getUsableSpace(), store.getTotalSpace(), Math.min(pidMax, threadsMax),
                processes(files.firstLine("/proc/loadavg").orElse("")));
    }

    /** The second number of /proc/loadavg's "running/total" field. */
    static long processes(String loadavg) {
        String[] fields = loadavg.trim().split("\\s+");
        if (fields.length < 4 || !fields[3].contains("/")) {
            return 0;
        }
        return Long.parseLong(fields[3].substring(fields[3].indexOf('/') + 1));
    }

    private static Path existing(Path dir) {
        Path candidate = dir.toAbsolutePath();
        while (candidate != null && !Files.exists(candidate)) {
            candidate = candidate.getParent();
        }
        return candidate == null ? Path.of("/") : candidate;
    }
}
