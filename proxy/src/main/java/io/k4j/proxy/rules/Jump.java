package io.k4j.proxy.rules;

import java.util.List;

/** A rule in a built-in chain that leads into this proxy's chains; kept at the top of the built-in chain. */
public record Jump(String table, String chain, List<String> args) {

    /** kube-proxy's jumps, with its comments, so both look the same in iptables-save. */
    public static final List<Jump> ALL = List.of(
            new Jump("nat", "PREROUTING", List.of("-m", "comment", "--comment", "kubernetes service portals",
                    "-j", ChainNames.SERVICES)),
            new Jump("nat", "OUTPUT", List.of("-m", "comment", "--comment", "kubernetes service portals",
                    "-j", ChainNames.SERVICES)),
            new Jump("nat", "POSTROUTING", List.of("-m", "comment", "--comment", "kubernetes postrouting rules",
                    "-j", ChainNames.POSTROUTING)),
            new Jump("filter", "INPUT", List.of("-j", ChainNames.FIREWALL)),
            new Jump("filter", "OUTPUT", List.of("-j", ChainNames.FIREWALL)),
            new Jump("filter", "INPUT", List.of("-m", "conntrack", "--ctstate", "NEW", "-m", "comment", "--comment",
                    "kubernetes externally-visible service portals", "-j", ChainNames.EXTERNAL_SERVICES)),
            new Jump("filter", "FORWARD", List.of("-m", "comment", "--comment", "kubernetes forwarding rules",
                    "-j", ChainNames.FORWARD)),
            new Jump("filter", "FORWARD", List.of("-m", "conntrack", "--ctstate", "NEW", "-m", "comment",
                    "--comment", "kubernetes service portals", "-j", ChainNames.SERVICES)),
            new Jump("filter", "FORWARD", List.of("-m", "conntrack", "--ctstate", "NEW", "-m", "comment",
                    "--comment", "kubernetes externally-visible service portals", "-j", ChainNames.EXTERNAL_SERVICES)),
            new Jump("filter", "OUTPUT", List.of("-m", "conntrack", "--ctstate", "NEW", "-m", "comment",
                    "--comment", "kubernetes service portals", "-j", ChainNames.SERVICES)));
}
