package io.k4j.proxy.rules;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Renders the desired state into one iptables-restore input for {@code --noflush}: every chain it declares is
 * flushed and rewritten, chains that are no longer wanted are flushed and deleted, nothing else is touched.
 * The layout and comments follow kube-proxy's iptables mode so that operators find what they know.
 */
public final class RuleRenderer {

    /** Above this many endpoints kube-proxy drops comments from per-endpoint rules to keep restores fast. */
    public static final int LARGE_CLUSTER_ENDPOINTS = 1000;

    static final String MASQ_MARK = "0x4000";

    private final NodeFacts node;

    public RuleRenderer(NodeFacts node) {
        this.node = node;
    }

    /** A full sync: every chain is written. */
    public RenderedRules render(Collection<ServicePortInfo> services, Collection<String> staleChains) {
        return render(services, staleChains, Map.of());
    }

    /**
     * @param services    every service port to program
     * @param staleChains per-service chains that exist in the kernel and must go (ignored when still wanted)
     * @param applied     {@link RenderedRules#serviceChains()} of the last successful sync: a service whose own
     *                    chains would come out identical is not rewritten (kube-proxy's partial sync); empty for
     *                    a full sync
     */
    public RenderedRules render(Collection<ServicePortInfo> services, Collection<String> staleChains,
            Map<String, String> applied) {
        List<ServicePortInfo> sorted = new ArrayList<>(services);
        sorted.sort(Comparator.comparing(ServicePortInfo::servicePortName).thenComparing(ServicePortInfo::protocol));
        boolean large = sorted.stream().mapToInt(s -> s.endpoints().size()).sum() > LARGE_CLUSTER_ENDPOINTS;

        Table filter = new Table();
        Table nat = new Table();
        filter.chains(ChainNames.SERVICES, ChainNames.EXTERNAL_SERVICES, ChainNames.FORWARD, ChainNames.FIREWALL);
        nat.chains(ChainNames.SERVICES, ChainNames.NODEPORTS, ChainNames.POSTROUTING, ChainNames.MARK_MASQ);
        writeFixedRules(filter, nat);

        Set<String> perService = new LinkedHashSet<>();
        Map<String, String> serviceChains = new HashMap<>();
        int skipped = 0;
        for (ServicePortInfo svc : sorted) {
            Table own = new Table();
            new ServiceWriter(svc, filter, nat, own, perService, large).write();
            String key = svc.servicePortName() + "/" + svc.protocol();
            String content = own.content();
            serviceChains.put(key, content);
            if (content.equals(applied.get(key))) {
                skipped++;
            } else {
                nat.append(own);
            }
        }
        writeNodePortTail(nat);

        Set<String> deleted = new TreeSet<>(staleChains);
        deleted.removeAll(perService);
        deleted.removeIf(c -> !ChainNames.perService(c));
        for (String chain : deleted) {
            nat.chains(chain);
            nat.rule("-X " + chain);
        }

        StringBuilder text = new StringBuilder(64 + 160 * (filter.size() + nat.size()));
        filter.appendTo(text, "filter");
        nat.appendTo(text, "nat");
        return new RenderedRules(text.toString(), Set.copyOf(perService), filter.ruleCount + nat.ruleCount,
                Map.copyOf(serviceChains), skipped);
    }

    private void writeFixedRules(Table filter, Table nat) {
        filter.rule("-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP");
        filter.rule("-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding rules\" -m mark --mark "
                + MASQ_MARK + "/" + MASQ_MARK + " -j ACCEPT");
        filter.rule("-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding conntrack rule\""
                + " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");
        if (node.localhostNodePorts()) {
            // route_localnet=1 (for NodePorts on 127.0.0.1) would also let other hosts reach loopback services.
            filter.rule("-A KUBE-FIREWALL -m comment --comment \"block incoming localnet connections\""
                    + " -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP");
        }
        nat.rule("-A KUBE-POSTROUTING -m mark ! --mark " + MASQ_MARK + "/" + MASQ_MARK + " -j RETURN");
        // Clear the mark so a packet re-traversing the stack (e.g. IPsec) is not masqueraded twice.
        nat.rule("-A KUBE-POSTROUTING -j MARK --xor-mark " + MASQ_MARK);
        nat.rule("-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\""
                + " -j MASQUERADE --random-fully");
        nat.rule("-A KUBE-MARK-MASQ -j MARK --or-mark " + MASQ_MARK);
    }

