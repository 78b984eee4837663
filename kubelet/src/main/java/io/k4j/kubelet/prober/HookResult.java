package io.k4j.kubelet.prober;

/**
 * How a postStart or preStop handler ended.
 *
 * @param message  upstream's hook failure message (for logs and, for postStart, the container's last state); null
 *                 on success. Events carry only {@link LifecycleHandlers#POST_START_FAILED_MESSAGE} /
 *                 {@link LifecycleHandlers#PRE_STOP_FAILED_MESSAGE}, as upstream, so secrets never reach them
 * @param timedOut the handler was still running when the caller's time ran out (it was abandoned)
 */
public record HookResult(boolean success, String message, boolean timedOut) {

    static final HookResult OK = new HookResult(true, null, false);

    static HookResult failed(String message) {
        return new HookResult(false, message, false);
    }
}
