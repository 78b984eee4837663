package io.k4j.kubelet.prober;

import io.k4j.kubelet.runtime.ContainerRuntime;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/** A ContainerRuntime for tests that answers only the methods a test implements (the rest throw). */
public final class FakeRuntimes {

    private FakeRuntimes() {
    }

    /** Forwards every call to {@code partial}, which implements the methods the test needs by name and types. */
    public static ContainerRuntime backedBy(Object partial) {
        return (ContainerRuntime) Proxy.newProxyInstance(ContainerRuntime.class.getClassLoader(),
                new Class<?>[] {ContainerRuntime.class}, (proxy, method, args) -> {
                    Method target;
                    try {
                        target = partial.getClass().getMethod(method.getName(), method.getParameterTypes());
                    } catch (NoSuchMethodException e) {
                        throw new UnsupportedOperationException(method.getName() + " is not faked");
                    }
                    try {
                        target.setAccessible(true);
                        return target.invoke(partial, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
