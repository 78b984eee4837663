package io.k4j.kubelet.runtime.oci;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.kubelet.runtime.SandboxConfig;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodFilesTest {

    private static SandboxConfig pod(String subdomain, Map<String, List<String>> aliases) {
        return new SandboxConfig("uid", "shop", "web-0", 0, "web-0", subdomain, Map.of(), Map.of(), List.of(), null,
                aliases, null, false);
    }

    @Test
    void hostsNameThePodAndItsSubdomainAndAddTheAliases() throws IOException {
        Map<String, List<String>> aliases = new LinkedHashMap<>();
        aliases.put("10.1.2.3", List.of("foo.local", "bar.local"));

        String hosts = PodFiles.hosts(pod("web", aliases), List.of("10.88.0.5"), "cluster.local");

        assertThat(hosts).startsWith("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n")
                .contains("10.88.0.5\tweb-0.web.shop.svc.cluster.local\tweb-0\n")
                .endsWith("\n# Entries added by HostAliases.\n10.1.2.3\tfoo.local\tbar.local\n");
        assertThat(PodFiles.hosts(pod(null, Map.of()), List.of("10.88.0.5"), "cluster.local"))
                .contains("10.88.0.5\tweb-0\n");
    }

    @Test
    void resolvConfFollowsTheKubeletsDnsSettings() throws IOException {
        var dns = new SandboxConfig.DnsConfig(List.of("10.96.0.10"), List.of("shop.svc.cluster.local",
                "svc.cluster.local"), List.of("ndots:5"));

        assertThat(PodFiles.resolvConf(dns)).isEqualTo("search shop.svc.cluster.local svc.cluster.local\n"
                + "nameserver 10.96.0.10\noptions ndots:5\n");
        assertThat(PodFiles.resolvConf(null)).doesNotContain("nameserver 127.");
    }

    @Test
    void runtimeErrorsKeepOnlyTheMessage() {
        assertThat(RuntimeErrors.message("time=\"2026\" level=error msg=\"runc create failed: exec: \\\"sh\\\": not found\"\n"))
                .isEqualTo("runc create failed: exec: \"sh\": not found");
        assertThat(RuntimeErrors.message("  plain failure\n")).isEqualTo("plain failure");
    }
}
