package io.k4j.proxy.rules;

import java.util.Map;
import java.util.Set;

/**
 * One sync's iptables-restore input (filter and nat), the per-service nat chains that exist after it, the content
 * of each service's own chains (for the next partial sync), the rules written and how many services were left
 * as they were.
 */
public record RenderedRules(String text, Set<String> perServiceChains, int ruleCount,
        Map<String, String> serviceChains, int unchangedServices) {
}
