package io.k4j.scheduler.framework;

import java.util.HashMap;
import java.util.Map;

/**
 * Data plugins share within one scheduling cycle of one pod: PreFilter computes, Filter reads. Preemption clones it
 * to try removing victims without disturbing the real cycle, so stored values implement {@link Data#copy()}.
 * One cycle runs on one thread at a time; filter workers only read.
 */
public final class CycleState {

    /** A value a plugin keeps in the cycle state. */
    public interface Data {
        /** A copy that can be changed (by AddPod/RemovePod extensions) without touching this one. */
        Data copy();
    }

    /**
     * A typed key, usually a constant in the plugin that owns the data. Keys compare by identity: filters read the
     * state once per node, so a lookup must not hash the name.
     */
    public static final class Key<T extends Data> {
        private final String name;

        public Key(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private final Map<Key<?>, Data> values;

    public CycleState() {
        this.values = new HashMap<>();
    }

    private CycleState(Map<Key<?>, Data> values) {
        this.values = values;
    }

    public <T extends Data> void write(Key<T> key, T value) {
        values.put(key, value);
    }

    /** The value, or null when the plugin never wrote one (it was skipped, or it is not enabled). */
    @SuppressWarnings("unchecked")
    public <T extends Data> T read(Key<T> key) {
        return (T) values.get(key);
    }

    public void delete(Key<?> key) {
        values.remove(key);
    }

    /** A deep copy, as far as each value's {@link Data#copy()} goes. */
    public CycleState copy() {
        Map<Key<?>, Data> copied = new HashMap<>(values.size() * 2);
        values.forEach((key, value) -> copied.put(key, value.copy()));
        return new CycleState(copied);
    }
}
