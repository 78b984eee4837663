package io.k4j.scheduler.plugins.interpodaffinity;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.k4j.scheduler.framework.Handle;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.plugins.LabelSelectors;
import io.k4j.scheduler.plugins.LabelSelectors.Selector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pod's inter-pod (anti-)affinity terms, parsed once per pod (upstream's PodInfo.RequiredAffinityTerms and
 * friends). A group whose selectors do not parse is left empty and the error kept: an incoming pod with one is
 * rejected, an existing pod's broken group is ignored (as upstream).
 */
record AffinityTerms(List<Term> requiredAffinity, List<Term> requiredAntiAffinity,
                     List<WeightedTerm> preferredAffinity, List<WeightedTerm> preferredAntiAffinity, String error) {

    static final AffinityTerms NONE = new AffinityTerms(List.of(), List.of(), List.of(), List.of(), null);

    static final PodInfo.Derived<AffinityTerms> DERIVED = new PodInfo.Derived<>(AffinityTerms::of);

    /**
     * One parsed PodAffinityTerm: a pod matches when it is in one of the namespaces (or its namespace's labels match
     * the namespace selector) and its labels match the selector.
     */
    record Term(Set<String> namespaces, Selector namespaceSelector, Selector selector, String topologyKey) {

        /** nsLabels are the labels of the candidate pod's namespace; null where the selector is already merged. */
        boolean matches(Pod pod, Map<String, String> nsLabels) {
            Map<String, String> labels = pod.getMetadata().getLabels();
            return matches(pod.getMetadata().getNamespace(), labels == null ? Map.of() : labels, nsLabels);
        }

        /** The same for a pod known by its namespace and labels. */
        boolean matches(String namespace, Map<String, String> labels, Map<String, String> nsLabels) {
            return (namespaces.contains(namespace) || namespaceSelector.matches(nsLabels)) && selector.matches(labels);
        }

        /** Like {@link #matches} but assumes any non-nothing namespace selector matches (for queueing hints). */
        boolean mayMatch(Pod pod) {
            if (namespaces.contains(pod.getMetadata().getNamespace()) || !namespaceSelector.isNothing()) {
                Map<String, String> labels = pod.getMetadata().getLabels();
                return selector.matches(labels == null ? Map.of() : labels);
            }
            return false;
        }

        /**
         * upstream mergeAffinityTermNamespacesIfNotEmpty: the names of the namespaces a non-empty namespace selector
         * matches now join the namespace set and the selector becomes "nothing", so the term no longer needs a
         * namespace's labels. An empty selector ({}: every namespace) and a nil one stay as they are.
         */
        Term mergeNamespaces(Handle.Listers listers) {
            if (namespaceSelector.isEmpty() || namespaceSelector.isNothing()) {
                return this;
            }
            Set<String> merged = new HashSet<>(namespaces);
            for (Namespace ns : listers.namespaces()) {
                Map<String, String> labels = ns.getMetadata().getLabels();
                if (namespaceSelector.matches(labels == null ? Map.of() : labels)) {
                    merged.add(ns.getMetadata().getName());
                }
            }
            return new Term(Set.copyOf(merged), LabelSelectors.NOTHING, selector, topologyKey);
        }
    }

    record WeightedTerm(Term term, int weight) {
    }

    /** True when the pod matches every term (false for no terms): upstream podMatchesAllAffinityTerms. */
    static boolean matchesAll(List<Term> terms, Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        return matchesAll(terms, pod.getMetadata().getNamespace(), labels == null ? Map.of() : labels);
    }

    /** The same for a pod known by its namespace and labels. */
    static boolean matchesAll(List<Term> terms, String namespace, Map<String, String> labels) {
        if (terms.isEmpty()) {
            return false;
        }
        for (Term t : terms) {
            if (!t.matches(namespace, labels, null)) {
                return false;
            }
        }
        return true;
    }

    static List<Term> mergeNamespaces(List<Term> terms, Handle.Listers listers) {
        List<Term> result = null;
        for (int i = 0; i < terms.size(); i++) {
            Term t = terms.get(i);
            Term merged = t.mergeNamespaces(listers);
            if (merged != t && result == null) {
                result = new ArrayList<>(terms.subList(0, i));
            }
            if (result != null) {
                result.add(merged);
            }
        }
        return result == null ? terms : List.copyOf(result);
    }

    static List<WeightedTerm> mergeWeightedNamespaces(List<WeightedTerm> terms, Handle.Listers listers) {
        List<WeightedTerm> result = null;
        for (int i = 0; i < terms.size(); i++) {
            WeightedTerm t = terms.get(i);
            Term merged = t.term().mergeNamespaces(listers);
            if (merged != t.term() && result == null) {
                result = new ArrayList<>(terms.subList(0, i));
            }
            if (result != null) {
                result.add(merged == t.term() ? t : new WeightedTerm(merged, t.weight()));
            }
        }
        return result == null ? terms : List.copyOf(result);
    }

    static AffinityTerms of(Pod pod) {
        Affinity affinity = pod.getSpec().getAffinity();
        if (affinity == null || affinity.getPodAffinity() == null && affinity.getPodAntiAffinity() == null) {
            return NONE;
        }
        List<String> errors = new ArrayList<>();
        List<Term> requiredAffinity = List.of();
        List<WeightedTerm> preferredAffinity = List.of();
        if (affinity.getPodAffinity() != null) {
            requiredAffinity = terms(pod,
                    affinity.getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution(), errors);
            preferredAffinity = weighted(pod,
                    affinity.getPodAffinity().getPreferredDuringSchedulingIgnoredDuringExecution(), errors);
        }
        List<Term> requiredAnti = List.of();
        List<WeightedTerm> preferredAnti = List.of();
        if (affinity.getPodAntiAffinity() != null) {
            requiredAnti = terms(pod,
                    affinity.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution(), errors);
            preferredAnti = weighted(pod,
                    affinity.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution(), errors);
        }
        return new AffinityTerms(requiredAffinity, requiredAnti, preferredAffinity, preferredAnti,
                errors.isEmpty() ? null : String.join("; ", errors));
    }

    private static List<Term> terms(Pod pod, List<PodAffinityTerm> terms, List<String> errors) {
        if (terms == null || terms.isEmpty()) {
            return List.of();
        }
        try {
            List<Term> result = new ArrayList<>(terms.size());
            for (PodAffinityTerm t : terms) {
                result.add(term(pod, t));
            }
            return List.copyOf(result);
        } catch (IllegalArgumentException e) {
            errors.add(e.getMessage());
            return List.of();
        }
    }

    private static List<WeightedTerm> weighted(Pod pod, List<WeightedPodAffinityTerm> terms, List<String> errors) {
        if (terms == null || terms.isEmpty()) {
            return List.of();
        }
        try {
            List<WeightedTerm> result = new ArrayList<>(terms.size());
            for (WeightedPodAffinityTerm t : terms) {
                if (t.getPodAffinityTerm() == null) {
                    continue;
                }
                result.add(new WeightedTerm(term(pod, t.getPodAffinityTerm()),
                        t.getWeight() == null ? 0 : t.getWeight()));
            }
            return List.copyOf(result);
        } catch (IllegalArgumentException e) {
            errors.add(e.getMessage());
            return List.of();
        }
    }

    /** upstream newAffinityTerm: no namespaces and no namespace selector mean the pod's own namespace. */
    private static Term term(Pod pod, PodAffinityTerm t) {
        Selector selector = LabelSelectors.parse(t.getLabelSelector());
        Selector nsSelector = LabelSelectors.parse(t.getNamespaceSelector());
        Set<String> namespaces;
        if ((t.getNamespaces() == null || t.getNamespaces().isEmpty()) && t.getNamespaceSelector() == null) {
            namespaces = Set.of(pod.getMetadata().getNamespace());
        } else {
            namespaces = t.getNamespaces() == null ? Set.of() : Set.copyOf(new HashSet<>(t.getNamespaces()));
        }
        return new Term(namespaces, nsSelector, selector, t.getTopologyKey() == null ? "" : t.getTopologyKey());
    }
}
