package io.k4j.kubelet.runtime;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * What the kubelet needs from a container runtime, in the spirit of CRI: pod sandboxes (a network namespace with
 * its addresses, hosts and DNS files), containers inside them, and the streams behind exec, attach and
 * port-forward. Implementations keep their own state on disk, so a restarted kubelet finds every sandbox and
 * container again through the list calls (identity travels in labels, see {@link RuntimeLabels}).
 *
 * <p>Every method may block on processes or the file system; none may be called on an event-loop thread.
 * Failures are {@link IOException}s whose message is fit to show a user (it ends up in pod status and events).
 */
public interface ContainerRuntime extends AutoCloseable {

    /** "runc", "crun" or "simulated". */
    String name();

    /** Gives the runtime the node's pod range once the node has one (CRI's UpdateRuntimeConfig). */
    void updatePodCidr(String cidr) throws IOException;

    /** Creates the pod's network namespace, sets up its network and writes its hosts, resolv.conf and hostname. */
    PodSandbox runPodSandbox(SandboxConfig config) throws IOException;

    /** Stops every container of the sandbox (killing what is left) and releases its network; idempotent. */
    void stopPodSandbox(String sandboxId) throws IOException;

    /** Removes a stopped sandbox: its containers, directories, network namespace and pod cgroup; idempotent. */
    void removePodSandbox(String sandboxId) throws IOException;

    List<PodSandbox> listPodSandboxes() throws IOException;

    /** One pod's sandboxes (CRI's list with a pod uid filter). */
    default List<PodSandbox> listPodSandboxes(String podUid) throws IOException {
        return listPodSandboxes().stream().filter(sandbox -> podUid.equals(sandbox.config().uid())).toList();
    }

    /** Creates (but does not start) a container in a ready sandbox; returns its id. */
    String createContainer(String sandboxId, ContainerConfig config) throws IOException;

    void startContainer(String containerId) throws IOException;

    /** SIGTERM (or the image's stop signal), then SIGKILL once {@code gracePeriod} has passed; returns when it exited. */
    void stopContainer(String containerId, Duration gracePeriod) throws IOException;

    void removeContainer(String containerId) throws IOException;

    /** Every container the runtime knows, running or exited, of every sandbox. */
    List<ContainerStatus> listContainers() throws IOException;

    /** One pod's containers, running or exited (CRI's list with a pod uid label filter). */
    default List<ContainerStatus> listContainers(String podUid) throws IOException {
        return listContainers().stream().filter(container -> podUid.equals(container.labels()
                .get(RuntimeLabels.POD_UID))).toList();
    }

    /** Runs a command in a running container and collects its output (probes and hooks). */
    ExecResult execSync(String containerId, List<String> command, Duration timeout) throws IOException;

    /** Starts a command in a running container with its streams open to the caller (kubectl exec). */
    StreamSession exec(String containerId, List<String> command, boolean tty, boolean stdin) throws IOException;

    /** Connects to a running container's own stdio (kubectl attach). */
    StreamSession attach(String containerId, boolean stdin, boolean tty) throws IOException;

    /** Opens a TCP connection to {@code port} on the sandbox's loopback (kubectl port-forward). */
    PortConnection portForward(String sandboxId, int port) throws IOException;

    /** CPU and memory use from the container's cgroup. */
    ContainerStats stats(String containerId) throws IOException;

    /** Closes the log file the runtime writes to and opens it again at the same path (after rotation). */
    void reopenContainerLog(String containerId) throws IOException;

    /** Releases the runtime's own resources; running containers keep running (they outlive the kubelet). */
    @Override
    void close();
}
