package io.k4j.cli;

import io.k4j.store.StoreException;
import picocli.CommandLine;

/**
 * Turns failures people can act on (a refused datastore, an unreachable cluster, a bad flag value) into one
 * line on stderr and exit code 1; anything else is a bug and keeps its stack trace.
 */
final class UserErrors implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception error, CommandLine commandLine, CommandLine.ParseResult parsed) {
        if (error instanceof StoreException || error instanceof IllegalArgumentException) {
            commandLine.getErr().println("k4j: " + error.getMessage());
            return 1;
        }
        throw new IllegalStateException(error);
    }
}
