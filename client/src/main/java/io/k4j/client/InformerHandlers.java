package io.k4j.client;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/** Informer handlers for the common case: added and updated objects go one way, deleted ones another. */
public final class InformerHandlers {

    private InformerHandlers() {
    }

    /** Calls {@code upsert} with every added object and the new version of every updated one, {@code delete} with deleted ones. */
    public static <T> ResourceEventHandler<T> of(Consumer<T> upsert, Consumer<T> delete) {
        return of(upsert, delete, (oldObject, newObject) -> true);
    }

    /** As {@link #of(Consumer, Consumer)}, but an update reaches {@code upsert} only when {@code matters(old, new)}. */
    public static <T> ResourceEventHandler<T> of(Consumer<T> upsert, Consumer<T> delete, BiPredicate<T, T> matters) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                upsert.accept(object);
            }

            @Override
            public void onUpdate(T oldObject, T newObject) {
                if (matters.test(oldObject, newObject)) {
                    upsert.accept(newObject);
                }
            }

            @Override
            public void onDelete(T object, boolean deletedFinalStateUnknown) {
                delete.accept(object);
            }
        };
    }
}
