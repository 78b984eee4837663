package io.k4j.proxy.bench;

import io.k4j.proxy.Iptables;
import io.k4j.proxy.IptablesMode;
import io.k4j.proxy.Netfilter;
import io.k4j.proxy.ServiceProxy;
import io.k4j.proxy.rules.EndpointInfo;
import io.k4j.proxy.rules.NodeFacts;
import io.k4j.proxy.rules.RenderedRules;
import io.k4j.proxy.rules.RuleRenderer;
import io.k4j.proxy.rules.ServicePortInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Times full syncs of a synthetic cluster (by default 1,000 Services with 10 endpoints each) the way the proxy does
 * them: render the iptables-restore input, apply it with one iptables-restore --noflush. Runs inside a network
 * namespace it is given, or in one it creates and deletes ({@link #runInNewNamespace}); never in the caller's own.
 */
public final class ProxySyncBenchmark {

    /**
     * Timings of the first full sync (creating every chain), of a second full sync (rewriting them all, as the
     * periodic resync does) and of a partial sync after one endpoint went away (the usual case).
     */
    public record Result(IptablesMode mode, int services, int endpoints, int rules, int restoreBytes,
            Duration render, Duration firstApply, Duration fullResyncApply, Duration partialRender,
            Duration partialApply) {

        public Duration fullSync() {
            return render.plus(firstApply);
        }

        @Override
        public String toString() {
            return String.format("iptables-%s: %d services, %d endpoints, %d rules (%d KiB): full sync %d ms "
                            + "(render %d ms, apply %d ms), full resync apply %d ms, partial sync after one endpoint "
                            + "change %d ms (render %d ms, apply %d ms)", mode.name().toLowerCase(), services,
                    endpoints, rules, restoreBytes / 1024, fullSync().toMillis(), render.toMillis(),
                    firstApply.toMillis(), fullResyncApply.toMillis(), partialRender.plus(partialApply).toMillis(),
                    partialRender.toMillis(), partialApply.toMillis());
        }
    }

    private ProxySyncBenchmark() {
    }

    /** Runs in /run/netns/NAME, which must exist; removes the proxy's chains afterwards. */
    public static Result run(String netnsName, IptablesMode mode, int services, int endpointsPerService)
            throws IOException {
        Iptables exec = Iptables.inNetns(netnsName);
        List<ServicePortInfo> cluster = syntheticCluster(services, endpointsPerService);
        Netfilter netfilter = new Netfilter(exec, mode);
        try {
            // Endpoints sit on node-0, node-1 and node-2: a third are local, each with a hairpin rule.
            RuleRenderer renderer = new RuleRenderer(
                    new NodeFacts("node-0", List.of("172.31.250.1"), "10.42.0.0/16", true));
            long t0 = System.nanoTime();
            RenderedRules rules = renderer.render(cluster, List.of());
            long t1 = System.nanoTime();
            netfilter.restore(rules.text());
            long t2 = System.nanoTime();
            netfilter.restore(rules.text());
            long t3 = System.nanoTime();
            List<ServicePortInfo> changed = new ArrayList<>(cluster);
            ServicePortInfo first = changed.getFirst();
            changed.set(0, first.toBuilder().endpoints(first.endpoints().subList(1, first.endpoints().size()))
                    .build());
            long t4 = System.nanoTime();
            RenderedRules partial = renderer.render(changed, rules.perServiceChains(), rules.serviceChains());
            long t5 = System.nanoTime();
            netfilter.restore(partial.text());
            long t6 = System.nanoTime();
            return new Result(mode, services, services * endpointsPerService, rules.ruleCount(),
                    rules.text().length(), Duration.ofNanos(t1 - t0), Duration.ofNanos(t2 - t1),
                    Duration.ofNanos(t3 - t2), Duration.ofNanos(t5 - t4), Duration.ofNanos(t6 - t5));
        } finally {
            ServiceProxy.cleanup(exec);
        }
    }

    /** Creates a namespace k4j-bench-proxy-*, runs {@link #run} in it for each mode, and deletes it. */
    public static List<Result> runInNewNamespace(int services, int endpointsPerService) throws IOException {
        String name = "k4j-bench-proxy-" + UUID.randomUUID().toString().substring(0, 6);
        command(List.of("ip", "netns", "add", name));
        try {
            List<Result> results = new ArrayList<>();
            for (IptablesMode mode : IptablesMode.values()) {
                results.add(run(name, mode, services, endpointsPerService));
            }
            return results;
        } finally {
            command(List.of("ip", "netns", "del", name));
        }
    }

    static List<ServicePortInfo> syntheticCluster(int services, int endpointsPerService) {
        List<ServicePortInfo> out = new ArrayList<>(services);
        for (int s = 0; s < services; s++) {
            ServicePortInfo.Builder b = ServicePortInfo.builder("bench", "svc-" + s).portName("http")
                    .clusterIp("10.43." + (s / 250 + 1) + "." + (s % 250 + 1)).port(80)
                    .nodePort(s % 10 == 0 ? 30000 + s : 0);
            for (int e = 0; e < endpointsPerService; e++) {
                int n = s * endpointsPerService + e;
                b.endpoint(EndpointInfo.ready("10.42." + (n / 250) + "." + (n % 250 + 2), 8080,
                        "node-" + (n % 3)));
            }
            out.add(b.build());
        }
        return out;
    }

    private static void command(List<String> argv) throws IOException {
        Iptables.Result r = Iptables.local().exec(argv, "");
        if (!r.ok()) {
            throw new IOException(String.join(" ", argv) + " failed: " + r.stderr().trim());
        }
    }

    /** {@code java ... ProxySyncBenchmark [services] [endpointsPerService]}: prints one line per back end. */
    public static void main(String[] args) throws IOException {
        int services = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int perService = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        for (Result r : runInNewNamespace(services, perService)) {
            System.out.println(r);
        }
    }
}
