package io.k4j.ingress.bench;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.k4j.ingress.proxy.IngressServer;
import io.k4j.ingress.proxy.ServingState;
import io.k4j.ingress.routing.ClusterState;
import io.k4j.ingress.routing.IngressClassPolicy;
import io.k4j.ingress.routing.RoutingTable;
import io.k4j.ingress.routing.RoutingTableBuilder;
import io.k4j.ingress.tls.DefaultCertificate;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The ingress against nginx as a reverse proxy, side by side in one run: both proxy on loopback to the same backend
 * (an nginx answering a small static body), both measured by wrk with the same settings after a warm-up. The
 * ingress is k4j's real proxy path (routing table from an Ingress, Service and EndpointSlice), without an API
 * server. Needs wrk and nginx (Debian's package); nginx runs as our own child process, never the system service.
 */
public final class IngressBenchmark {

    private IngressBenchmark() {
    }

    /** The two sides' measurements. */
    public record Result(WrkResult ingress, WrkResult nginx, Options options) {

        /** The ingress's requests/s as a fraction of nginx's (target: at least 0.7). */
        public double throughputRatio() {
            return ingress.requestsPerSecond() / nginx.requestsPerSecond();
        }

        public String toMarkdown() {
            return String.format(Locale.ROOT, """
                    | proxy | requests/s | p99 latency | errors |
                    |---|---|---|---|
                    | k4j ingress | %.0f | %.2f ms | %d |
                    | nginx %s | %.0f | %.2f ms | %d |

                    wrk -t%d -c%d -d%ds --latency, best of %d alternating rounds after a %ds warm-up each.
                    ingress/nginx = %.0f%%
                    """, ingress.requestsPerSecond(), ingress.p99Millis(), ingress.errors(), options.nginxLabel,
                    nginx.requestsPerSecond(), nginx.p99Millis(), nginx.errors(), options.threads, options.connections,
                    options.duration.toSeconds(), options.rounds, options.warmUp.toSeconds(), 100 * throughputRatio());
        }
    }

    /**
     * Benchmark settings; defaults: 2 wrk threads, 64 connections, 15 s of warm-up per side (the JIT needs that long
     * on a small machine before the ingress runs at its steady speed), then 3 alternating rounds of 10 s.
     */
    public static final class Options {
        private Path wrk = Path.of("wrk");
        private Path nginx = Path.of("/usr/sbin/nginx");
        private int threads = 2;
        private int connections = 64;
        private Duration duration = Duration.ofSeconds(10);
        private Duration warmUp = Duration.ofSeconds(15);
        private int proxyWorkers = Runtime.getRuntime().availableProcessors();
        private int rounds = 3;
        private String nginxLabel = "";

        public Options wrk(Path wrk) {
            this.wrk = wrk;
            return this;
        }

        public Options nginx(Path nginx) {
            this.nginx = nginx;
            return this;
        }

        public Options threads(int threads) {
            this.threads = threads;
            return this;
        }

        public Options connections(int connections) {
            this.connections = connections;
            return this;
        }

        public Options duration(Duration duration) {
            this.duration = duration;
            return this;
        }

        public Options warmUp(Duration warmUp) {
            this.warmUp = warmUp;
            return this;
        }

        /** Alternating measured rounds (nginx, ingress, nginx, ...); each side reports its best. */
        public Options rounds(int rounds) {
            this.rounds = rounds;
            return this;
        }

        /** Event loops of the ingress and worker processes of the nginx proxy (the same for both). */
        public Options proxyWorkers(int proxyWorkers) {
            this.proxyWorkers = proxyWorkers;
            return this;
        }
    }

    public static Result run(Options options) throws IOException, InterruptedException {
        Objects.requireNonNull(options);
        options.nginxLabel = nginxVersion(options.nginx);
        Path dir = Files.createTempDirectory("k4j-ingress-bench-");
        int backendPort = freePort();
        int nginxPort = freePort();
        try (NginxProcess backend = NginxProcess.start(options.nginx, dir, "backend", 1, """
                  server {
                    listen 127.0.0.1:%d;
                    location / { default_type text/plain; return 200 "hello from the backend\\n"; }
                  }
                """.formatted(backendPort), backendPort);
             NginxProcess proxy = NginxProcess.start(options.nginx, dir, "proxy", options.proxyWorkers, """
                  upstream backend { server 127.0.0.1:%d; keepalive 256; }
                  server {
                    listen 127.0.0.1:%d;
                    location / {
                      proxy_pass http://backend;
                      proxy_http_version 1.1;
                      proxy_set_header Connection "";
                      proxy_set_header Host $host;
                      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                      proxy_set_header X-Forwarded-Proto $scheme;
                      proxy_set_header X-Forwarded-Host $host;
                    }
                  }
                """.formatted(backendPort, nginxPort), nginxPort);
             IngressServer ingress = IngressServer.builder().bindAddress("127.0.0.1").httpPort(0).httpsPort(-1)
                     .workerThreads(options.proxyWorkers).defaultCertificate(DefaultCertificate.create(Instant.now()))
                     .start()) {
            ingress.update(new ServingState(routeEverythingTo(backendPort), Map.of(),
                    ingress.current().defaultCertificate()));
            wrk(options, nginxPort, options.warmUp);
            wrk(options, ingress.httpPort(), options.warmUp);
            // Alternating rounds, best of each side: the machine's other load changes over a run.
            WrkResult nginx = null;
            WrkResult k4j = null;
            for (int round = 0; round < options.rounds; round++) {
                nginx = better(nginx, WrkResult.parse(wrk(options, nginxPort, options.duration)));
                k4j = better(k4j, WrkResult.parse(wrk(options, ingress.httpPort(), options.duration)));
            }
            return new Result(k4j, nginx, options);
        } finally {
            deleteRecursively(dir);
        }
    }

    /** The table an Ingress "/" -> Service bench:80 -> EndpointSlice 127.0.0.1:backendPort gives. */
    static RoutingTable routeEverythingTo(int backendPort) {
        var ingress = new IngressBuilder().withNewMetadata().withNamespace("bench").withName("bench").endMetadata()
                .withNewSpec().withIngressClassName("k4j").addNewRule().withNewHttp().addNewPath().withPath("/")
                .withPathType("Prefix").withNewBackend().withNewService().withName("bench").withNewPort()
                .withNumber(80).endPort().endService().endBackend().endPath().endHttp().endRule().endSpec().build();
        var service = new ServiceBuilder().withNewMetadata().withNamespace("bench").withName("bench").endMetadata()
                .withNewSpec().addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString(backendPort))
                .endPort().endSpec().build();
        var slice = new EndpointSliceBuilder().withNewMetadata().withNamespace("bench").withName("bench-1")
                .addToLabels("kubernetes.io/service-name", "bench").endMetadata().withAddressType("IPv4")
                .addNewPort().withName("http").withPort(backendPort).endPort()
                .addNewEndpoint().withAddresses("127.0.0.1").withNewConditions().withReady(true).endConditions()
                .endEndpoint().build();
        return new RoutingTableBuilder(new IngressClassPolicy("k4j", "k4j.io/ingress-controller"))
                .build(new ClusterState(List.of(ingress), List.of(), List.of(service), List.of(slice)));
    }

    private static WrkResult better(WrkResult best, WrkResult next) {
        return best == null || next.requestsPerSecond() > best.requestsPerSecond() ? next : best;
    }

    private static String wrk(Options options, int port, Duration duration) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(options.wrk.toString(), "-t" + options.threads,
                "-c" + options.connections, "-d" + Math.max(1, duration.toSeconds()) + "s", "--latency",
                "http://127.0.0.1:" + port + "/").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("wrk failed: " + output);
        }
        return output;
    }

    private static String nginxVersion(Path nginx) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(nginx.toString(), "-v").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        process.waitFor();
        return output.replace("nginx version: nginx/", "");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    /** Runs the benchmark with default options and prints the table. */
    public static void main(String[] args) throws Exception {
        System.out.println(run(new Options()).toMarkdown());
    }
}
