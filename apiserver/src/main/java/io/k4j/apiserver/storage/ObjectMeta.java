package io.k4j.apiserver.storage;

import io.k4j.apiserver.api.Json;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Reading and setting the metadata fields the server owns. */
public final class ObjectMeta {

    private static final String GENERATE_NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    private ObjectMeta() {
    }

    public static String name(JsonNode object) {
        return object.path("metadata").path("name").asString("");
    }

    public static String namespace(JsonNode object) {
        return object.path("metadata").path("namespace").asString("");
    }

    public static String resourceVersion(JsonNode object) {
        return object.path("metadata").path("resourceVersion").asString("");
    }

    public static boolean isDeleting(JsonNode object) {
        JsonNode timestamp = object.path("metadata").path("deletionTimestamp");
        return timestamp.isString() && !timestamp.asString().isEmpty();
    }

    /** Whether something must still finish before the object goes: metadata finalizers, or a namespace's. */
    public static boolean hasFinalizers(JsonNode object) {
        JsonNode finalizers = object.path("metadata").path("finalizers");
        if (finalizers.isArray() && !finalizers.isEmpty()) {
            return true;
        }
        JsonNode namespaceFinalizers = object.path("spec").path("finalizers");
        return "Namespace".equals(object.path("kind").asString("")) && namespaceFinalizers.isArray()
                && !namespaceFinalizers.isEmpty();
    }

    public static void setResourceVersion(ObjectNode object, long revision) {
        Json.metadata(object).put("resourceVersion", Long.toString(revision));
    }

    /** RFC 3339 in UTC with seconds, as Kubernetes writes timestamps. */
    public static String timestamp(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** A name made of the prefix and five random characters, as upstream's generateName. */
    public static String generateName(String prefix, Random random) {
        StringBuilder name = new StringBuilder(prefix.length() > 58 ? prefix.substring(0, 58) : prefix);
        for (int i = 0; i < 5; i++) {
            name.append(GENERATE_NAME_ALPHABET.charAt(random.nextInt(GENERATE_NAME_ALPHABET.length())));
        }
        return name.toString();
    }
}
