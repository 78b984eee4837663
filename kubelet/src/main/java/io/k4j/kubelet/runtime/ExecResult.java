package io.k4j.kubelet.runtime;

/** The outcome of {@link ContainerRuntime#execSync}; {@code timedOut} when it was killed at its timeout. */
public record ExecResult(int exitCode, byte[] stdout, byte[] stderr, boolean timedOut) {
}
