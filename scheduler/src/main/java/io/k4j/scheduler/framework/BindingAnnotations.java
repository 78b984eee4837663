package io.k4j.scheduler.framework;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Annotations the scheduling cycle asks the binder to put on the Binding; the API server copies them onto the pod
 * (the scheduler records there why it chose the node, at no extra write).
 */
public record BindingAnnotations(Map<String, String> values) implements CycleState.Data {

    public static final CycleState.Key<BindingAnnotations> KEY = new CycleState.Key<>("framework/binding-annotations");

    @Override
    public CycleState.Data copy() {
        return new BindingAnnotations(new LinkedHashMap<>(values));
    }
}
