package io.k4j.kubelet.runtime;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A pod's sandbox as the runtime reports it.
 *
 * @param ips         the pod's addresses, primary first (empty with host networking: the kubelet uses the node's)
 * @param netnsPath   the network namespace file, e.g. /run/netns/k4j-ID; null with host networking
 * @param hostsFile   the /etc/hosts every container gets; likewise resolvConf and hostnameFile
 */
public record PodSandbox(String id, SandboxConfig config, State state, List<String> ips, Path netnsPath,
        Path hostsFile, Path resolvConf, Path hostnameFile, Instant createdAt) {

    public enum State { READY, NOT_READY }
}
