package io.k4j.dns;

import io.k4j.dns.zone.ClusterIndex;
import io.k4j.dns.zone.EndpointEntry;
import io.k4j.dns.zone.PortEntry;
import io.k4j.dns.zone.ServiceEntry;
import io.k4j.dns.zone.ServiceKey;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures {@link ClusterDns} with dnsperf over UDP on loopback: an index of {@code services} services (one in ten
 * headless with 5 endpoints) and a query mix of A, SRV, PTR and NXDOMAIN names of the cluster zone, plus one
 * name in six outside it, forwarded to a second server on loopback and then served from the cache (TTL 5 s). For
 * {@code k4j bench dns}; needs the dnsperf binary (Debian package dnsperf).
 */
public final class DnsBenchmark {

    /** What dnsperf reported. */
    public record Result(int services, String transport, double queriesPerSecond, double averageLatencyMs,
            double maxLatencyMs, long completed, long lost, String report) {

        public String summary() {
            return String.format("cluster DNS: %.0f queries/s, latency avg %.3f ms max %.3f ms, %d completed,"
                    + " %d lost (%d services, 1/6 forwarded names, dnsperf over %s on loopback)", queriesPerSecond,
                    averageLatencyMs, maxLatencyMs, completed, lost, services,
                    transport.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** Names outside the cluster zone, answered by a second server standing in for the node's resolver. */
    static final String UPSTREAM_DOMAIN = "upstream.test";
    /** Lets the JIT compile the query path before measuring. */
    private static final Duration WARM_UP = Duration.ofSeconds(3);

    private DnsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Duration duration = Duration.ofSeconds(args.length > 0 ? Integer.parseInt(args[0]) : 10);
        int services = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        String transport = args.length > 2 ? args[2] : "udp";
        Result result = run(services, duration, "dnsperf", transport);
        System.out.println(result.report());
        System.out.println(result.summary());
    }

    public static Result run(int services, Duration duration, String dnsperf) throws IOException,
            InterruptedException {
        return run(services, duration, dnsperf, "udp");
    }

    /** As {@link #run(int, Duration, String)} over {@code transport} "udp" or "tcp". */
    public static Result run(int services, Duration duration, String dnsperf, String transport) throws IOException,
            InterruptedException {
        ClusterIndex index = index(services);
        Path queries = Files.createTempFile("k4j-dnsperf-", ".txt");
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ClusterDns upstream = ClusterDns.builder().index(index).clusterDomain(UPSTREAM_DOMAIN)
                .bindAddress(loopback).port(0).upstreams(List.of()).build().start();
                ClusterDns dns = ClusterDns.builder().index(index).bindAddress(loopback).port(0)
                        .upstreams(List.of(upstream.address())).build().start()) {
            Files.write(queries, queryMix(services), StandardCharsets.US_ASCII);
            int port = dns.address().getPort();
            dnsperf(dnsperf, transport, port, queries, WARM_UP);
            return parse(services, transport, dnsperf(dnsperf, transport, port, queries, duration));
        } finally {
            Files.deleteIfExists(queries);
        }
    }

    /** One run of dnsperf: 4 clients on 2 threads, at most 100 queries in flight (latency is not queueing). */
    private static String dnsperf(String dnsperf, String transport, int port, Path queries, Duration duration)
            throws IOException, InterruptedException {
        Process process = new ProcessBuilder(dnsperf, "-m", transport, "-s", "127.0.0.1", "-p", Integer.toString(port),
                "-d", queries.toString(), "-l", Long.toString(Math.max(1, duration.toSeconds())),
                "-c", "4", "-T", "2", "-q", "100", "-t", "2")
                .redirectErrorStream(true).start();
        String report = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("dnsperf failed:\n" + report);
        }
        return report;
    }

    static ClusterIndex index(int services) throws IOException {
        ClusterIndex index = new ClusterIndex();
        PortEntry http = new PortEntry("http", "TCP", 80);
        for (int i = 0; i < services; i++) {
            String namespace = "ns-" + (i % 10);
            if (i % 10 == 9) {
                index.putService(ServiceEntry.headless(namespace, "svc-" + i, List.of(http), false));
                List<EndpointEntry> endpoints = new ArrayList<>();
                for (int e = 1; e <= 5; e++) {
                    endpoints.add(new EndpointEntry(List.of(address(42, i, e)), null, true, List.of(http)));
                }
                index.putSlice(new ServiceKey(namespace, "svc-" + i), "svc-" + i + "-a", endpoints);
            } else {
                index.putService(ServiceEntry.clusterIp(namespace, "svc-" + i, List.of(address(43, i, 0)),
                        List.of(http)));
            }
        }
        return index;
    }

    static List<String> queryMix(int services) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < services; i++) {
            String name = "svc-" + i + ".ns-" + (i % 10) + ".svc.cluster.local";
            lines.add(name + " A");
            if (i % 5 == 0) {
                lines.add("_http._tcp." + name + " SRV");
            }
            if (i % 7 == 0) {
                lines.add("missing-" + i + ".ns-" + (i % 10) + ".svc.cluster.local A");
            }
            if (i % 4 == 0) {
                lines.add("svc-" + i + ".ns-" + (i % 10) + ".svc." + UPSTREAM_DOMAIN + " A");
            }
            if (i % 11 == 0 && i % 10 != 9) {
                lines.add((i % 250 + 1) + "." + (i / 250) + ".43.10.in-addr.arpa PTR");
            }
        }
        return lines;
    }

    private static InetAddress address(int second, int index, int host) throws IOException {
        return host == 0
                ? InetAddress.getByAddress(new byte[] {10, (byte) second, (byte) (index / 250),
                        (byte) (index % 250 + 1)})
                : InetAddress.getByAddress(new byte[] {10, (byte) second, (byte) (index / 50),
                        (byte) ((index % 50) * 5 + host)});
    }

    static Result parse(int services, String transport, String report) {
        double qps = number(report, "Queries per second:\\s+([0-9.]+)");
        Matcher latency = Pattern.compile("Average Latency \\(s\\):\\s+([0-9.]+) \\(min [0-9.]+, max ([0-9.]+)\\)")
                .matcher(report);
        double average = latency.find() ? Double.parseDouble(latency.group(1)) * 1000 : Double.NaN;
        double max = latency.find(0) ? Double.parseDouble(latency.group(2)) * 1000 : Double.NaN;
        long completed = (long) number(report, "Queries completed:\\s+([0-9]+)");
        long lost = (long) number(report, "Queries lost:\\s+([0-9]+)");
        return new Result(services, transport, qps, average, max, completed, lost, report);
    }

    private static double number(String report, String pattern) {
        Matcher matcher = Pattern.compile(pattern).matcher(report);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : Double.NaN;
    }
}
