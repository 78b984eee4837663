package io.k4j.store.sqlite;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A child process for the crash test: several threads write to the store without end and print "ACK key
 * revision" for each write the store acknowledged. The test kills it with SIGKILL.
 */
public final class DurabilityWriter {

    private DurabilityWriter() {
    }

    public static void main(String[] args) {
        SqliteStore store = SqliteStore.open(Path.of(args[0]));
        int threads = Integer.parseInt(args[1]);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread.ofPlatform().start(() -> {
                for (long i = 0; ; i++) {
                    String key = "/durable/" + thread + "/" + i;
                    long revision = store.create(key, ("value " + i).getBytes(StandardCharsets.UTF_8)).modRevision();
                    synchronized (System.out) {
                        System.out.println("ACK " + key + " " + revision);
                        System.out.flush();
                    }
                }
            });
        }
    }
}
