package io.k4j.simulation;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Supplier;

/** Optimistic-concurrency writes: on 409 Conflict, read the latest object and try again. */
final class Conflicts {

    static final int ATTEMPTS = 5;

    private Conflicts() {
    }

    /** Runs {@code write} with the object from {@code first}, then, after each conflict, from {@code latest}. */
    static <T> void retry(T first, Supplier<T> latest, java.util.function.Consumer<T> write) {
        T object = first;
        for (int attempt = 1; ; attempt++) {
            if (object == null) {
                return; // gone: nothing left to write to
            }
            try {
                write.accept(object);
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == ATTEMPTS) {
                    throw e;
                }
            }
            object = latest.get();
        }
    }

    static boolean isAlreadyExists(KubernetesClientException e) {
        return e.getCode() == 409;
    }
}
