package io.k4j.cli.bench;

import java.util.Collection;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** The benchmarks' {@code --only} lists: a name the command does not know is a usage error before anything runs. */
final class OnlyOption {

    private OnlyOption() {
    }

    /** @param noun what the names are ("scenario", "part"), for the message */
    static void requireKnown(CommandSpec spec, Collection<String> chosen, Collection<String> known, String noun) {
        for (String name : chosen) {
            if (!known.contains(name)) {
                throw new ParameterException(spec.commandLine(), "--only: unknown " + noun + " '" + name
                        + "'; known: " + String.join(", ", known));
            }
        }
    }
}
