package io.k4j.scheduler.plugins.interpodaffinity;

import io.k4j.scheduler.framework.NodeInfo;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.Snapshot;
import io.k4j.scheduler.plugins.interpodaffinity.AffinityTerms.WeightedTerm;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Some of placed pods' affinity terms (their required anti-affinity, or the terms that score), counted per distinct
 * weighted term and topology pair, kept from one cycle to the next. Upstream walks every such pod in every cycle;
 * pods of one workload share their terms, so here a cycle only re-reads the nodes whose snapshot entry changed (the
 * snapshot's change journal names) and then checks each distinct term once against the incoming pod.
 */
final class PlacedTerms extends NodeIndex<PlacedTerms.Contribution> {

    /** What one node contributed when it was last read. */
    static final class Contribution {
        final List<WeightedTerm> terms;
        final Map<String, String> nodeLabels;
        Contribution(List<WeightedTerm> terms, Map<String, String> nodeLabels) {
            this.terms = terms;
            this.nodeLabels = nodeLabels;
        }
    }

    private final Function<Snapshot, List<NodeInfo>> candidates;
    private final Function<NodeInfo, List<PodInfo>> podsOf;
    private final Function<AffinityTerms, List<WeightedTerm>> termsOf;
    private final Map<WeightedTerm, TopologyCounts> byTerm = new HashMap<>();

    /**
     * @param candidates the nodes that may hold such pods (e.g. those with pods with required anti-affinity)
     * @param podsOf which of a node's pods carry the terms
     * @param termsOf the terms of one pod, each with the weight it counts with
     */
    PlacedTerms(Function<Snapshot, List<NodeInfo>> candidates, Function<NodeInfo, List<PodInfo>> podsOf,
                Function<AffinityTerms, List<WeightedTerm>> termsOf) {
        this.candidates = candidates;
        this.podsOf = podsOf;
        this.termsOf = termsOf;
    }

    @Override
    List<NodeInfo> candidates(Snapshot snapshot) {
        return candidates.apply(snapshot);
    }

    @Override
    Contribution read(NodeInfo info) {
        List<WeightedTerm> terms = new ArrayList<>();
        for (PodInfo pod : podsOf.apply(info)) {
            terms.addAll(termsOf.apply(pod.derived(AffinityTerms.DERIVED)));
        }
        return terms.isEmpty() ? null : new Contribution(terms, info.labels());
    }

    @Override
    void apply(Contribution contribution, long delta) {
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
