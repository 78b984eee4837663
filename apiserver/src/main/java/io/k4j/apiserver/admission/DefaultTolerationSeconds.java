package io.k4j.apiserver.admission;

import io.k4j.apiserver.api.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's DefaultTolerationSeconds plugin: pods tolerate a node being not-ready or unreachable for five
 * minutes before they are evicted, unless they already say how they tolerate it. As upstream, on updates too
 * (validation lets pods gain tolerations).
 */
public final class DefaultTolerationSeconds implements MutatingAdmission {

    static final String NOT_READY = "node.kubernetes.io/not-ready";
    static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    static final int DEFAULT_SECONDS = 300;

    @Override
    public boolean handles(Attributes attributes) {
        return attributes.isResource("", "pods");
    }

    @Override
    public void admit(Attributes attributes, ObjectLookup lookup) {
        ObjectNode spec = Json.child(attributes.object(), "spec");
        JsonNode tolerations = spec.path("tolerations");
        boolean toleratesNotReady = toleratesNoExecute(tolerations, NOT_READY);
        boolean toleratesUnreachable = toleratesNoExecute(tolerations, UNREACHABLE);
        if (toleratesNotReady && toleratesUnreachable) {
            return;
        }
        ArrayNode list = spec.get("tolerations") instanceof ArrayNode existing
                ? existing : spec.putArray("tolerations");
        if (!toleratesNotReady) {
            list.add(toleration(NOT_READY));
        }
        if (!toleratesUnreachable) {
            list.add(toleration(UNREACHABLE));
        }
    }

    /** As upstream: any toleration whose key is the taint's or empty, and whose effect is NoExecute or empty. */
    private static boolean toleratesNoExecute(JsonNode tolerations, String taint) {
        for (JsonNode toleration : tolerations) {
            String key = toleration.path("key").asString("");
            String effect = toleration.path("effect").asString("");
            if ((key.isEmpty() || key.equals(taint)) && (effect.isEmpty() || effect.equals("NoExecute"))) {
                return true;
            }
        }
        return false;
    }

    private static ObjectNode toleration(String taint) {
        ObjectNode toleration = Json.object();
        toleration.put("key", taint);
        toleration.put("operator", "Exists");
        toleration.put("effect", "NoExecute");
        toleration.put("tolerationSeconds", DEFAULT_SECONDS);
        return toleration;
    }
}
