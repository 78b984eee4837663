package io.k4j.simulation;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What a pod asks its simulated containers to do, from its annotations: exit {@code exit-after} their start with
 * {@code exit-code}; and what its restart policy then does. Without {@code exit-after} they run until deleted.
 */
public record PodScript(Optional<Duration> exitAfter, int exitCode, String restartPolicy) {

    public static final String EXIT_AFTER = "simulation.k4j.io/exit-after";
    public static final String EXIT_CODE = "simulation.k4j.io/exit-code";

    /** Reads a pod's script; annotations that do not parse are named in the exception. */
    public static PodScript of(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations() == null ? Map.of()
                : pod.getMetadata().getAnnotations();
        Optional<Duration> exitAfter = Optional.ofNullable(annotations.get(EXIT_AFTER)).map(GoDurations::parse);
        int exitCode;
        try {
            exitCode = Integer.parseInt(annotations.getOrDefault(EXIT_CODE, "0").trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(EXIT_CODE + ": '" + annotations.get(EXIT_CODE) + "' is no integer", e);
        }
        String policy = pod.getSpec().getRestartPolicy() == null ? "Always" : pod.getSpec().getRestartPolicy();
        return new PodScript(exitAfter, exitCode, policy);
    }

    /** Whether an exit with this script's code is followed by a restart. */
    public boolean restartsAfterExit() {
        return switch (restartPolicy) {
            case "Never" -> false;
            case "OnFailure" -> exitCode != 0;
            default -> true;
        };
    }
}
