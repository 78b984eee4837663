package io.k4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code k4j} launcher's AOT caches for the server and for a scheduler run on its own (JDK 25+): a first run
 * records one and writes it as it stops; the next run starts from it and works.
 */
class LauncherAotCacheIT {

    static final Path LAUNCHER = Path.of("..", "k4j").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void aServersFirstRunRecordsTheCacheAndTheNextStartsFromIt() throws Exception {
        Assumptions.assumeTrue(Runtime.version().feature() >= 25,
                "the launcher keeps an AOT cache only on JDK 25 or later; this is JDK " + Runtime.version().feature());
        Path cache = dir.resolve("server.aot");
        Path dataDir = dir.resolve("data");

        Process first = start(cache, dataDir);
        List<String> firstOut = readUntilStarted(first);
        assertThat(firstOut).anyMatch(line -> line.contains("this run records an AOT cache"));
        assertThat(commandLine(first)).contains("-XX:AOTCacheOutput=" + cache);
        stop(first);
        assertThat(cache).isNotEmptyFile();

        Process second = start(cache, dataDir);
        List<String> secondOut = readUntilStarted(second);
        assertThat(secondOut).noneMatch(line -> line.contains("records an AOT cache"));
        assertThat(commandLine(second)).contains("-XX:AOTCache=" + cache).doesNotContain("AOTCacheOutput");
        if (K4jJarIT.kubectlOnPath()) {
            Process kubectl = new ProcessBuilder(LAUNCHER.toString(), "kubectl", "--data-dir", dataDir.toString(),
                    "get", "namespaces", "-o", "name").redirectErrorStream(true).start();
            String listed = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(kubectl.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(listed).contains("namespace/default");
        }
        stop(second);
    }

    @Test
    void aStandaloneSchedulersFirstRunRecordsItsCacheAndTheNextStartsFromIt() throws Exception {
        Assumptions.assumeTrue(Runtime.version().feature() >= 25,
                "the launcher keeps an AOT cache only on JDK 25 or later; this is JDK " + Runtime.version().feature());
        Path cache = dir.resolve("scheduler.aot");
        try (RunningServer server = RunningServer.start(dir.resolve("data"), "k4j server: controller manager started",
                "--disable", "scheduler")) {
            Process first = startScheduler(cache, server.kubeconfig());
            List<String> firstOut = readUntil(first, "listed the cluster and is scheduling");
            assertThat(firstOut).anyMatch(line -> line.contains("this run records an AOT cache"));
            assertThat(commandLine(first)).contains("-XX:AOTCacheOutput=" + cache);
            stop(first);
            assertThat(cache).isNotEmptyFile();

            Process second = startScheduler(cache, server.kubeconfig());
            List<String> secondOut = readUntil(second, "listed the cluster and is scheduling");
            assertThat(secondOut).noneMatch(line -> line.contains("records an AOT cache"));
            assertThat(commandLine(second)).contains("-XX:AOTCache=" + cache).doesNotContain("AOTCacheOutput");
            stop(second);
        }
    }

    private static Process startScheduler(Path cache, Path kubeconfig) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString(), "scheduler", "--kubeconfig", kubeconfig.toString())
                .redirectErrorStream(true);
        builder.environment().put("K4J_SCHEDULER_AOT_CACHE", cache.toString());
        return builder.start();
    }

    private static Process start(Path cache, Path dataDir) throws Exception {
        assertThat(LAUNCHER).isExecutable();
        ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString(), "server", "--data-dir", dataDir.toString(),
                "--https-listen-port", "0", "--disable", "kubelet,dns,servicelb,ingress").redirectErrorStream(true);
        builder.environment().put("K4J_AOT_CACHE", cache.toString());
        return builder.start();
    }

    /** The launcher's and server's lines up to the controller manager's start (the server is serving by then). */
    private static List<String> readUntilStarted(Process server) throws Exception {
        return readUntil(server, "k4j server: controller manager started");
    }

    /** The process's lines up to the first that contains {@code text}. */
    private static List<String> readUntil(Process process, String text) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = out.readLine()) != null) {
            lines.add(line);
            if (line.contains(text)) {
                // Keep reading, so the process never blocks on a full pipe; the lines go to the test's output.
                Thread.ofVirtual().start(() -> out.lines().forEach(System.out::println));
                return lines;
            }
        }
        throw new AssertionError("the process stopped before printing \"" + text + "\": " + String.join("\n", lines));
    }

    /** The JVM's command line: the launcher execs java, so the process is the JVM. */
    private static String commandLine(Process process) throws Exception {
        return Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline")).replace('\0', ' ');
    }

    private static void stop(Process server) throws Exception {
        // SIGTERM through the handle: Process.destroy would also close our end of its output, and a recording run
        // still prints while it writes its cache (a JVM it starts for that dies of the broken pipe).
        server.toHandle().destroy();
        assertThat(server.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(server.exitValue()).isIn(0, 143);
    }
}
