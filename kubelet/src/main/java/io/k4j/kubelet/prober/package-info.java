/**
 * Container probes and lifecycle hooks, after upstream's prober manager, workers and handler runner.
 *
 * <p>Wiring: one {@link io.k4j.kubelet.prober.ProbeManager} per kubelet over {@link
 * io.k4j.kubelet.prober.ContainerProbeActions} and an {@link io.k4j.kubelet.prober.ExecutorTaskScheduler}; the
 * kubelet adds each container instance once it runs, reads {@code ready}/{@code started} when it builds pod status,
 * removes instances that stopped, and kills an instance when told its liveness or startup probe failed. {@link
 * io.k4j.kubelet.prober.LifecycleHandlers} runs postStart right after start and preStop before a stop.
 */
package io.k4j.kubelet.prober;
