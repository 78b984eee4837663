package io.k4j.kubelet.runtime.oci;

import io.k4j.kubelet.runtime.PodSandbox;
import io.k4j.kubelet.runtime.SandboxConfig;
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

    PodSandbox toSandbox() {
        return new PodSandbox(id, config, ready ? PodSandbox.State.READY : PodSandbox.State.NOT_READY, ips,
                config.hostNetwork() ? null : netns(), hostsFile(), resolvConf(), hostnameFile(),
                Instant.parse(createdAt));
    }
}
