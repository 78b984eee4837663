package io.k4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Which container runtime the node runs ({@code --runtime}): runc or crun need root, the runtime itself, conmon and
 * the CNI plugins; without {@code --runtime} the node takes runc when all are there and the simulated runtime
 * otherwise, saying why.
 *
 * @param name    runc, crun or simulated
 * @param version nodeInfo.containerRuntimeVersion, e.g. runc://1.1.5
 * @param reason  why the simulated runtime was chosen without being asked for, else null
 */
record RuntimeChoice(String name, String version, String reason) {

    static final List<String> NAMES = List.of("runc", "crun", "simulated");
    static final List<Path> CNI_DIRS = List.of(Path.of("/usr/lib/cni"), Path.of("/opt/cni/bin"));

    /** What the machine offers; a seam for tests. */
    interface Host {
        boolean root();

        /** The executable's path, if it is on the PATH. */
        Optional<Path> which(String executable);

        boolean exists(Path file);

        /** The first line the program prints for --version, or empty. */
        Optional<String> versionLine(Path executable);

        static Host local() {
            return new Host() {
                @Override
                public boolean root() {
                    return "root".equals(System.getProperty("user.name"));
                }

                @Override
                public Optional<Path> which(String executable) {
                    for (String entry : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin").split(":")) {
                        Path candidate = entry.isEmpty() ? null : Path.of(entry, executable);
                        if (candidate != null && Files.isExecutable(candidate)) {
                            return Optional.of(candidate);
                        }
                    }
                    return Optional.empty();
                }

                @Override
                public boolean exists(Path file) {
                    return Files.exists(file);
                }

                @Override
                public Optional<String> versionLine(Path executable) {
                    try {
                        Process process = new ProcessBuilder(executable.toString(), "--version")
                                .redirectErrorStream(true).start();
                        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                        process.waitFor(10, TimeUnit.SECONDS);
                        return out.lines().findFirst();
                    } catch (IOException e) {
                        return Optional.empty();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return Optional.empty();
                    }
                }
            };
        }
    }

    static RuntimeChoice choose(String requested, Host host) {
        if (requested != null && !NAMES.contains(requested)) {
            throw new IllegalArgumentException("--runtime: unknown runtime " + requested + "; known: " + NAMES);
        }
        if ("simulated".equals(requested)) {
            return simulated(null);
        }
        String runtime = requested != null ? requested : "runc";
        List<String> missing = missing(runtime, host);
        if (!missing.isEmpty()) {
            if (requested != null) {
                throw new IllegalArgumentException("--runtime " + runtime + " cannot run here: " + String.join(", ", missing));
            }
            return simulated(String.join(", ", missing));
        }
        Path executable = host.which(runtime).orElseThrow();
        return new RuntimeChoice(runtime, runtime + "://" + version(host.versionLine(executable).orElse("")), null);
    }

    static RuntimeChoice simulated(String reason) {
        return new RuntimeChoice("simulated", "simulated://1", reason);
    }

    boolean isSimulated() {
        return name.equals("simulated");
    }

    /** What the real runtime lacks on this machine, in plain words. */
    static List<String> missing(String runtime, Host host) {
        List<String> missing = new ArrayList<>();
        if (!host.root()) {
            missing.add("not running as root");
        }
        for (String executable : List.of(runtime, "conmon")) {
            if (host.which(executable).isEmpty()) {
                missing.add(executable + " is not installed");
            }
        }
        if (CNI_DIRS.stream().noneMatch(dir -> host.exists(dir.resolve("bridge")))) {
            missing.add("the CNI plugins are not installed (no bridge in " + CNI_DIRS.get(0) + " or " + CNI_DIRS.get(1) + ")");
        }
        return missing;
    }

    /** "runc version 1.1.5+ds1" gives 1.1.5, "crun version 1.8.1" gives 1.8.1. */
    static String version(String versionLine) {
        String[] words = versionLine.trim().split("\\s+");
        String version = words.length >= 3 && words[1].equals("version") ? words[2] : "unknown";
        int build = version.indexOf('+');
        return build > 0 ? version.substring(0, build) : version;
    }
}
