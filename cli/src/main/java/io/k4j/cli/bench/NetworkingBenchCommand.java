package io.k4j.cli.bench;

import io.k4j.cli.DurationConverter;
import io.k4j.dns.DnsBenchmark;
import io.k4j.ingress.bench.IngressBenchmark;
import io.k4j.proxy.bench.ProxySyncBenchmark;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code k4j bench networking}: issue 8's three measurements in one run. The ingress against nginx proxying to the
 * same backend (wrk, both on loopback), the cluster DNS under dnsperf (loopback), and the service proxy's sync of
 * many Services in a network namespace made for it (root), with each iptables back end.
 */
@Command(name = "networking", description = "Benchmark the ingress (vs. nginx), the cluster DNS (dnsperf) and the "
        + "service proxy's sync time.")
final class NetworkingBenchCommand implements java.util.concurrent.Callable<Integer> {

    @Spec
    CommandSpec spec;

    private static final List<String> PARTS = List.of("ingress", "dns", "proxy");

    @Option(names = "--only", split = ",", paramLabel = "PART",
            description = "Run only these: ingress, dns, proxy (default: all three).")
    List<String> only = PARTS;

    @Option(names = "--services", defaultValue = "1000", description = "Services for the DNS and proxy runs (default: ${DEFAULT-VALUE}).")
    int services;

    @Option(names = "--endpoints-per-service", defaultValue = "10",
            description = "Endpoints per Service in the proxy run (default: ${DEFAULT-VALUE}).")
    int endpointsPerService;

    @Option(names = "--duration", defaultValue = "10s", converter = DurationConverter.class,
            description = "How long each measured round runs (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Override
    public Integer call() throws Exception {
        OnlyOption.requireKnown(spec, only, PARTS, "part");
        PrintWriter out = spec.commandLine().getOut();
        out.println(MachineDescription.describe() + ", " + ZonedDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE));
        out.println();
        out.flush();
        if (only.contains("ingress")) {
            out.println(IngressBenchmark.run(new IngressBenchmark.Options().duration(duration)).toMarkdown());
            out.flush();
        }
        if (only.contains("dns")) {
            for (String transport : List.of("udp", "tcp")) {
                out.println(DnsBenchmark.run(services, duration, "dnsperf", transport).summary());
                out.flush();
            }
            out.println();
        }
        if (only.contains("proxy")) {
            for (ProxySyncBenchmark.Result result : ProxySyncBenchmark.runInNewNamespace(services, endpointsPerService)) {
                out.println(result);
                out.flush();
            }
        }
        return 0;
    }
}
