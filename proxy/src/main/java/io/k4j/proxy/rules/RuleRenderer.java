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
 * The layout, chain names and comments follow kube-proxy's iptables mode so that operators find what they know,
 * with one difference: there are no per-endpoint (KUBE-SEP-) chains. A service chain DNATs to its endpoints
 * directly, and the hairpin masquerade those chains carried is one rule per local endpoint in
 * {@link ChainNames#HAIRPIN}. iptables-nft-restore --noflush spends time quadratic in the number of chains named
 * in its input (10,000 endpoints took 7 s, 0.6 s without their chains).
 */
public final class RuleRenderer {

    /** Above this many endpoints kube-proxy drops comments from per-endpoint rules to keep restores fast. */
    public static final int LARGE_CLUSTER_ENDPOINTS = 1000;

    static final String MASQ_MARK = "0x4000";

    private static final String[] ONE_IN = new String[1024];

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
        nat.chains(ChainNames.SERVICES, ChainNames.NODEPORTS, ChainNames.POSTROUTING, ChainNames.MARK_MASQ,
                ChainNames.HAIRPIN);
        writeFixedRules(filter, nat);

        Set<String> perService = new LinkedHashSet<>();
        Set<String> hairpinIps = new LinkedHashSet<>();
        Map<String, String> serviceChains = new HashMap<>();
        int skipped = 0;
        for (ServicePortInfo svc : sorted) {
            Table own = new Table();
            new ServiceWriter(svc, filter, nat, own, perService, hairpinIps, large).write();
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
        for (String ip : hairpinIps) {
            nat.rule("-A " + ChainNames.HAIRPIN + " -s " + ip + " -d " + ip + " -j KUBE-MARK-MASQ");
        }

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
        // Hairpin: a pod reaching itself through a service must see another source, or its answer skips the un-DNAT.
        nat.rule("-A KUBE-POSTROUTING -m conntrack --ctstate DNAT -j " + ChainNames.HAIRPIN);
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

    /** 1/k with ten decimals, as kube-proxy writes it; cached because String.format is slow and k repeats. */
    private static String oneIn(int k) {
        String[] cache = ONE_IN;
        if (k < cache.length) {
            String cached = cache[k];
            if (cached == null) {
                cached = String.format(Locale.ROOT, "%.10f", 1.0 / k);
                cache[k] = cached; // racing threads write the same string
            }
            return cached;
        }
        return String.format(Locale.ROOT, "%.10f", 1.0 / k);
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
        private final Set<String> hairpinIps;
        private final boolean large;
        private final String name;
        private final String proto;
        private final EndpointSelection eps;

        ServiceWriter(ServicePortInfo svc, Table filter, Table nat, Table own, Set<String> perService,
                Set<String> hairpinIps, boolean large) {
            this.svc = svc;
            this.filter = filter;
            this.nat = nat;
            this.own = own;
            this.perService = perService;
            this.hairpinIps = hairpinIps;
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
                // Only a pod on this node can be both the client and the chosen endpoint (an endpoint without a
                // node name might be one).
                if (ep.nodeName() == null || ep.nodeName().isEmpty() || ep.isLocal(node.nodeName())) {
                    hairpinIps.add(ep.ip());
                }
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

        /**
         * Session affinity first (a client with a recent entry for an endpoint goes back to it and refreshes the
         * entry), then a uniform random pick, which records the client when affinity is on. The statistic match
         * comes first, so only the endpoint picked records the client.
         */
        private void writeBalancing(String chain, List<EndpointInfo> endpoints) {
            if (svc.sessionAffinity()) {
                for (EndpointInfo ep : endpoints) {
                    own.rule("-A " + chain + endpointComment(ep) + " -m recent --name " + ChainNames.endpoint(svc, ep)
                            + " --update --seconds " + svc.affinityTimeoutSeconds() + " --reap" + dnat(ep));
                }
            }
            int n = endpoints.size();
            for (int i = 0; i < n; i++) {
                EndpointInfo ep = endpoints.get(i);
                String probability = i < n - 1 ? " -m statistic --mode random --probability " + oneIn(n - i) : "";
                String remember = svc.sessionAffinity() ? " -m recent --name " + ChainNames.endpoint(svc, ep) + " --set"
                        : "";
                own.rule("-A " + chain + endpointComment(ep) + probability + remember + dnat(ep));
            }
        }

        /** iptables-nft needs the protocol match on a DNAT rule that names a port. */
        private String dnat(EndpointInfo ep) {
            return " " + proto + " -j DNAT --to-destination " + ep.hostPort();
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
