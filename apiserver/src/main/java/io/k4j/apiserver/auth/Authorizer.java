package io.k4j.apiserver.auth;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether a user may do something. Upstream chains authorizers: the first that allows or denies wins;
 * RBAC joins the chain later.
 */
public interface Authorizer {

    enum Decision { ALLOW, DENY, NO_OPINION }

    /** What is asked: the verb and, for resource requests, the resource and namespace. */
    record Attributes(UserInfo user, String verb, String group, String resource, String subresource,
                      String namespace, String name, String path) {
    }

    /** A decision and why, as SubjectAccessReview's status reports it. */
    record Verdict(Decision decision, String reason) {
    }

    /** A resource rule of a rules review: verbs on resources of API groups, optionally only some names. */
    record ResourceRule(List<String> verbs, List<String> apiGroups, List<String> resources,
                        List<String> resourceNames) {
    }

    /** A non-resource rule of a rules review: verbs on URL paths. */
    record NonResourceRule(List<String> verbs, List<String> nonResourceURLs) {
    }

    /**
     * What a user may do in a namespace, as SelfSubjectRulesReview reports it; {@code incomplete} when the
     * authorizer cannot list everything it would allow.
     */
    record Rules(List<ResourceRule> resourceRules, List<NonResourceRule> nonResourceRules, boolean incomplete) {
        public static final Rules NONE = new Rules(List.of(), List.of(), false);
    }

    Decision authorize(Attributes attributes);

    /** The decision with its reason; authorizers that can say why override this. */
    default Verdict decide(Attributes attributes) {
        return new Verdict(authorize(attributes), "");
    }

    /** The rules this authorizer grants the user in the namespace; by default none, and it says it cannot tell. */
    default Rules rules(UserInfo user, String namespace) {
        return new Rules(List.of(), List.of(), true);
    }

    /** Allows every authenticated user: the whole chain until RBAC is enforced. */
    Authorizer AUTHENTICATED = new Authorizer() {
        @Override
        public Decision authorize(Attributes attributes) {
            return attributes.user().isAnonymous() ? Decision.NO_OPINION : Decision.ALLOW;
        }

        @Override
        public Verdict decide(Attributes attributes) {
            Decision decision = authorize(attributes);
            return new Verdict(decision, decision == Decision.ALLOW
                    ? "k4j: every authenticated user is allowed (RBAC is not enforced yet)" : "");
        }

        @Override
        public Rules rules(UserInfo user, String namespace) {
            if (user.isAnonymous()) {
                return Rules.NONE;
            }
            return new Rules(List.of(new ResourceRule(List.of("*"), List.of("*"), List.of("*"), List.of())),
                    List.of(new NonResourceRule(List.of("*"), List.of("*"))), false);
        }
    };

    /** The first decision of the chain; no decision means deny. Rules are the union of every authorizer's. */
    static Authorizer chain(List<Authorizer> authorizers) {
        List<Authorizer> chain = List.copyOf(authorizers);
        return new Authorizer() {
            @Override
            public Decision authorize(Attributes attributes) {
                return decide(attributes).decision();
            }

            @Override
            public Verdict decide(Attributes attributes) {
                for (Authorizer authorizer : chain) {
                    Verdict verdict = authorizer.decide(attributes);
                    if (verdict.decision() != Decision.NO_OPINION) {
                        return verdict;
                    }
                }
                return new Verdict(Decision.DENY, "");
            }

            @Override
            public Rules rules(UserInfo user, String namespace) {
                List<ResourceRule> resourceRules = new ArrayList<>();
                List<NonResourceRule> nonResourceRules = new ArrayList<>();
                boolean incomplete = false;
                for (Authorizer authorizer : chain) {
                    Rules rules = authorizer.rules(user, namespace);
                    resourceRules.addAll(rules.resourceRules());
                    nonResourceRules.addAll(rules.nonResourceRules());
                    incomplete |= rules.incomplete();
                }
                return new Rules(List.copyOf(resourceRules), List.copyOf(nonResourceRules), incomplete);
            }
        };
    }
}
