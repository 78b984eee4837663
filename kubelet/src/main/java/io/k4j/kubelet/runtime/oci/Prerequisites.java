package io.k4j.kubelet.runtime.oci;

import io.k4j.kubelet.network.CniNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What a node needs for real containers, each missing piece said plainly. */
final class Prerequisites {
    private static final List<String> TOOLS = List.of("ip", "nsenter", "mount", "umount", "perl", "script");

    private Prerequisites() {
    }

    static List<String> problems(Path ociBinary, Path conmon, Path cniPluginDir) {
        List<String> problems = new ArrayList<>();
        if (!root()) {
            problems.add("not running as root");
        }
        if (!Files.isExecutable(ociBinary)) {
            problems.add("OCI runtime " + ociBinary + " not found");
        }
        if (!Files.isExecutable(conmon)) {
            problems.add("conmon " + conmon + " not found");
        }
        List<String> missingPlugins = CniNetwork.missingPlugins(cniPluginDir);
        if (!missingPlugins.isEmpty()) {
            problems.add("CNI plugins " + String.join(", ", missingPlugins) + " not found in " + cniPluginDir);
        }
        for (String tool : TOOLS) {
            if (!onPath(tool)) {
                problems.add(tool + " not found on PATH");
            }
        }
        try {
            if (!CgroupV1.detect().available()) {
                problems.add("no cgroup v1 memory and cpuacct hierarchies (cgroup v2 only nodes are not supported)");
            }
        } catch (IOException e) {
            problems.add("cannot read the cgroup mounts: " + e.getMessage());
        }
        return problems;
    }

    private static boolean root() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("Uid:")).anyMatch(line -> line.split("\\s+")[2].equals("0"));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean onPath(String tool) {
        return OciBinary.onPath(tool) != null;
    }
}
