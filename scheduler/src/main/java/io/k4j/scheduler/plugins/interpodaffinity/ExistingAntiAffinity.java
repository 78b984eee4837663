package io.k4j.scheduler.plugins.interpodaffinity;

import io.k4j.scheduler.framework.NodeInfo;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.plugins.interpodaffinity.AffinityTerms.Term;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Placed pods' required anti-affinity terms, counted per distinct term and topology pair, kept from one cycle to the
 * next. Upstream walks every such pod in every cycle; pods of one workload share their terms, so here a cycle only
 * re-reads the nodes whose snapshot entry changed (the cache puts a fresh NodeInfo for each changed node) and then
 * checks each distinct term once against the incoming pod.
 */
final class ExistingAntiAffinity {

    /** What one node contributed when it was last read. */
    private static final class Contribution {
        final List<Term> terms;
        final Map<String, String> nodeLabels;
        long seen;

        Contribution(List<Term> terms, Map<String, String> nodeLabels) {
            this.terms = terms;
            this.nodeLabels = nodeLabels;
        }
    }

    private final IdentityHashMap<NodeInfo, Contribution> byNode = new IdentityHashMap<>();
    private final Map<Term, TopologyCounts> byTerm = new HashMap<>();
    private long round;

    /** Brings the counts up to the snapshot's nodes that have pods with required anti-affinity. */
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

    private static Contribution read(NodeInfo info) {
        List<Term> terms = new ArrayList<>();
        for (PodInfo pod : info.podsWithRequiredAntiAffinity()) {
            terms.addAll(pod.derived(AffinityTerms.DERIVED).requiredAntiAffinity());
        }
        return new Contribution(terms, InterPodAffinity.labels(info.node()));
    }

    private void apply(Contribution contribution, long delta) {
        for (Term term : contribution.terms) {
            TopologyCounts counts = byTerm.computeIfAbsent(term, t -> new TopologyCounts());
            counts.update(contribution.nodeLabels, term.topologyKey(), delta);
            if (counts.isEmpty()) {
                byTerm.remove(term);
            }
        }
    }

    /** Each distinct term with its counts; the counts must not be changed. */
    synchronized void forEach(BiConsumer<Term, TopologyCounts> action) {
        byTerm.forEach(action);
    }
}