    /** NodePorts answer on the node's addresses (every local one when none are known) and on 127.0.0.1. */
    private void writeNodePortTail(Table nat) {
        String comment = comment("kubernetes service nodeports; NOTE: this must be the last rule in this chain");
        if (node.nodeIps().isEmpty()) {
            nat.rule("-A KUBE-SERVICES " + comment + " -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS");
            return;
        }
        for (String ip : node.nodeIps()) {
            nat.rule("-A KUBE-SERVICES " + comment + " -d " + ip + " -j KUBE-NODEPORTS");
        }
        if (node.localhostNodePorts()) {
            nat.rule("-A KUBE-SERVICES " + comment + " -d 127.0.0.1 -j KUBE-NODEPORTS");
        }
    }

    static String comment(String text) {
        return "-m comment --comment " + (text.indexOf(' ') >= 0 ? "\"" + text + "\"" : text);
    }

    /** Writes the chains and rules of one service port. */
    private final class ServiceWriter {
        private final ServicePortInfo svc;
        private final Table filter;
        private final Table nat;
        private final Table own;
        private final Set<String> perService;
        private final boolean large;
        private final String name;
        private final String proto;
        private final EndpointSelection eps;
        private final Map<EndpointInfo, String> sepNames = new HashMap<>();

        ServiceWriter(ServicePortInfo svc, Table filter, Table nat, Table own, Set<String> perService,
                boolean large) {
            this.svc = svc;
            this.filter = filter;
            this.nat = nat;
            this.own = own;
            this.perService = perService;
            this.large = large;
            this.name = svc.servicePortName();
            this.proto = "-m " + svc.lowerProtocol() + " -p " + svc.lowerProtocol();
            this.eps = EndpointSelection.of(svc, node.nodeName());
        }

        void write() {
            String svcChain = ChainNames.service(svc);
            String localChain = ChainNames.serviceLocal(svc);
            String extChain = ChainNames.external(svc);
            List<EndpointInfo> internalEps = eps.forPolicy(svc.internalPolicyLocal());
            List<EndpointInfo> externalEps = eps.forPolicy(svc.externalPolicyLocal());
            boolean hasEndpoints = !eps.reachable().isEmpty();
            boolean usesCluster = eps.usesClusterChain() && !eps.cluster().isEmpty();
            boolean usesLocal = eps.usesLocalChain() && !eps.local().isEmpty();
            boolean usesExt = hasEndpoints && svc.externallyAccessible();
            String internalChain = svc.internalPolicyLocal() ? localChain : svcChain;
            String externalPolicyChain = svc.externalPolicyLocal() ? localChain : svcChain;
            String internalReject = internalEps.isEmpty() ? filterTarget(svc.internalPolicyLocal()) : null;
            String externalReject = externalEps.isEmpty() ? filterTarget(svc.externalPolicyLocal()) : null;
            String dport = " --dport " + svc.port();

            if (internalReject == null) {
                nat.rule("-A KUBE-SERVICES " + comment(name + " cluster IP") + " " + proto + " -d " + svc.clusterIp()
                        + dport + " -j " + internalChain);
            } else {
                filter.rule("-A KUBE-SERVICES " + rejectComment(svc.internalPolicyLocal()) + " " + proto + " -d "
                        + svc.clusterIp() + dport + " -j " + internalReject);
            }
            externalDestination(svc.externalIps(), "external IP", usesExt, extChain, externalReject, dport);
            externalDestination(svc.loadBalancerIps(), "loadbalancer IP", usesExt, extChain, externalReject, dport);
            if (svc.nodePort() != 0) {
                if (usesExt) {
                    nat.rule("-A KUBE-NODEPORTS " + comment(name) + " " + proto + " --dport " + svc.nodePort()
                            + " -j " + extChain);
                }
                if (externalReject != null) {
                    filter.rule("-A KUBE-EXTERNAL-SERVICES " + rejectComment(svc.externalPolicyLocal())
                            + " -m addrtype --dst-type LOCAL " + proto + " --dport " + svc.nodePort() + " -j "
                            + externalReject);
                }
            }
            if (usesExt) {
                declare(extChain);
                writeExternalChain(extChain, svcChain, usesCluster, externalReject == null, externalPolicyChain);
            }
            if (usesCluster) {
                declare(svcChain);
                own.rule("-A " + svcChain + " " + comment(name + " cluster IP") + " " + proto + " -d "
                        + svc.clusterIp() + dport + " ! -s " + node.clusterCidr() + " -j KUBE-MARK-MASQ");
                writeBalancing(svcChain, eps.cluster());
            }
            if (usesLocal) {
                declare(localChain);
                writeBalancing(localChain, eps.local());
            }
            for (EndpointInfo ep : eps.reachable()) {
                writeEndpointChain(ep);
            }
        }

