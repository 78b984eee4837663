package io.k4j.kubelet.runtime.oci;

import io.k4j.kubelet.runtime.PodSandbox;
import io.k4j.kubelet.runtime.SandboxConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** A sandbox as kept on disk (sandbox.json in its directory), so a restarted kubelet finds it again. */
record SandboxRecord(String id, SandboxConfig config, boolean ready, List<String> ips, String netnsPath,
        String directory, String cgroupParent, String createdAt) {

    Path dir() {
        return Path.of(directory);
    }

    Path netns() {
        return netnsPath == null ? null : Path.of(netnsPath);
    }

    Path hostsFile() {
        return dir().resolve("hosts");
    }

    Path resolvConf() {
        return dir().resolve("resolv.conf");
    }

    Path hostnameFile() {
        return dir().resolve("hostname");
    }

    SandboxRecord notReady() {
        return new SandboxRecord(id, config, false, ips, netnsPath, directory, cgroupParent, createdAt);
    }

    /** Ready until stopped, unless its network namespace went away (a node reboot): then it must be replaced. */
    PodSandbox toSandbox() {
        boolean networkIntact = config.hostNetwork() || netnsPath == null || Files.exists(netns());
        PodSandbox.State state = ready && networkIntact ? PodSandbox.State.READY : PodSandbox.State.NOT_READY;
        return new PodSandbox(id, config, state, ips,
                config.hostNetwork() ? null : netns(), hostsFile(), resolvConf(), hostnameFile(),
                Instant.parse(createdAt));
    }
}
