package io.k4j.controllers.replicaset;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Upstream's slowStartBatch: calls in batches of 1, 2, 4, ... run in parallel, stopping after a batch with a failure,
 * so a template that cannot be created (quota, admission) costs a handful of failed calls instead of hundreds.
 */
public final class SlowStart {

    public static final int INITIAL_BATCH = 1;

    private SlowStart() {
    }

    /** How a run went: calls that succeeded and the first failure's message (null if none failed). */
    public record Outcome(int succeeded, String firstError) {
    }

    public static Outcome run(int count, Runnable call) {
        int succeeded = 0;
        int remaining = count;
        int batch = Math.min(remaining, INITIAL_BATCH);
        while (batch > 0) {
            List<Runnable> calls = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                calls.add(call);
            }
            List<String> errors = parallel(calls);
            succeeded += batch - errors.size();
            if (!errors.isEmpty()) {
                return new Outcome(succeeded, errors.getFirst());
            }
            remaining -= batch;
            batch = Math.min(2 * batch, remaining);
        }
        return new Outcome(succeeded, null);
    }

    /** Calls {@code action} for every item at once; returns the first failure's message, or null. */
    public static <T> String all(List<T> items, Consumer<T> action) {
        List<String> errors = parallel(items.stream().<Runnable>map(item -> () -> action.accept(item)).toList());
        return errors.isEmpty() ? null : errors.getFirst();
    }

    private static List<String> parallel(List<Runnable> calls) {
        List<String> errors = new ArrayList<>();
        if (calls.size() == 1) {
            try {
                calls.getFirst().run();
            } catch (RuntimeException e) {
                errors.add(message(e));
            }
            return errors;
        }
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = calls.stream().<Future<?>>map(executor::submit).toList();
            for (Future<?> future : futures) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    errors.add(message(e.getCause()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    errors.add("interrupted");
                }
            }
        }
        return errors;
    }

    private static String message(Throwable e) {
        return e instanceof KubernetesClientException k ? ReplicaController.message(k) : String.valueOf(e.getMessage());
    }
}
