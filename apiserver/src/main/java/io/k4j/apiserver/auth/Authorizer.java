package io.k4j.apiserver.auth;

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

    Decision authorize(Attributes attributes);

    /** Allows every authenticated user: the whole chain until RBAC is enforced. */
    Authorizer AUTHENTICATED = attributes -> attributes.user().isAnonymous() ? Decision.NO_OPINION : Decision.ALLOW;

    /** The first decision of the chain; no decision means deny. */
    static Authorizer chain(java.util.List<Authorizer> authorizers) {
        return attributes -> {
            for (Authorizer authorizer : authorizers) {
                Decision decision = authorizer.authorize(attributes);
                if (decision != Decision.NO_OPINION) {
                    return decision;
                }
            }
            return Decision.DENY;
        };
    }
}
