package io.k4j.proxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A stand-in node built from network namespaces this test creates: a "node" namespace with a bridge (10.42.0.1/24)
 * and the node address on its loopback, and "pod" namespaces attached with veth pairs, each running a
 * busybox httpd that answers with the pod's name. Nothing is configured outside these namespaces.
 */
final class TestNode implements AutoCloseable {

    static final String NODE_IP = "172.31.250.1";
    private static final String BUSYBOX = "/bin/busybox";

    final String node;
    private final String tag;
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final Path dir;

    TestNode() throws IOException {
        tag = UUID.randomUUID().toString().substring(0, 6);
        node = "k4j-t8-p-" + tag + "-n";
        dir = Files.createTempDirectory("k4j-proxy-test-");
        try {
            addNamespace(node);
            run("ip", "-n", node, "link", "set", "lo", "up");
            // The service CIDR is routed back out of the bridge here, so the node would send ICMP redirects, and
            // they share a per-host rate limit with the port-unreachable a REJECT sends (real nodes route it out).
            inNode("sysctl", "-q", "-w", "net.ipv4.conf.all.send_redirects=0", "net.ipv4.conf.default.send_redirects=0");
            run("ip", "-n", node, "link", "add", "br0", "type", "bridge");
            run("ip", "-n", node, "addr", "add", "10.42.0.1/24", "dev", "br0");
            run("ip", "-n", node, "link", "set", "br0", "up");
            // The node's own address (no dummy module here): a /32 on its loopback.
            run("ip", "-n", node, "addr", "add", NODE_IP + "/32", "dev", "lo");
            // The node's own traffic to a service address needs a route before netfilter sees it.
            run("ip", "-n", node, "route", "add", "10.43.0.0/16", "dev", "br0");
            inNode("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    static String skipReason() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "needs root (network namespaces, iptables)";
        }
        for (String tool : List.of("/usr/sbin/iptables-nft-restore", "/usr/sbin/iptables-legacy-restore",
                "/usr/sbin/conntrack", BUSYBOX, "/usr/bin/curl", "/usr/bin/nsenter", "/usr/sbin/ip")) {
            if (!Files.isExecutable(Path.of(tool)) && !Files.isExecutable(Path.of(tool.replace("/usr", "")))) {
                return tool + " is not installed";
            }
        }
        return null;
    }

    /** Adds pod namespace number i (1..) at 10.42.0.(10+i) serving httpd on port 8080 and a UDP echo on 5353. */
    String addPod(int i) throws IOException {
        String pod = "k4j-t8-p-" + tag + "-" + i;
        String ip = "10.42.0." + (10 + i);
        addNamespace(pod);
        run("ip", "-n", node, "link", "add", "vp" + i, "type", "veth", "peer", "name", "eth0", "netns", pod);
        run("ip", "-n", node, "link", "set", "vp" + i, "master", "br0", "up");
        // Like the CNI bridge plugin's hairpinMode: a pod reaching itself through a service comes back its port.
        run("ip", "-n", node, "link", "set", "vp" + i, "type", "bridge_slave", "hairpin", "on");
        run("ip", "-n", pod, "link", "set", "lo", "up");
        run("ip", "-n", pod, "addr", "add", ip + "/24", "dev", "eth0");
        run("ip", "-n", pod, "link", "set", "eth0", "up");
        run("ip", "-n", pod, "route", "add", "default", "via", "10.42.0.1");
        Path www = dir.resolve("pod" + i);
        Files.createDirectories(www);
        Files.writeString(www.resolve("index.html"), "pod" + i + "\n");
        processes.add(new ProcessBuilder("nsenter", "--net=/run/netns/" + pod, BUSYBOX, "httpd", "-f", "-p", "8080",
                "-h", www.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("httpd" + i).toFile())
                .start());
        return ip;
    }

    String podNamespace(int i) {
        return "k4j-t8-p-" + tag + "-" + i;
    }

    /** An HTTP GET from inside a namespace (curl: busybox wget crashes here); the body, or "ERR: ..." with curl's message. */
    String get(String namespace, String hostPort) throws IOException {
        Result r = exec(List.of("nsenter", "--net=/run/netns/" + namespace, "curl", "-sS", "-m", "3",
                "http://" + hostPort + "/"));
        return r.code == 0 ? r.out.trim() : "ERR: " + r.out.trim();
    }

    Result inNode(String... argv) throws IOException {
        List<String> full = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + node));
        full.addAll(List.of(argv));
        return check(exec(full), full);
    }

    Iptables iptables() {
        return Iptables.inNetns(node);
    }

    record Result(int code, String out) {
    }

    private void addNamespace(String name) throws IOException {
        run("ip", "netns", "add", name);
        namespaces.add(name);
    }

    private static void run(String... argv) throws IOException {
        check(exec(List.of(argv)), List.of(argv));
    }

    private static Result check(Result r, List<String> argv) throws IOException {
        if (r.code != 0) {
            throw new IOException(String.join(" ", argv) + " failed: " + r.out);
        }
        return r;
    }

    static Result exec(List<String> argv) throws IOException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + argv);
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        for (Process p : processes) {
            p.destroyForcibly();
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (String ns : namespaces.reversed()) {
            exec(List.of("ip", "netns", "del", ns));
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
