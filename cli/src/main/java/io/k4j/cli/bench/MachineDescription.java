package io.k4j.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** One line naming the machine a benchmark ran on: CPU, cores, memory, kernel, JVM. */
final class MachineDescription {

    private MachineDescription() {
    }

    static String describe() {
        String cpu = firstValue(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch"));
        String memory = firstValue(Path.of("/proc/meminfo"), "MemTotal")
                .map(kb -> Math.round(Long.parseLong(kb.replaceAll("\\D", "")) / 1024.0 / 1024.0) + " GiB")
                .orElse("? GiB");
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores, " + memory + ", Linux "
                + System.getProperty("os.version") + ", Java " + Runtime.version().feature();
    }

    private static java.util.Optional<String> firstValue(Path file, String field) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.stream().filter(line -> line.startsWith(field)).findFirst()
                    .map(line -> line.substring(line.indexOf(':') + 1).trim());
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }
}