        private void externalDestination(List<String> ips, String what, boolean usesExt, String extChain,
                String reject, String dport) {
            for (String ip : ips) {
                if (usesExt) {
                    nat.rule("-A KUBE-SERVICES " + comment(name + " " + what) + " " + proto + " -d " + ip + dport
                            + " -j " + extChain);
                }
                if (reject != null) {
                    filter.rule("-A KUBE-EXTERNAL-SERVICES " + rejectComment(svc.externalPolicyLocal()) + " "
                            + proto + " -d " + ip + dport + " -j " + reject);
                }
            }
        }

        /** External traffic is masqueraded unless the policy is Local, which keeps the client's address. */
        private void writeExternalChain(String extChain, String svcChain, boolean usesCluster, boolean hasExternalEps,
                String externalPolicyChain) {
            if (svc.externalPolicyLocal()) {
                if (usesCluster) {
                    // Pods and the node itself may use any endpoint, as for a cluster IP (kube-proxy does the same).
                    own.rule("-A " + extChain + " " + comment("pod traffic for " + name + " external destinations")
                            + " -s " + node.clusterCidr() + " -j " + svcChain);
                }
                own.rule("-A " + extChain + " " + comment("masquerade LOCAL traffic for " + name
                        + " external destinations") + " -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ");
                if (usesCluster) {
                    own.rule("-A " + extChain + " " + comment("route LOCAL traffic for " + name
                            + " external destinations") + " -m addrtype --src-type LOCAL -j " + svcChain);
                }
            } else {
                own.rule("-A " + extChain + " " + comment("masquerade traffic for " + name + " external destinations")
                        + " -j KUBE-MARK-MASQ");
            }
            if (hasExternalEps) {
                own.rule("-A " + extChain + " -j " + externalPolicyChain);
            }
        }

        /** Session affinity first (a client that has a recent entry goes back), then a uniform random pick. */
        private void writeBalancing(String chain, List<EndpointInfo> endpoints) {
            if (svc.sessionAffinity()) {
                for (EndpointInfo ep : endpoints) {
                    String sep = sep(ep);
                    own.rule("-A " + chain + endpointComment(ep) + " -m recent --name " + sep + " --rcheck --seconds "
                            + svc.affinityTimeoutSeconds() + " --reap -j " + sep);
                }
            }
            int n = endpoints.size();
            for (int i = 0; i < n; i++) {
                EndpointInfo ep = endpoints.get(i);
                String probability = i < n - 1
                        ? " -m statistic --mode random --probability "
                                + String.format(Locale.ROOT, "%.10f", 1.0 / (n - i))
                        : "";
                own.rule("-A " + chain + endpointComment(ep) + probability + " -j " + sep(ep));
            }
        }

        private void writeEndpointChain(EndpointInfo ep) {
            String sep = sep(ep);
            declare(sep);
            String c = large ? "" : " " + comment(name);
            // Hairpin: a pod reaching itself through the service must see the node as the source.
            own.rule("-A " + sep + c + " -s " + ep.ip() + " -j KUBE-MARK-MASQ");
            String affinity = svc.sessionAffinity() ? " -m recent --name " + sep + " --set" : "";
            // iptables-nft needs the protocol match on a DNAT rule that names a port.
            own.rule("-A " + sep + c + affinity + " " + proto + " -j DNAT --to-destination " + ep.hostPort());
        }

        private String sep(EndpointInfo ep) {
            return sepNames.computeIfAbsent(ep, e -> ChainNames.endpoint(svc, e));
        }

        private String endpointComment(EndpointInfo ep) {
            return large ? "" : " " + comment(name + " -> " + ep.hostPort());
        }

        private String filterTarget(boolean policyLocal) {
            return policyLocal && eps.anyEndpoints() ? "DROP" : "REJECT";
        }

        private String rejectComment(boolean policyLocal) {
            return comment(name + (policyLocal && eps.anyEndpoints() ? " has no local endpoints" : " has no endpoints"));
        }

        private void declare(String chain) {
            perService.add(chain);
            own.chains(chain);
        }
    }

    /** Chain declarations and rules of one table, in the order iptables-restore wants them. */
    private static final class Table {
        private final StringBuilder chains = new StringBuilder();
        private final StringBuilder rules = new StringBuilder();
        private int chainCount;
        private int ruleCount;

        void chains(String... names) {
            for (String n : names) {
                chains.append(':').append(n).append(" - [0:0]\n");
                chainCount++;
            }
        }

        void rule(String line) {
            rules.append(line).append('\n');
            ruleCount++;
        }

        int size() {
            return chainCount + ruleCount;
        }

        String content() {
            return chains + "\0" + rules;
        }

        void append(Table other) {
            chains.append(other.chains);
            rules.append(other.rules);
            chainCount += other.chainCount;
            ruleCount += other.ruleCount;
        }

        void appendTo(StringBuilder out, String table) {
            out.append('*').append(table).append('\n').append(chains).append(rules).append("COMMIT\n");
        }
    }
}
