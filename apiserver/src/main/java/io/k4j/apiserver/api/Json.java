package io.k4j.apiserver.api;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Objects travel through the API server as JSON trees (like Kubernetes' unstructured objects), read and written
 * with fabric8's {@link KubernetesSerialization}. Small helpers for the paths every handler touches.
 */
public final class Json {

    public static final KubernetesSerialization SERIALIZATION;
    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /*
     * Trees are read and written with the mapper fabric8 configured, directly: its unmarshal sniffs for YAML through
     * a BufferedInputStream (an 8 KiB buffer per call) and asJson builds a String that is then copied into bytes; on
     * every request body and every stored object that was a third of the time spent in JSON.
     */
    private static final ObjectReader TREE_READER;
    private static final ObjectWriter TREE_WRITER;

    static {
        MapperCapture serialization = new MapperCapture();
        SERIALIZATION = serialization;
        TREE_READER = serialization.mapper.readerFor(JsonNode.class);
        TREE_WRITER = serialization.mapper.writer();
    }

    /** Keeps the mapper fabric8 builds in its constructor (it is not public). */
    private static final class MapperCapture extends KubernetesSerialization {
        private ObjectMapper mapper;

        @Override
        protected ObjectMapper configureMapper(ObjectMapper base) {
            mapper = super.configureMapper(base);
            return mapper;
        }
    }

    private Json() {
    }

    /** Parses JSON or YAML into an object; anything else is a 400. */
    public static ObjectNode parseObject(byte[] body) {
        JsonNode node = parse(body);
        if (!(node instanceof ObjectNode object)) {
            throw ApiException.badRequest("the request body must be a JSON or YAML object");
        }
        return object;
    }

    public static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw ApiException.badRequest("the request body is empty");
        }
        try {
            JsonNode node = isJson(body) ? TREE_READER.readValue(body)
                    : SERIALIZATION.unmarshal(new ByteArrayInputStream(body), JsonNode.class);
            if (node == null) {
                throw ApiException.badRequest("the request body is empty");
            }
            return node;
        } catch (KubernetesClientException | tools.jackson.core.JacksonException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String detail = cause.getMessage() == null ? cause.toString() : cause.getMessage().lines().findFirst().orElse("");
            throw ApiException.badRequest("the request body is not valid JSON or YAML: " + detail);
        }
    }

    /** JSON (an object or array first) rather than YAML, decided as fabric8's unmarshal decides. */
    private static boolean isJson(byte[] body) {
        for (byte b : body) {
            if (!Character.isWhitespace(b)) {
                return b == '{' || b == '[';
            }
        }
        return false;
    }

    /** An object as the store holds it: always JSON, written by {@link #bytes}. */
    public static ObjectNode parseStored(byte[] value) {
        return (ObjectNode) TREE_READER.readValue(value);
    }

    public static byte[] bytes(JsonNode node) {
        return TREE_WRITER.writeValueAsBytes(node);
    }

    public static String text(JsonNode node) {
        return SERIALIZATION.asJson(node);
    }

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    public static ArrayNode array() {
        return NODES.arrayNode();
    }

    /** The child object at {@code field}, created if missing or not an object. */
    public static ObjectNode child(ObjectNode parent, String field) {
        JsonNode existing = parent.get(field);
        if (existing instanceof ObjectNode object) {
            return object;
        }
        return parent.putObject(field);
    }

    public static ObjectNode metadata(ObjectNode object) {
        return child(object, "metadata");
    }

    /** The text at a path of fields, or null when any step is missing or not text. */
    public static String textAt(JsonNode node, String... path) {
        JsonNode current = node;
        for (String field : path) {
            if (current == null) {
                return null;
            }
            current = current.get(field);
        }
        return current != null && current.isString() ? current.asString() : null;
    }

    public static JsonNode at(JsonNode node, String... path) {
        JsonNode current = node;
        for (String field : path) {
            if (current == null) {
                return null;
            }
            current = current.get(field);
        }
        return current;
    }
}
