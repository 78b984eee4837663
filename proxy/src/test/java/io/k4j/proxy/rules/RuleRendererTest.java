package io.k4j.proxy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleRendererTest {

    private static final NodeFacts NODE = new NodeFacts("node-a", List.of("192.168.1.10"), "10.42.0.0/16", true);
    private static final String FILTER_HEAD = """
            *filter
            :KUBE-SERVICES - [0:0]
            :KUBE-EXTERNAL-SERVICES - [0:0]
            :KUBE-FORWARD - [0:0]
            :KUBE-FIREWALL - [0:0]
            """;
    private static final String FORWARD_RULES = """
            -A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
            -A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
            -A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
            -A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
            """;
    private static final String NAT_HEAD = """
            *nat
            :KUBE-SERVICES - [0:0]
            :KUBE-NODEPORTS - [0:0]
            :KUBE-POSTROUTING - [0:0]
            :KUBE-MARK-MASQ - [0:0]
            :KUBE-PROXY-HAIRPIN - [0:0]
            """;
    private static final String NAT_FIXED = """
            -A KUBE-POSTROUTING -m conntrack --ctstate DNAT -j KUBE-PROXY-HAIRPIN
            -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
            -A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
            -A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
            -A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
            """;
    private static final String NODEPORT_TAIL = """
            -A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -d 192.168.1.10 -j KUBE-NODEPORTS
            -A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -d 127.0.0.1 -j KUBE-NODEPORTS
            """;

    private static ServicePortInfo.Builder web() {
        return ServicePortInfo.builder("ns1", "web").portName("http").clusterIp("10.43.0.20").port(80);
    }

    private static String render(ServicePortInfo... services) {
        return new RuleRenderer(NODE).render(List.of(services), List.of()).text();
    }

    @Test
    void chainNamesMatchKubeProxy() {
        // Names seen on real clusters for the default kubernetes and kube-dns services.
        ServicePortInfo api = ServicePortInfo.builder("default", "kubernetes").portName("https").clusterIp("10.43.0.1")
                .port(443).build();
        ServicePortInfo dns = ServicePortInfo.builder("kube-system", "kube-dns").portName("dns").protocol("UDP")
                .clusterIp("10.43.0.10").port(53).build();
        assertThat(ChainNames.service(api)).isEqualTo("KUBE-SVC-NPX46M4PTMTKRN6Y");
        assertThat(ChainNames.service(dns)).isEqualTo("KUBE-SVC-TCOU7JCQXEZGVUNU");
        assertThat(ChainNames.serviceLocal(dns)).isEqualTo("KUBE-SVL-TCOU7JCQXEZGVUNU");
        assertThat(ChainNames.external(dns)).isEqualTo("KUBE-EXT-TCOU7JCQXEZGVUNU");
        EndpointInfo ep = EndpointInfo.ready("10.42.0.5", 53, "n");
        assertThat(ChainNames.endpoint(dns, ep)).startsWith("KUBE-SEP-").hasSize(25)
                .isEqualTo(ChainNames.endpoint(dns, EndpointInfo.ready("10.42.0.5", 53, "other-node")))
                .isNotEqualTo(ChainNames.endpoint(dns, EndpointInfo.ready("10.42.0.6", 53, "n")));
    }

    @Test
    void clusterIpWithTwoEndpoints() {
        ServicePortInfo svc = web().endpoint(EndpointInfo.ready("10.42.0.12", 8080, "node-b"))
                .endpoint(EndpointInfo.ready("10.42.0.11", 8080, "node-a")).build();
        String svcChain = ChainNames.service(svc);
        String expected = FILTER_HEAD + FORWARD_RULES + "COMMIT\n" + NAT_HEAD
                + ":" + svcChain + " - [0:0]\n"
                + NAT_FIXED
                + "-A KUBE-SERVICES -m comment --comment \"ns1/web:http cluster IP\" -m tcp -p tcp -d 10.43.0.20 --dport 80 -j " + svcChain + "\n"
                + "-A " + svcChain + " -m comment --comment \"ns1/web:http cluster IP\" -m tcp -p tcp -d 10.43.0.20 --dport 80 ! -s 10.42.0.0/16 -j KUBE-MARK-MASQ\n"
                + "-A " + svcChain + " -m comment --comment \"ns1/web:http -> 10.42.0.11:8080\" -m statistic --mode random --probability 0.5000000000 -m tcp -p tcp -j DNAT --to-destination 10.42.0.11:8080\n"
                + "-A " + svcChain + " -m comment --comment \"ns1/web:http -> 10.42.0.12:8080\" -m tcp -p tcp -j DNAT --to-destination 10.42.0.12:8080\n"
                + NODEPORT_TAIL
                // Only the endpoint on this node (node-a) can be its own client.
                + "-A KUBE-PROXY-HAIRPIN -s 10.42.0.11 -d 10.42.0.11 -j KUBE-MARK-MASQ\n"
                + "COMMIT\n";
        assertThat(render(svc)).isEqualTo(expected);
    }

    @Test
    void serviceWithoutEndpointsIsRejectedInFilter() {
        ServicePortInfo svc = web().nodePort(30080).build();
        String text = render(svc);
        assertThat(text).startsWith(FILTER_HEAD + FORWARD_RULES
                + "-A KUBE-SERVICES -m comment --comment \"ns1/web:http has no endpoints\" -m tcp -p tcp -d 10.43.0.20 --dport 80 -j REJECT\n"
                + "-A KUBE-EXTERNAL-SERVICES -m comment --comment \"ns1/web:http has no endpoints\" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 30080 -j REJECT\n"
                + "COMMIT\n");
        assertThat(text).doesNotContain("KUBE-SVC-", "KUBE-EXT-", "-A KUBE-NODEPORTS");
    }

    @Test
    void terminatingServingEndpointsAreUsedOnlyWhenNoneIsReady() {
        EndpointInfo ready = EndpointInfo.ready("10.42.0.11", 8080, "node-a");
        EndpointInfo draining = new EndpointInfo("10.42.0.12", 8080, false, true, true, "node-a");
        EndpointInfo notServing = new EndpointInfo("10.42.0.13", 8080, false, false, true, "node-a");
        String both = render(web().endpoint(ready).endpoint(draining).endpoint(notServing).build());
        assertThat(both).contains("--to-destination 10.42.0.11:8080").doesNotContain("10.42.0.12:8080", "10.42.0.13");
        String onlyDraining = render(web().endpoint(draining).endpoint(notServing).build());
        assertThat(onlyDraining).contains("--to-destination 10.42.0.12:8080").doesNotContain("10.42.0.13");
        String onlyNotServing = render(web().endpoint(notServing).build());
        assertThat(onlyNotServing).contains("has no endpoints\" -m tcp -p tcp -d 10.43.0.20 --dport 80 -j REJECT");
    }

    @Test
    void nodePortAndLoadBalancerGoThroughTheExternalChainAndMasquerade() {
        ServicePortInfo svc = web().nodePort(30080).loadBalancerIp("192.168.1.10")
                .endpoint(EndpointInfo.ready("10.42.0.11", 8080, "node-a")).build();
        String ext = ChainNames.external(svc);
        String text = render(svc);
        assertThat(text).contains(
                "-A KUBE-NODEPORTS -m comment --comment ns1/web:http -m tcp -p tcp --dport 30080 -j " + ext + "\n",
                "-A KUBE-SERVICES -m comment --comment \"ns1/web:http loadbalancer IP\" -m tcp -p tcp -d 192.168.1.10 --dport 80 -j " + ext + "\n",
                "-A " + ext + " -m comment --comment \"masquerade traffic for ns1/web:http external destinations\" -j KUBE-MARK-MASQ\n"
                        + "-A " + ext + " -j " + ChainNames.service(svc) + "\n");
        // The node-port tail stays last in KUBE-SERVICES.
        assertThat(text.indexOf("loadbalancer IP")).isLessThan(text.indexOf("kubernetes service nodeports"));
    }

    @Test
    void externalTrafficPolicyLocalKeepsClientAddressAndUsesLocalEndpoints() {
        ServicePortInfo svc = web().nodePort(30080).externalPolicyLocal(true)
                .endpoint(EndpointInfo.ready("10.42.0.11", 8080, "node-a"))
                .endpoint(EndpointInfo.ready("10.42.1.11", 8080, "node-b")).build();
        String ext = ChainNames.external(svc);
        String svl = ChainNames.serviceLocal(svc);
        String svcChain = ChainNames.service(svc);
        String text = render(svc);
        assertThat(text).contains(
                "-A " + ext + " -m comment --comment \"pod traffic for ns1/web:http external destinations\" -s 10.42.0.0/16 -j " + svcChain + "\n"
                        + "-A " + ext + " -m comment --comment \"masquerade LOCAL traffic for ns1/web:http external destinations\" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ\n"
                        + "-A " + ext + " -m comment --comment \"route LOCAL traffic for ns1/web:http external destinations\" -m addrtype --src-type LOCAL -j " + svcChain + "\n"
                        + "-A " + ext + " -j " + svl + "\n");
        assertThat(text).contains("-A " + svl + " -m comment --comment \"ns1/web:http -> 10.42.0.11:8080\" -m tcp -p tcp -j DNAT --to-destination 10.42.0.11:8080\n");
        assertThat(text).doesNotContain("-A " + svl + " -m comment --comment \"ns1/web:http -> 10.42.1.11:8080\"");
        assertThat(text).doesNotContain("masquerade traffic for");
    }

    @Test
    void externalPolicyLocalWithoutLocalEndpointsDropsExternalTraffic() {
        ServicePortInfo svc = web().nodePort(30080).externalPolicyLocal(true)
                .endpoint(EndpointInfo.ready("10.42.1.11", 8080, "node-b")).build();
        String text = render(svc);
        assertThat(text).contains("-A KUBE-EXTERNAL-SERVICES -m comment --comment \"ns1/web:http has no local endpoints\" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 30080 -j DROP\n");
        // Cluster IP traffic still reaches the remote endpoint.
        assertThat(text).contains("cluster IP\" -m tcp -p tcp -d 10.43.0.20 --dport 80 -j " + ChainNames.service(svc));
        assertThat(text).doesNotContain("-j " + ChainNames.serviceLocal(svc));
    }

    @Test
    void internalTrafficPolicyLocal() {
        ServicePortInfo svc = web().internalPolicyLocal(true)
                .endpoint(EndpointInfo.ready("10.42.0.11", 8080, "node-a"))
                .endpoint(EndpointInfo.ready("10.42.1.11", 8080, "node-b")).build();
        String text = render(svc);
        assertThat(text).contains("-d 10.43.0.20 --dport 80 -j " + ChainNames.serviceLocal(svc) + "\n")
                .doesNotContain(ChainNames.service(svc), "10.42.1.11");
        ServicePortInfo remoteOnly = web().internalPolicyLocal(true)
                .endpoint(EndpointInfo.ready("10.42.1.11", 8080, "node-b")).build();
        assertThat(render(remoteOnly)).contains("-A KUBE-SERVICES -m comment --comment \"ns1/web:http has no local endpoints\" -m tcp -p tcp -d 10.43.0.20 --dport 80 -j DROP\n");
    }

    @Test
    void sessionAffinityUsesRecentMatch() {
        ServicePortInfo svc = web().affinityTimeoutSeconds(600)
                .endpoint(EndpointInfo.ready("10.42.0.11", 8080, "node-a")).build();
        String sep = ChainNames.endpoint(svc, svc.endpoints().get(0));
        assertThat(render(svc)).contains(
                "-A " + ChainNames.service(svc) + " -m comment --comment \"ns1/web:http -> 10.42.0.11:8080\" -m recent --name " + sep + " --update --seconds 600 --reap -m tcp -p tcp -j DNAT --to-destination 10.42.0.11:8080\n"
                        + "-A " + ChainNames.service(svc) + " -m comment --comment \"ns1/web:http -> 10.42.0.11:8080\" -m recent --name " + sep + " --set -m tcp -p tcp -j DNAT --to-destination 10.42.0.11:8080\n")
                .doesNotContain(":" + sep);
    }

    @Test
    void hairpinCoversEndpointsThatMayBeOnThisNodeOnce() {
        EndpointInfo noNode = new EndpointInfo("10.42.0.13", 8080, true, true, false, null);
        ServicePortInfo a = web().endpoint(EndpointInfo.ready("10.42.0.11", 8080, "node-a"))
                .endpoint(EndpointInfo.ready("10.42.1.11", 8080, "node-b")).endpoint(noNode).build();
        ServicePortInfo b = ServicePortInfo.builder("ns1", "metrics").clusterIp("10.43.0.21").port(9090)
                .endpoint(EndpointInfo.ready("10.42.0.11", 9090, "node-a")).build();
        String text = render(a, b);
        assertThat(text.lines().filter(l -> l.startsWith("-A KUBE-PROXY-HAIRPIN"))).containsExactly(
                "-A KUBE-PROXY-HAIRPIN -s 10.42.0.11 -d 10.42.0.11 -j KUBE-MARK-MASQ",
                "-A KUBE-PROXY-HAIRPIN -s 10.42.0.13 -d 10.42.0.13 -j KUBE-MARK-MASQ");
    }

    @Test
    void udpDnatNamesItsProtocolAndProbabilitiesSplitEvenly() {
        ServicePortInfo.Builder b = ServicePortInfo.builder("kube-system", "kube-dns").portName("dns").protocol("UDP")
                .clusterIp("10.43.0.10").port(53);
        for (int i = 1; i <= 4; i++) {
            b.endpoint(EndpointInfo.ready("10.42.0." + i, 53, "node-a"));
        }
        String text = render(b.build());
        assertThat(text).contains("-m udp -p udp -j DNAT --to-destination 10.42.0.1:53",
                "--probability 0.2500000000", "--probability 0.3333333333", "--probability 0.5000000000");
        assertThat(text.lines().filter(l -> l.contains("--probability"))).hasSize(3);
    }

    @Test
    void staleChainsAreFlushedAndDeletedButWantedOnesKept() {
        ServicePortInfo svc = web().endpoint(EndpointInfo.ready("10.42.0.11", 8080, "node-a")).build();
        RenderedRules rules = new RuleRenderer(NODE).render(List.of(svc),
                List.of("KUBE-SVC-OLDOLDOLDOLDOLDO", ChainNames.service(svc), "KUBE-SERVICES", "OTHER-CHAIN"));
        assertThat(rules.text()).contains(":KUBE-SVC-OLDOLDOLDOLDOLDO - [0:0]\n")
                .contains("-X KUBE-SVC-OLDOLDOLDOLDOLDO\nCOMMIT\n")
                .doesNotContain("-X " + ChainNames.service(svc), "-X KUBE-SERVICES", "OTHER-CHAIN");
        assertThat(rules.perServiceChains()).containsExactly(ChainNames.service(svc));
    }

    @Test
    void largeClustersDropPerEndpointComments() {
        List<ServicePortInfo> services = new ArrayList<>();
        for (int s = 0; s < 101; s++) {
            ServicePortInfo.Builder b = ServicePortInfo.builder("ns", "s" + s).clusterIp("10.43.1." + s).port(80);
            for (int e = 0; e < 10; e++) {
                b.endpoint(EndpointInfo.ready("10.42." + s + "." + e, 80, "n"));
            }
            services.add(b.build());
        }
        String text = new RuleRenderer(NODE).render(services, List.of()).text();
        assertThat(text).doesNotContain("->").contains("-A KUBE-SERVICES -m comment --comment \"ns/s0 cluster IP\"");
    }

    @Test
    void renderingIsIndependentOfInputOrder() {
        ServicePortInfo a = web().endpoint(EndpointInfo.ready("10.42.0.11", 8080, "node-a"))
                .endpoint(EndpointInfo.ready("10.42.0.9", 8080, "node-a")).build();
        ServicePortInfo b = ServicePortInfo.builder("ns0", "api").clusterIp("10.43.0.30").port(443).build();
        ServicePortInfo aReordered = a.toBuilder().endpoints(List.of(a.endpoints().get(1), a.endpoints().get(0)))
                .build();
        assertThat(render(a, b)).isEqualTo(render(b, aReordered));
        // Numeric, not textual, address order: 10.42.0.9 comes before 10.42.0.11.
        String text = render(a);
        assertThat(text.indexOf("-> 10.42.0.9:8080")).isLessThan(text.indexOf("-> 10.42.0.11:8080"));
    }

    @Test
    void withoutNodeAddressesNodePortsAnswerOnEveryLocalAddress() {
        String text = new RuleRenderer(new NodeFacts("n", List.of(), "10.42.0.0/16", false)).render(List.of(), List.of())
                .text();
        // Without localhost NodePorts there is no route_localnet to guard.
        assertThat(text).doesNotContain("-A KUBE-FIREWALL");
        assertThat(text).contains("-A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports; NOTE: this must be the last rule in this chain\" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS\n");
    }

    @Test
    void partialSyncRewritesOnlyChangedServicesButAllTopLevelRules() {
        ServicePortInfo a = web().endpoint(EndpointInfo.ready("10.42.0.11", 8080, "node-a")).build();
        ServicePortInfo b = ServicePortInfo.builder("ns2", "api").clusterIp("10.43.0.30").port(443)
                .endpoint(EndpointInfo.ready("10.42.0.21", 443, "node-a")).build();
        RuleRenderer renderer = new RuleRenderer(NODE);
        RenderedRules first = renderer.render(List.of(a, b), List.of());
        ServicePortInfo b2 = b.toBuilder().endpoints(List.of(EndpointInfo.ready("10.42.0.22", 443, "node-a")))
                .build();
        RenderedRules second = renderer.render(List.of(a, b2), first.perServiceChains(), first.serviceChains());
        assertThat(second.unchangedServices()).isEqualTo(1);
        assertThat(second.text())
                .contains("-A KUBE-SERVICES -m comment --comment \"ns1/web:http cluster IP\"")
                .doesNotContain(":" + ChainNames.service(a) + " ", "-A " + ChainNames.service(a) + " ")
                .contains(":" + ChainNames.service(b2) + " - [0:0]", "--to-destination 10.42.0.22:443")
                .doesNotContain("10.42.0.21", "-X ")
                // The hairpin chain is top-level: rewritten whole, with the unchanged service's endpoint too.
                .contains("-A KUBE-PROXY-HAIRPIN -s 10.42.0.11 ", "-A KUBE-PROXY-HAIRPIN -s 10.42.0.22 ");
        assertThat(second.perServiceChains()).containsExactlyInAnyOrder(ChainNames.service(a), ChainNames.service(b2));
        // Without the previous state everything is written again.
        assertThat(renderer.render(List.of(a, b2), List.of()).text()).contains("-A " + ChainNames.service(a) + " ");
    }
}
