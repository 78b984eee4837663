package io.k4j.cli.bench;

import io.k4j.bench.Scenario;
import io.k4j.bench.ScenarioTable;
import io.k4j.bench.apiserver.ApiServerBenchmark;
import io.k4j.bench.apiserver.ApiServerComparison;
import io.k4j.cli.DurationConverter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code k4j bench apiserver}: pod create/get throughput, a big LIST and watch delivery, against k4j and against
 * fabric8's kubernetes-server-mock (CRUD mode) in the same run.
 */
@Command(name = "apiserver", description = "Benchmark the API server side by side with fabric8's mock server.")
final class ApiServerBenchCommand implements java.util.concurrent.Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--target", split = ",", defaultValue = "k4j,mock",
            description = "Servers to measure, in order: k4j, mock (default: ${DEFAULT-VALUE}).")
    List<String> targets;

    @Option(names = "--warmup", defaultValue = "60s", converter = DurationConverter.class,
            description = "Creates before anything is measured, for the JIT (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--only", split = ",", defaultValue = "create,get,list,watch,idle",
            description = "Scenarios to run: create, get, list, watch, idle (default: ${DEFAULT-VALUE}).")
    Set<String> scenarios;

    @Option(names = "--duration", defaultValue = "5s", converter = DurationConverter.class,
            description = "How long the create, get and LIST scenarios run (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--clients", defaultValue = "32", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--list-pods", defaultValue = "10000", description = "Pods in the LIST (default: ${DEFAULT-VALUE}).")
    int listPods;

    @Option(names = "--watchers", defaultValue = "1000", description = "Watchers (default: ${DEFAULT-VALUE}).")
    int watchers;

    @Option(names = "--watch-events", defaultValue = "100", description = "Pods created for the watchers (default: ${DEFAULT-VALUE}).")
    int watchEvents;

    @Option(names = "--watch-rate", defaultValue = "20", description = "Pods per second (default: ${DEFAULT-VALUE}).")
    int watchRate;

    @Option(names = "--idle-watches", defaultValue = "10000",
            description = "Idle watches to open and hold on k4j; 0 skips it (default: ${DEFAULT-VALUE}).")
    int idleWatches;

    @Option(names = "--peer-classpath", paramLabel = "PATH",
            description = "Class path of the bench-peer module (default: next to this jar in the source tree).")
    String peerClasspath;

    @Override
    public Integer call() throws Exception {
        OnlyOption.requireKnown(spec, scenarios, ApiServerBenchmark.Settings.SCENARIOS, "scenario");
        ApiServerBenchmark.Settings settings = new ApiServerBenchmark.Settings(warmup, duration, clients,
                listPods, watchers, watchEvents, watchRate, idleWatches, scenarios);
        List<Scenario> results = ApiServerComparison.run(settings, targets,
                peerClasspath != null ? peerClasspath : defaultPeerClasspath());
        PrintWriter out = spec.commandLine().getOut();
        out.println(MachineDescription.describe() + ", " + ZonedDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE));
        out.println();
        out.print(ScenarioTable.markdown(results));
        out.flush();
        return 0;
    }

    /** cli/target/k4j.jar → bench-peer/target/{jar,lib/*} in the same source tree. */
    private static String defaultPeerClasspath() throws Exception {
        Path jar = Path.of(ApiServerBenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path root = jar.getParent().getParent().getParent();
        Path target = root.resolve("bench-peer/target");
        return target.resolve("k4j-bench-peer-0.1.0-SNAPSHOT.jar") + ":" + target.resolve("lib") + "/*";
    }
}
