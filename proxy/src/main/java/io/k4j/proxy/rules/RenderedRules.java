package io.k4j.proxy.rules;

import java.util.Set;

/** One sync's iptables-restore input (filter and nat) and the per-service nat chains it defines. */
public record RenderedRules(String text, Set<String> perServiceChains, int ruleCount) {
}
