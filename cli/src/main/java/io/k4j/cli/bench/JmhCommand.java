package io.k4j.cli.bench;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code k4j bench jmh [JMH ARGS...]}: the JMH micro-benchmarks, with JMH's own options. */
@Command(name = "jmh", description = "Run the JMH micro-benchmarks (arguments go to JMH; try -h).")
final class JmhCommand implements java.util.concurrent.Callable<Integer> {

    @Parameters(paramLabel = "ARG", description = "JMH arguments, e.g. SqliteStoreJmh -t 64", arity = "0..*")
    List<String> arguments = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        org.openjdk.jmh.Main.main(arguments.toArray(String[]::new));
        return 0;
    }
}
