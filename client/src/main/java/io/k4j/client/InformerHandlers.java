package io.k4j.client;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.function.Consumer;

/** Informer handlers for the common case: added and updated objects go one way, deleted ones another. */
public final class InformerHandlers {

    private InformerHandlers() {
    }

    /** Calls {@code upsert} with every added object and the new version of every updated one, {@code delete} with deleted ones. */
    public static <T> ResourceEventHandler<T> of(Consumer<T> upsert, Consumer<T> delete) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                upsert.accept(object);
            }

            @Override
            public void onUpdate(T oldObject, T newObject) {
                upsert.accept(newObject);
            }

            @Override
            public void onDelete(T object, boolean deletedFinalStateUnknown) {
                delete.accept(object);
            }
        };
    }
}
