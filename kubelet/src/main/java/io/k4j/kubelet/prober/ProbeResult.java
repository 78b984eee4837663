package io.k4j.kubelet.prober;

/**
 * One run of a probe action.
 *
 * @param outcome    WARNING counts as success (upstream: a redirect to another host it did not follow); ERROR means
 *                   the probe could not be run at all (bad port, unsupported action) and changes no result
 * @param output     the command's output, the response body or the failure message
 * @param code       the HTTP status code when a response arrived, or a failed command's exit code; else 0
 *                   (lifecycle hooks only need a response, and report the exit code)
 */
public record ProbeResult(Outcome outcome, String output, int code) {

    public enum Outcome { SUCCESS, WARNING, FAILURE, ERROR }

    public static ProbeResult success(String output) {
        return new ProbeResult(Outcome.SUCCESS, output, 0);
    }

    public static ProbeResult failure(String output, int code) {
        return new ProbeResult(Outcome.FAILURE, output, code);
    }

    public static ProbeResult failure(String output) {
        return new ProbeResult(Outcome.FAILURE, output, 0);
    }

    public static ProbeResult error(String message) {
        return new ProbeResult(Outcome.ERROR, message, 0);
    }

    boolean passed() {
        return outcome == Outcome.SUCCESS || outcome == Outcome.WARNING;
    }
}
