package io.k4j.kubelet.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateRunning;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.k4j.kubelet.runtime.ContainerStatus;
import io.k4j.kubelet.runtime.PodSandbox;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Computes a pod's status from what the runtime reports, upstream's way: container states with their last state,
 * the phase (upstream's getPhase), and the PodReadyToStartContainers, Initialized, ContainersReady and Ready
 * conditions; conditions owned by others (PodScheduled, readiness gates) are kept as they are. Pure: everything it
 * needs comes in as arguments.
 */
public final class PodStatusComputer {

    /** The inputs of one computation. */
    public record Inputs(Pod pod, PodRuntime runtime, Map<String, Waiting> waiting, ContainerProbes probes,
            List<String> hostIps, String runtimeName, Instant now) {
    }

    private PodStatusComputer() {
    }

    public static PodStatus compute(Inputs in) {
        Pod pod = in.pod;
        PodStatus old = pod.getStatus() != null ? pod.getStatus() : new PodStatus();
        PodStatus status = new PodStatus();
        status.setHostIP(in.hostIps.isEmpty() ? null : in.hostIps.get(0));
        status.setHostIPs(in.hostIps.stream().map(HostIP::new).toList());
        Optional<PodSandbox> sandbox = in.runtime.readySandbox();
        List<String> podIps = podIps(pod, sandbox, in.hostIps, old);
        if (!podIps.isEmpty()) {
            status.setPodIP(podIps.get(0));
            status.setPodIPs(podIps.stream().map(PodIP::new).toList());
        }
        status.setStartTime(old.getStartTime() != null ? old.getStartTime() : Times.format(in.now));
        status.setQosClass(old.getQosClass()); // set by the API server when the pod was created
        status.setNominatedNodeName(old.getNominatedNodeName());

        List<Container> inits = pod.getSpec().getInitContainers();
        List<io.fabric8.kubernetes.api.model.ContainerStatus> initStatuses = new ArrayList<>();
        boolean initialized = true;
        boolean initFailed = false;
        List<String> pendingInits = new ArrayList<>();
        for (Container init : inits) {
            var initStatus = containerStatus(in, init, initialized ? null : Waiting.POD_INITIALIZING);
            initStatuses.add(initStatus);
            ContainerStateTerminated done = initStatus.getState().getTerminated();
            if (done == null || done.getExitCode() != 0) {
                if (done != null || lastFailed(initStatus)) {
                    initFailed |= "Never".equals(restartPolicy(pod));
                }
                initialized = false;
                pendingInits.add(init.getName());
            }
        }
        status.setInitContainerStatuses(initStatuses);
        List<io.fabric8.kubernetes.api.model.ContainerStatus> statuses = new ArrayList<>();
        for (Container container : pod.getSpec().getContainers()) {
            statuses.add(containerStatus(in, container, initialized ? null : Waiting.POD_INITIALIZING));
        }
        status.setContainerStatuses(statuses);

        String phase = initFailed ? "Failed" : phase(pod, statuses, initialized);
        status.setPhase(phase);
        status.setConditions(conditions(in, old, sandbox.isPresent(), initialized, pendingInits, statuses, phase));
        return status;
    }

    private static List<String> podIps(Pod pod, Optional<PodSandbox> sandbox, List<String> hostIps, PodStatus old) {
        if (Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) {
            return hostIps;
        }
        if (sandbox.isPresent() && !sandbox.get().ips().isEmpty()) {
            return sandbox.get().ips();
        }
        // A pod whose sandbox is gone (it finished) keeps the address it had, as upstream reports it.
        return old.getPodIPs() == null ? List.of() : old.getPodIPs().stream().map(PodIP::getIp).toList();
    }

    private static io.fabric8.kubernetes.api.model.ContainerStatus containerStatus(Inputs in, Container spec,
            String notStartedReason) {
        var status = new io.fabric8.kubernetes.api.model.ContainerStatus();
        status.setName(spec.getName());
        status.setImage(spec.getImage());
        status.setImageID("");
        status.setRestartCount(in.runtime.restartCount(spec.getName()));
        status.setReady(false);
        status.setStarted(false);
        Optional<ContainerStatus> latest = in.runtime.latest(spec.getName());
        Optional<ContainerStatus> previous = in.runtime.previous(spec.getName());
        Waiting waiting = in.waiting.get(spec.getName());
        ContainerState state = new ContainerState();
        ContainerState last = new ContainerState();
        if (latest.isPresent()) {
            ContainerStatus instance = latest.get();
            status.setContainerID(in.runtimeName + "://" + instance.id());
            status.setImageID(instance.imageId() == null ? "" : instance.imageId());
            switch (instance.state()) {
                case RUNNING -> {
                    state.setRunning(new ContainerStateRunning(Times.format(instance.startedAt())));
                    boolean started = in.probes.started(instance.id());
                    status.setStarted(started);
                    status.setReady(started && in.probes.ready(instance.id()));
                    previous.ifPresent(p -> last.setTerminated(terminated(in, p)));
                }
                case EXITED -> {
                    if (waiting != null) {
                        state.setWaiting(new ContainerStateWaiting(waiting.message(), waiting.reason()));
                        last.setTerminated(terminated(in, instance));
                    } else {
                        state.setTerminated(terminated(in, instance));
                        previous.ifPresent(p -> last.setTerminated(terminated(in, p)));
                    }
                }
                default -> {
                    Waiting shown = waiting != null ? waiting : new Waiting(Waiting.CONTAINER_CREATING, null);
                    state.setWaiting(new ContainerStateWaiting(shown.message(), shown.reason()));
                    previous.ifPresent(p -> last.setTerminated(terminated(in, p)));
                }
            }
        } else {
            Waiting shown = waiting != null ? waiting
                    : new Waiting(notStartedReason != null ? notStartedReason : Waiting.CONTAINER_CREATING, null);
            state.setWaiting(new ContainerStateWaiting(shown.message(), shown.reason()));
        }
        status.setState(state);
        status.setLastState(last);
        return status;
    }

    private static ContainerStateTerminated terminated(Inputs in, ContainerStatus instance) {
        ContainerStateTerminated terminated = new ContainerStateTerminated();
        terminated.setContainerID(in.runtimeName + "://" + instance.id());
        terminated.setExitCode(instance.exitCode());
        terminated.setReason(instance.reason() != null ? instance.reason()
                : instance.exitCode() == 0 ? "Completed" : "Error");
        terminated.setMessage(instance.message());
        terminated.setStartedAt(Times.format(instance.startedAt()));
        terminated.setFinishedAt(Times.format(instance.finishedAt()));
        return terminated;
    }

    private static boolean lastFailed(io.fabric8.kubernetes.api.model.ContainerStatus status) {
        ContainerStateTerminated last = status.getLastState().getTerminated();
        return last != null && last.getExitCode() != 0;
    }

    static String restartPolicy(Pod pod) {
        return Objects.requireNonNullElse(pod.getSpec().getRestartPolicy(), "Always");
    }

    /** Upstream's getPhase for the regular containers, once the init containers are accounted for. */
    static String phase(Pod pod, List<io.fabric8.kubernetes.api.model.ContainerStatus> statuses, boolean initialized) {
        if (!initialized) {
            return "Pending";
        }
        int running = 0;
        int waiting = 0;
        int stopped = 0;
        int succeeded = 0;
        for (var status : statuses) {
            ContainerState state = status.getState();
            if (state.getRunning() != null) {
                running++;
            } else if (state.getTerminated() != null) {
                stopped++;
                if (state.getTerminated().getExitCode() == 0) {
                    succeeded++;
                }
            } else if (status.getLastState().getTerminated() != null) {
                // Waiting to be restarted: it has run, so it counts as stopped, as upstream counts it.
                stopped++;
                if (status.getLastState().getTerminated().getExitCode() == 0) {
                    succeeded++;
                }
            } else {
                waiting++;
            }
        }
        String policy = restartPolicy(pod);
        if (waiting > 0) {
            return "Pending";
        }
        if (running > 0) {
            return "Running";
        }
        if (stopped > 0) {
            return switch (policy) {
                case "Always" -> "Running";
                case "OnFailure" -> stopped == succeeded ? "Succeeded" : "Running";
                default -> stopped == succeeded ? "Succeeded" : "Failed";
            };
        }
        return "Pending";
    }

    private static List<PodCondition> conditions(Inputs in, PodStatus old, boolean sandboxReady, boolean initialized,
            List<String> pendingInits, List<io.fabric8.kubernetes.api.model.ContainerStatus> statuses, String phase) {
        List<PodCondition> conditions = new ArrayList<>();
        boolean terminal = "Succeeded".equals(phase) || "Failed".equals(phase);
        conditions.add(condition(in, old, "PodReadyToStartContainers", sandboxReady && !terminal, null, null));
        conditions.add(initialized || terminal && pendingInits.isEmpty()
                ? condition(in, old, "Initialized", true, terminal && !initialized ? "PodCompleted" : null, null)
                : condition(in, old, "Initialized", false, "ContainersNotInitialized",
                        "containers with incomplete status: " + pendingInits.toString().replace(",", "")));
        List<String> unready = statuses.stream().filter(status -> !Boolean.TRUE.equals(status.getReady()))
                .map(io.fabric8.kubernetes.api.model.ContainerStatus::getName).toList();
        String unreadyMessage = "containers with unready status: " + unready.toString().replace(",", "");
        if (terminal) {
            conditions.add(condition(in, old, "ContainersReady", false, "PodCompleted", null));
            conditions.add(condition(in, old, "Ready", false, "PodCompleted", null));
        } else if (unready.isEmpty() && initialized) {
            conditions.add(condition(in, old, "ContainersReady", true, null, null));
            List<String> gatesNotReady = unreadyGates(in.pod, old);
            conditions.add(gatesNotReady.isEmpty() ? condition(in, old, "Ready", true, null, null)
                    : condition(in, old, "Ready", false, "ReadinessGatesNotReady",
                            "corresponding condition of pod readiness gate \"" + gatesNotReady.get(0)
                                    + "\" does not exist."));
        } else {
            conditions.add(condition(in, old, "ContainersReady", false, "ContainersNotReady", unreadyMessage));
            conditions.add(condition(in, old, "Ready", false, "ContainersNotReady", unreadyMessage));
        }
        // Conditions the kubelet does not own (PodScheduled, DisruptionTarget, readiness gates) stay as they were.
        if (old.getConditions() != null) {
            for (PodCondition condition : old.getConditions()) {
                if (conditions.stream().noneMatch(mine -> mine.getType().equals(condition.getType()))) {
                    conditions.add(condition);
                }
            }
        }
        return conditions;
    }

    private static List<String> unreadyGates(Pod pod, PodStatus old) {
        List<String> unready = new ArrayList<>();
        List<PodReadinessGate> gates = pod.getSpec().getReadinessGates();
        if (gates == null) {
            return unready;
        }
        for (PodReadinessGate gate : gates) {
            boolean ready = old.getConditions() != null && old.getConditions().stream()
                    .anyMatch(c -> c.getType().equals(gate.getConditionType()) && "True".equals(c.getStatus()));
            if (!ready) {
                unready.add(gate.getConditionType());
            }
        }
        return unready;
    }

    private static PodCondition condition(Inputs in, PodStatus old, String type, boolean value, String reason,
            String message) {
        String status = value ? "True" : "False";
        String since = Times.format(in.now);
        if (old.getConditions() != null) {
            for (PodCondition previous : old.getConditions()) {
                if (type.equals(previous.getType()) && status.equals(previous.getStatus())
                        && previous.getLastTransitionTime() != null) {
                    since = previous.getLastTransitionTime();
                }
            }
        }
        PodCondition condition = new PodCondition();
        condition.setType(type);
        condition.setStatus(status);
        condition.setReason(reason);
        condition.setMessage(message);
        condition.setLastTransitionTime(since);
        condition.setLastProbeTime(null);
        return condition;
    }

    /** RFC 3339 timestamps with second precision, as the API shows them. */
    static final class Times {
        private Times() {
        }

        static String format(Instant instant) {
            return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
        }
    }
}
