package io.k4j.kubelet.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Masquerading for the node's pods as one chain for the whole pod range, as flannel does for k3s, instead of the CNI
 * bridge plugin's {@code ipMasq} (a chain per pod: several iptables runs per pod start and stop, each waiting for
 * the xtables lock, so pods starting together queued behind each other). Pod traffic to anything outside the pod
 * range (except multicast) leaves with the node's address.
 */
final class PodMasquerade {
    static final String CHAIN = "K4J-POD-MASQ";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private PodMasquerade() {
    }

    /** The nat rules, applied with iptables-restore --noflush: declaring the chain flushes and refills it. */
    static String rules(String podCidr) {
        return "*nat\n"
                + ":" + CHAIN + " - [0:0]\n"
                + "-A " + CHAIN + " -d " + podCidr + " -j RETURN\n"
                + "-A " + CHAIN + " -d 224.0.0.0/4 -j RETURN\n"
                + "-A " + CHAIN + " -j MASQUERADE\n"
                + "COMMIT\n";
    }

    static List<String> jump(String podCidr) {
        return List.of("-t", "nat", "POSTROUTING", "-s", podCidr, "-m", "comment", "--comment",
                "k4j: pods reaching outside the pod range", "-j", CHAIN);
    }

    /** Installs the chain and POSTROUTING's jump to it, in the network namespace {@code enter} leads into. */
    static void ensure(List<String> enter, String podCidr) throws IOException {
        List<String> restore = new ArrayList<>(enter);
        restore.addAll(List.of("iptables-restore", "-w", "--noflush"));
        ProcessRunner.Result restored = ProcessRunner.run(restore, Map.of(),
                rules(podCidr).getBytes(StandardCharsets.UTF_8), TIMEOUT);
        if (!restored.ok()) {
            throw new IOException("installing the pods' masquerade rules failed: " + restored.err().strip());
        }
        if (!iptables(enter, "-C", jump(podCidr)).ok()) {
            ProcessRunner.Result added = iptables(enter, "-A", jump(podCidr));
            if (!added.ok()) {
                throw new IOException("adding the pods' masquerade jump failed: " + added.err().strip());
            }
        }
    }

    private static ProcessRunner.Result iptables(List<String> enter, String action, List<String> rule)
            throws IOException {
        List<String> argv = new ArrayList<>(enter);
        argv.addAll(List.of("iptables", "-w"));
        // the table comes first, then the action on the chain, then the match
        argv.addAll(rule.subList(0, 2));
        argv.add(action);
        argv.addAll(rule.subList(2, rule.size()));
        return ProcessRunner.run(argv, Map.of(), null, TIMEOUT);
    }
}
