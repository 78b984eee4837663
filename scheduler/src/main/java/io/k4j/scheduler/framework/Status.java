package io.k4j.scheduler.framework;

import java.util.List;

/**
 * A plugin's result: a {@link Code}, human-readable reasons (these end up in FailedScheduling events and in
 * {@code k4j explain pod}), and the plugin that returned it (filled in by the framework).
 */
public record Status(Code code, List<String> reasons, String plugin, Throwable error) {

    private static final Status SUCCESS = new Status(Code.SUCCESS, List.of(), null, null);
    private static final Status SKIP = new Status(Code.SKIP, List.of(), null, null);

    public Status {
        reasons = List.copyOf(reasons);
    }

    public static Status success() {
        return SUCCESS;
    }

    public static Status skip() {
        return SKIP;
    }

    public static Status of(Code code, String... reasons) {
        return new Status(code, List.of(reasons), null, null);
    }

    /** Does not fit here; preemption may help. */
    public static Status unschedulable(String... reasons) {
        return of(Code.UNSCHEDULABLE, reasons);
    }

    /** Does not fit here; preemption cannot help. */
    public static Status unresolvable(String... reasons) {
        return of(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, reasons);
    }

    public static Status error(String message) {
        return new Status(Code.ERROR, List.of(message), null, null);
    }

    public static Status error(Throwable cause) {
        return new Status(Code.ERROR, List.of(String.valueOf(cause.getMessage())), null, cause);
    }

    public Status withPlugin(String name) {
        return plugin != null && plugin.equals(name) ? this : new Status(code, reasons, name, error);
    }

    public boolean isSuccess() {
        return code == Code.SUCCESS;
    }

    public boolean isSkip() {
        return code == Code.SKIP;
    }

    public boolean isRejection() {
        return code.isRejection();
    }

    /** The reasons joined, as upstream's Status.Message(). */
    public String message() {
        return String.join(", ", reasons);
    }
}
