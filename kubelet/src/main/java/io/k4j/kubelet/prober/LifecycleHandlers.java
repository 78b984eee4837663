package io.k4j.kubelet.prober;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a container's postStart and preStop handlers like upstream's handler runner: exec in the container, an HTTP
 * GET whose status code does not matter (only reaching the server does), or a sleep; tcpSocket is accepted by the
 * API but never runnable. Calls block until the handler ends or the caller's time is up.
 */
public final class LifecycleHandlers implements io.k4j.kubelet.pod.LifecycleHooks, AutoCloseable {

    public static final String FAILED_POST_START_HOOK = "FailedPostStartHook";
    public static final String FAILED_PRE_STOP_HOOK = "FailedPreStopHook";
    public static final String POST_START_FAILED_MESSAGE = "PostStartHook failed";
    public static final String PRE_STOP_FAILED_MESSAGE = "PreStopHook failed";
    /** The waiting reason of a container whose postStart hook failed (upstream's ErrPostStartHook). */
    public static final String POST_START_HOOK_ERROR = "PostStartHookError";

    private static final Duration MINIMUM_GRACE = Duration.ofSeconds(2);

    /** Sleeps for the sleep action; tests pass one that records instead of waiting. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final ProbeActions actions;
    private final Sleeper sleeper;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    public LifecycleHandlers(ProbeActions actions) {
        this(actions, duration -> Thread.sleep(duration));
    }

    public LifecycleHandlers(ProbeActions actions, Sleeper sleeper) {
        this.actions = actions;
        this.sleeper = sleeper;
    }

    /** Runs the container's postStart handler, if any, for at most {@code timeout}. */
    @Override
    public HookResult postStart(Pod pod, Container container, String containerId, String podIp, Duration timeout) {
        LifecycleHandler handler = container.getLifecycle() == null ? null : container.getLifecycle().getPostStart();
        return run(handler, pod, container, containerId, podIp, timeout);
    }

    /**
     * Runs the container's preStop handler, if any, within {@code gracePeriod} (not at all with no grace period);
     * the caller then stops the container with {@link #graceAfterPreStop}.
     */
    @Override
    public HookResult preStop(Pod pod, Container container, String containerId, String podIp, Duration gracePeriod) {
        LifecycleHandler handler = container.getLifecycle() == null ? null : container.getLifecycle().getPreStop();
        return gracePeriod.isPositive() ? run(handler, pod, container, containerId, podIp, gracePeriod)
                : HookResult.OK;
    }

    /**
     * The grace period left for stopping the container after its preStop hook took {@code hookTook}: upstream
     * subtracts the whole seconds the hook ran and always leaves at least 2 seconds.
     */
    public static Duration graceAfterPreStop(Duration gracePeriod, Duration hookTook) {
        Duration left = gracePeriod.minusSeconds(hookTook.toSeconds());
        return left.compareTo(MINIMUM_GRACE) < 0 ? MINIMUM_GRACE : left;
    }

    private HookResult run(LifecycleHandler handler, Pod pod, Container container, String containerId, String podIp,
            Duration timeout) {
        if (handler == null) {
            return HookResult.OK;
        }
        Future<HookResult> running = threads.submit(() -> runHandler(handler, pod, container, containerId, podIp,
                timeout));
        try {
            return running.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            running.cancel(true);
            return new HookResult(false, "lifecycle hook for Container " + GoErrors.quote(container.getName())
                    + " in Pod " + GoErrors.quote(podName(pod)) + " did not finish within " + readable(timeout), true);
        } catch (InterruptedException e) {
            running.cancel(true);
            Thread.currentThread().interrupt();
            return HookResult.failed("interrupted while running a lifecycle hook");
        } catch (ExecutionException e) {
            return HookResult.failed("Cannot run handler: " + e.getCause().getMessage());
        }
    }

    private HookResult runHandler(LifecycleHandler handler, Pod pod, Container container, String containerId,
            String podIp, Duration timeout) {
        String where = " for Container " + GoErrors.quote(container.getName()) + " in Pod "
                + GoErrors.quote(podName(pod)) + " failed - error: ";
        if (handler.getExec() != null) {
            ProbeResult result = HandlerTargets.exec(actions, handler.getExec(), containerId, timeout);
            if (result.passed()) {
                return HookResult.OK;
            }
            List<String> command = handler.getExec().getCommand() == null ? List.of()
                    : handler.getExec().getCommand();
            // Upstream: the error names the exit code, the message is the output (none after a timeout).
            boolean exited = result.code() != 0;
            String error = exited ? "command '" + String.join(" ", command) + "' exited with " + result.code() + ": "
                    + result.output() : result.output();
            return HookResult.failed("Exec lifecycle hook (" + goList(command) + ")" + where + error + ", message: "
                    + GoErrors.quote(exited ? result.output() : ""));
        }
        if (handler.getHttpGet() != null) {
            ProbeResult result = HandlerTargets.httpGet(actions, handler.getHttpGet(), container, podIp, timeout,
                    ProbeActions.LIFECYCLE_USER_AGENT);
            if (result.code() > 0) {
                return HookResult.OK; // upstream ignores the status code of hooks
            }
            String path = handler.getHttpGet().getPath() == null ? "" : handler.getHttpGet().getPath();
            return HookResult.failed("HTTP lifecycle hook (" + path + ")" + where + result.output());
        }
        if (handler.getSleep() != null && handler.getSleep().getSeconds() != null) {
            long seconds = handler.getSleep().getSeconds();
            try {
                sleeper.sleep(Duration.ofSeconds(seconds));
                return HookResult.OK;
            } catch (InterruptedException e) {
                return HookResult.failed("Sleep lifecycle hook (" + seconds + ")" + where
                        + "container terminated before sleep hook finished");
            }
        }
        String kind = handler.getTcpSocket() != null ? "tcpSocket" : "none";
        return HookResult.failed("Cannot run handler: invalid handler: " + kind);
    }

    /** Upstream's format.Pod: name_namespace(uid). */
    static String podName(Pod pod) {
        var meta = pod.getMetadata();
        return meta.getName() + "_" + meta.getNamespace() + "(" + meta.getUid() + ")";
    }

    private static String readable(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    private static String goList(List<String> items) {
        return "[" + String.join(" ", items) + "]";
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
