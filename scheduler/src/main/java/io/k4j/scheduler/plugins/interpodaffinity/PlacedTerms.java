package io.k4j.scheduler.plugins.interpodaffinity;

import io.k4j.scheduler.framework.NodeInfo;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.plugins.interpodaffinity.AffinityTerms.WeightedTerm;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Some of placed pods' affinity terms (their required anti-affinity, or the terms that score), counted per distinct
 * weighted term and topology pair, kept from one cycle to the next. Upstream walks every such pod in every cycle;
 * pods of one workload share their terms, so here a cycle only re-reads the nodes whose snapshot entry changed (the
 * cache puts a fresh NodeInfo for each changed node) and then checks each distinct term once against the incoming pod.
 */
final class PlacedTerms {

    /** What one node contributed when it was last read. */
    private static final class Contribution {
        final List<WeightedTerm> terms;
        final Map<String, String> nodeLabels;
        long seen;

        Contribution(List<WeightedTerm> terms, Map<String, String> nodeLabels) {
            this.terms = terms;
            this.nodeLabels = nodeLabels;
        }
    }

    private final Function<NodeInfo, List<PodInfo>> podsOf;
    private final Function<AffinityTerms, List<WeightedTerm>> termsOf;
    private final IdentityHashMap<NodeInfo, Contribution> byNode = new IdentityHashMap<>();
    private final Map<WeightedTerm, TopologyCounts> byTerm = new HashMap<>();
    private long round;

    /**
     * @param podsOf which of a node's pods carry the terms (e.g. those with required anti-affinity)
     * @param termsOf the terms of one pod, each with the weight it counts with
     */
    PlacedTerms(Function<NodeInfo, List<PodInfo>> podsOf, Function<AffinityTerms, List<WeightedTerm>> termsOf) {
        this.podsOf = podsOf;
        this.termsOf = termsOf;
    }

    /** Brings the counts up to the snapshot's nodes that may hold such pods (the others must have none). */
    synchronized void refresh(List<NodeInfo> withAntiAffinity) {
        round++;
        for (int i = 0, size = withAntiAffinity.size(); i < size; i++) {
            NodeInfo info = withAntiAffinity.get(i);
            Contribution contribution = byNode.get(info);
            if (contribution == null) {
                contribution = read(info);
                apply(contribution, 1);
                byNode.put(info, contribution);
            }
            contribution.seen = round;
        }
        if (byNode.size() > withAntiAffinity.size()) { // some nodes changed or lost their last such pod
            Iterator<Contribution> stale = byNode.values().iterator();
            while (stale.hasNext()) {
                Contribution contribution = stale.next();
                if (contribution.seen != round) {
                    apply(contribution, -1);
                    stale.remove();
                }
            }
        }
    }

    private Contribution read(NodeInfo info) {
        List<WeightedTerm> terms = new ArrayList<>();
        for (PodInfo pod : podsOf.apply(info)) {
            terms.addAll(termsOf.apply(pod.derived(AffinityTerms.DERIVED)));
        }
        return new Contribution(terms, InterPodAffinity.labels(info.node()));
    }

    private void apply(Contribution contribution, long delta) {
        for (WeightedTerm term : contribution.terms) {
            TopologyCounts counts = byTerm.computeIfAbsent(term, t -> new TopologyCounts());
            counts.update(contribution.nodeLabels, term.term().topologyKey(), delta);
            if (counts.isEmpty()) {
                byTerm.remove(term);
            }
        }
    }

    /** Each distinct weighted term with its counts; the counts must not be changed. */
    synchronized void forEach(BiConsumer<WeightedTerm, TopologyCounts> action) {
        byTerm.forEach(action);
    }
}
