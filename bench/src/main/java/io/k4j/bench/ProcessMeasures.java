package io.k4j.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A JVM's memory (heap in use after a full GC, through jcmd; resident set size) and CPU time, from /proc. */
public final class ProcessMeasures {

    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    private ProcessMeasures() {
    }

    /** {heap used MiB, RSS MiB}; -1 for what could not be read. */
    public static long[] measure(long pid) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        run(jcmd.toString(), Long.toString(pid), "GC.run");
        String heap = run(jcmd.toString(), Long.toString(pid), "GC.heap_info");
        Matcher matcher = HEAP_USED.matcher(heap);
        long heapMiB = matcher.find() ? Long.parseLong(matcher.group(1)) / 1024 : -1;
        long rssMiB = -1;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                rssMiB = Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return new long[] {heapMiB, rssMiB};
    }

    /** CPU time (user + system) the process has used so far, in milliseconds, from /proc/PID/stat. */
    public static long cpuMillis(long pid) throws java.io.IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14 and 15)
        return ticks * 1000 / 100; // USER_HZ is 100 on Linux
    }

    /**
     * CPU time the whole machine has spent busy so far (user, nice, system, irq, softirq, steal over every core), in
     * milliseconds, from /proc/stat: with the benchmark's own processes subtracted, what short-lived helpers such as
     * runc and CNI plugins used.
     */
    public static long machineCpuMillis() throws java.io.IOException {
        String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long ticks = 0;
        for (int field : new int[] {1, 2, 3, 6, 7, 8}) { // user nice system (idle iowait) irq softirq steal
            ticks += Long.parseLong(fields[field]);
        }
        return ticks * 1000 / 100;
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        process.waitFor(60, TimeUnit.SECONDS);
        return out;
    }
}
