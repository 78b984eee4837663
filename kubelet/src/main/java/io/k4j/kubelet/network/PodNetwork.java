package io.k4j.kubelet.network;

import io.k4j.kubelet.runtime.SandboxConfig.PortMapping;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Connects a pod's network namespace to the node's pod network, and back. */
public interface PodNetwork {

    /** Sets the range pod addresses come from; required before the first {@link #setUp}. */
    void updatePodCidr(String cidr) throws IOException;

    /** Gives the namespace its interfaces and addresses; returns the pod's IPs, primary first. */
    List<String> setUp(String sandboxId, Path netns, List<PortMapping> portMappings) throws IOException;

    /** Releases what {@link #setUp} took (address, host ports); idempotent, also when the namespace is gone. */
    void tearDown(String sandboxId, Path netns, List<PortMapping> portMappings) throws IOException;

    /** The namespace the node's own network lives in (null: this process'), where pod traffic is routed. */
    Path nodeNetns();
}
