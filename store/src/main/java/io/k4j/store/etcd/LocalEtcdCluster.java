package io.k4j.store.etcd;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs an etcd cluster of local processes on loopback, on free ports, from the {@code etcd} binary (Debian's
 * etcd-server). For tests and benchmarks: it starts, waits until every member is healthy, can kill and restart
 * members, and removes its data when closed. It ends only the processes it started.
 */
public final class LocalEtcdCluster implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final int START_ATTEMPTS = 3;
    private static final Pattern LEADER = Pattern.compile("\"leader\":\"?(\\d+)");
    private static final Pattern MEMBER = Pattern.compile("\"member_id\":\"?(\\d+)");

    /**
     * Serve clients over TLS with these PEM files, and require client certificates signed by the CA.
     *
     * @param caFile   CA that signed the server certificate and the clients' certificates
     * @param certFile server certificate, valid for 127.0.0.1
     * @param keyFile  server key
     */
    public record Tls(Path caFile, Path certFile, Path keyFile) {
    }

    private record Member(String name, int clientPort, int peerPort, int metricsPort, Path dataDir, boolean tls) {
        URI clientUrl() {
            return URI.create((tls ? "https" : "http") + "://127.0.0.1:" + clientPort);
        }

        /** Plain-HTTP /health and /metrics, also when clients need TLS. */
        URI metricsUrl() {
            return URI.create("http://127.0.0.1:" + metricsPort);
        }

        String peerUrl() {
            return "http://127.0.0.1:" + peerPort;
        }
    }

    private final Path binary;
    private final Path baseDir;
    private final List<Member> members = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final Tls tls;

    private LocalEtcdCluster(Path binary, Path baseDir, Tls tls) {
        this.binary = binary;
        this.baseDir = baseDir;
        this.tls = tls;
    }

    /** The etcd binary on this machine, if any: $ETCD_BINARY, /usr/bin/etcd, or on PATH. */
    public static java.util.Optional<Path> findBinary() {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getenv("ETCD_BINARY");
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        candidates.add(Path.of("/usr/bin/etcd"));
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, "etcd"));
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    /** Starts {@code size} members serving plain-text clients and waits until all are healthy. */
    public static LocalEtcdCluster start(int size) throws IOException {
        return start(size, null);
    }

    /** Starts {@code size} members, serving clients over TLS if {@code tls} is given, and waits until healthy. */
    public static LocalEtcdCluster start(int size, Tls tls) throws IOException {
        Path binary = findBinary().orElseThrow(() -> new IOException(
                "no etcd binary found (install Debian's etcd-server, or set ETCD_BINARY)"));
        // A port found free can be taken by someone else before etcd binds it; then start again on new ports.
        IOException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                return startOnce(binary, size, tls);
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    private static LocalEtcdCluster startOnce(Path binary, int size, Tls tls) throws IOException {
        LocalEtcdCluster cluster = new LocalEtcdCluster(binary, Files.createTempDirectory("k4j-etcd-"), tls);
        try {
            int[] ports = freePorts(size * 3);
            for (int i = 0; i < size; i++) {
                cluster.members.add(new Member("m" + i, ports[3 * i], ports[3 * i + 1], ports[3 * i + 2],
                        cluster.baseDir.resolve("m" + i), tls != null));
                cluster.processes.add(null);
            }
            for (int i = 0; i < size; i++) {
                cluster.launch(i, "new");
            }
            for (int i = 0; i < size; i++) {
                cluster.awaitHealthy(i);
            }
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Distinct free loopback ports: all sockets stay open until every port is chosen, so none repeats. */
    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    private void launch(int index, String clusterState) throws IOException {
        Member member = members.get(index);
        StringBuilder initialCluster = new StringBuilder();
        for (Member peer : members) {
            if (!initialCluster.isEmpty()) {
                initialCluster.append(',');
            }
            initialCluster.append(peer.name).append('=').append(peer.peerUrl());
        }
        List<String> command = new ArrayList<>(List.of(binary.toString(),
                "--name", member.name,
                "--data-dir", member.dataDir.toString(),
                "--listen-client-urls", member.clientUrl().toString(),
                "--advertise-client-urls", member.clientUrl().toString(),
                "--listen-peer-urls", member.peerUrl(),
                "--initial-advertise-peer-urls", member.peerUrl(),
                "--initial-cluster", initialCluster.toString(),
                "--initial-cluster-state", clusterState,
                "--initial-cluster-token", "k4j-" + baseDir.getFileName(),
                "--heartbeat-interval", "100",
                "--election-timeout", "1000",
                "--logger", "zap",
                "--listen-metrics-urls", member.metricsUrl().toString(),
                "--log-outputs", member.dataDir + ".log"));
        if (tls != null) {
            command.addAll(List.of("--cert-file", tls.certFile().toString(), "--key-file", tls.keyFile().toString(),
                    "--trusted-ca-file", tls.caFile().toString(), "--client-cert-auth"));
        }
        Files.createDirectories(member.dataDir.getParent());
        processes.set(index, new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start());
    }

    private void awaitHealthy(int index) throws IOException {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        URI health = members.get(index).metricsUrl().resolve("/health");
        while (Instant.now().isBefore(deadline)) {
            Process process = processes.get(index);
            if (!process.isAlive()) {
                throw new IOException("etcd member " + index + " exited with " + process.exitValue()
                        + "; see " + members.get(index).dataDir + ".log");
            }
            if (get(health).contains("\"health\":\"true\"")) {
                return;
            }
            pause(Duration.ofMillis(50));
        }
        throw new IOException("etcd member " + index + " not healthy within " + READY_TIMEOUT);
    }

    private String get(URI uri) {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(1)).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public List<URI> endpoints() {
        return members.stream().map(Member::clientUrl).toList();
    }

    public URI endpoint(int index) {
        return members.get(index).clientUrl();
    }

    public int size() {
        return members.size();
    }

    /** The index of the current leader, asked of the live members; -1 if none knows one. Plain-text clusters only. */
    public int leaderIndex() {
        for (int i = 0; i < members.size(); i++) {
            if (processes.get(i) == null || !processes.get(i).isAlive()) {
                continue;
            }
            String leader = statusField(i, LEADER);
            if (leader == null) {
                continue;
            }
            for (int j = 0; j < members.size(); j++) {
                if (processes.get(j) != null && processes.get(j).isAlive() && leader.equals(statusField(j, MEMBER))) {
                    return j;
                }
            }
        }
        return -1;
    }

    private String statusField(int index, Pattern field) {
        // etcd's gRPC gateway: POST /v3/maintenance/status answers with the member's id and the leader's id.
        try {
            HttpRequest request = HttpRequest.newBuilder(members.get(index).clientUrl().resolve("/v3/maintenance/status"))
                    .timeout(Duration.ofSeconds(1))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
            String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
            Matcher matcher = field.matcher(body);
            return matcher.find() ? matcher.group(1) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Kills a member with SIGKILL and waits for it to be gone. */
    public void kill(int index) {
        Process process = processes.get(index);
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts a killed member again on its old data dir and waits until it is healthy. */
    public void restart(int index) throws IOException {
        launch(index, "existing");
        awaitHealthy(index);
    }

    @Override
    public void close() {
        for (Process process : processes) {
            if (process != null) {
                process.destroyForcibly();
            }
        }
        for (Process process : processes) {
            if (process != null) {
                try {
                    process.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        io.k4j.store.internal.TempDirs.deleteRecursively(baseDir);
    }
}
