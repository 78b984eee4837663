package io.k4j.apiserver.storage;

/**
 * What a DELETE asks for: a grace period (null for the resource's default), preconditions on uid and
 * resourceVersion, and a propagation policy.
 */
public record DeleteOptions(Long gracePeriodSeconds, String preconditionUid, String preconditionResourceVersion,
                            String propagationPolicy, boolean dryRun) {

    public static final DeleteOptions DEFAULT = new DeleteOptions(null, null, null, null, false);
}
