package io.k4j.apiserver.selection;

import io.k4j.apiserver.api.ApiException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The field labels a kind supports in field selectors, and how to read each from a stored object.
 *
 * <p>Upstream checks a field selector in two steps, and so does this class. First the kind's field label conversion
 * (registered with {@code AddFieldLabelConversionFunc}, or {@code runtime.DefaultMetaV1FieldSelectorConversion} when
 * a kind registers none) accepts a label, possibly renaming it ({@link #canonical}); an unknown label is a 400 whose
 * message differs by kind. Then the registry's {@code ToSelectableFields} gives the value of each canonical label
 * ({@link #value}); a label accepted but never set reads as "", integers and booleans render as Go prints them, and
 * absent ones as their zero value ("0", "false").
 */
public final class FieldLabels {

    private static final String NAME = "metadata.name";
    private static final String NAMESPACE = "metadata.namespace";
    private static final String[] INVOLVED_OBJECT_FIELDS = {
        "kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"};

    private static final FieldLabels DEFAULT = new Builder(label -> LabelRules.goQuote(label)
            + " is not a known field selector: only \"metadata.name\", \"metadata.namespace\"")
            .field(NAME, text("metadata", "name"))
            .field(NAMESPACE, text("metadata", "namespace"))
            .build();

    private static final Map<String, FieldLabels> KINDS = Map.of(
            "/Pod", pods(),
            "/Node", nodes(),
            "/ReplicationController", replicationControllers(),
            "/Event", coreEvents(),
            "/Namespace", namespaces(),
            "/Secret", secrets(),
            "/Service", services(),
            "events.k8s.io/Event", eventsApiEvents(),
            "batch/Job", jobs(),
            "certificates.k8s.io/CertificateSigningRequest", certificateSigningRequests());

    /** Label in a query, to the canonical label it selects on. */
    private final Map<String, String> accepted;
    /** Canonical label, to how its value is read. */
    private final Map<String, Function<ObjectNode, String>> readers;
    private final Function<String, String> rejection;

    private FieldLabels(Map<String, String> accepted, Map<String, Function<ObjectNode, String>> readers,
            Function<String, String> rejection) {
        this.accepted = Collections.unmodifiableMap(accepted);
        this.readers = Collections.unmodifiableMap(readers);
        this.rejection = rejection;
    }

    /**
     * The field labels of a built-in kind, as Kubernetes 1.32 supports them; any other kind (custom resources
     * included) supports only {@code metadata.name} and {@code metadata.namespace}.
     *
     * @param group the API group, "" (or null) for the core group
     * @param kind the kind, e.g. "Pod"
     */
    public static FieldLabels forKind(String group, String kind) {
        return KINDS.getOrDefault((group == null ? "" : group) + "/" + kind, DEFAULT);
    }

    /** The labels every kind without its own conversion supports: {@code metadata.name}, {@code metadata.namespace}. */
    public static FieldLabels metadataOnly() {
        return DEFAULT;
    }

    /**
     * The field labels of a custom resource: {@code metadata.name}, {@code metadata.namespace} when namespaced, and
     * the CRD version's {@code selectableFields} ({@code jsonPath} such as ".spec.color").
     */
    public static FieldLabels forCustomResource(boolean namespaced, Collection<String> selectableFieldPaths) {
        Builder builder = new Builder(label -> "field label not supported: " + label)
                .field(NAME, text("metadata", "name"));
        if (namespaced) {
            builder.field(NAMESPACE, text("metadata", "namespace"));
        }
        for (String path : selectableFieldPaths) {
            String label = path.startsWith(".") ? path.substring(1) : path;
            builder.field(label, text(label.split("\\.")));
        }
        return builder.build();
    }

    /**
     * The canonical label a query label selects on (usually itself; pods' legacy {@code spec.host} is {@code
     * spec.nodeName}, events.k8s.io's {@code regarding.name} is {@code involvedObject.name}).
     *
     * @throws ApiException 400 with upstream's message for the kind when the label is not supported
     */
    public String canonical(String label) {
        String canonical = accepted.get(label);
        if (canonical == null) {
            throw ApiException.badRequest(rejection.apply(label));
        }
        return canonical;
    }

    /** The labels a query may use. */
    public Set<String> supported() {
        return accepted.keySet();
    }

    /** The value of a canonical label on an object; "" for a label the kind accepts but never sets. */
    public String value(ObjectNode object, String canonicalLabel) {
        Function<ObjectNode, String> reader = readers.get(canonicalLabel);
        return reader == null ? "" : reader.apply(object);
    }

    /** A scalar as Go would print it into a fields.Set; {@code absent} for a missing or null node. */
    static String render(JsonNode node, String absent) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return absent;
        }
        if (node.isString()) {
            return node.asString();
        }
        if (node.isBoolean()) {
            return node.booleanValue() ? "true" : "false";
        }
        if (node.isNumber()) {
            return node.asString();
        }
        return node.toString();
    }

    private static JsonNode at(ObjectNode object, String... path) {
        JsonNode node = object;
        for (String step : path) {
            if (node == null) {
                return null;
            }
            node = node.get(step);
        }
        return node;
    }

    private static Function<ObjectNode, String> text(String... path) {
        return object -> render(at(object, path), "");
    }

    private static Function<ObjectNode, String> bool(String... path) {
        return object -> render(at(object, path), "false");
    }

    private static Function<ObjectNode, String> integer(String... path) {
        return object -> render(at(object, path), "0");
    }

    /** The first reader giving a non-empty value, or "". */
    @SafeVarargs
    private static Function<ObjectNode, String> firstOf(Function<ObjectNode, String>... readers) {
        return object -> {
            for (Function<ObjectNode, String> reader : readers) {
                String value = reader.apply(object);
                if (!value.isEmpty()) {
                    return value;
                }
            }
            return "";
        };
    }

    private static Builder core() {
        return new Builder(label -> "field label not supported: " + label);
    }

    private static FieldLabels pods() {
        return core()
                .field(NAME, text("metadata", "name"))
                .field(NAMESPACE, text("metadata", "namespace"))
                .field("spec.nodeName", text("spec", "nodeName"))
                .field("spec.restartPolicy", text("spec", "restartPolicy"))
                .field("spec.schedulerName", text("spec", "schedulerName"))
                .field("spec.serviceAccountName", text("spec", "serviceAccountName"))
                .field("spec.hostNetwork", bool("spec", "hostNetwork"))
                .field("status.phase", text("status", "phase"))
                // upstream reads the first of the internal podIPs; in v1 podIP is authoritative
                .field("status.podIP", firstOf(text("status", "podIP"), object -> render(
                        object.path("status").path("podIPs").path(0).get("ip"), "")))
                .acceptedOnly("status.podIPs") // accepted by the conversion, never set: always ""
                .field("status.nominatedNodeName", text("status", "nominatedNodeName"))
                .alias("spec.host", "spec.nodeName") // old v1 clients
                .build();
    }

    private static FieldLabels nodes() {
        return core()
                .field(NAME, text("metadata", "name"))
                .field("spec.unschedulable", bool("spec", "unschedulable"))
                .build();
    }

    private static FieldLabels replicationControllers() {
        return core()
                .field(NAME, text("metadata", "name"))
                .field(NAMESPACE, text("metadata", "namespace"))
                .field("status.replicas", integer("status", "replicas"))
                .build();
    }

    private static FieldLabels namespaces() {
        return core()
                .field("status.phase", text("status", "phase"))
                .field(NAME, text("metadata", "name"))
                .build();
    }

    private static FieldLabels secrets() {
        return core()
                .field("type", text("type"))
                .field(NAMESPACE, text("metadata", "namespace"))
                .field(NAME, text("metadata", "name"))
                .build();
    }

    private static FieldLabels services() {
        return core()
                .field(NAMESPACE, text("metadata", "namespace"))
                .field(NAME, text("metadata", "name"))
                .field("spec.clusterIP", text("spec", "clusterIP"))
                .field("spec.type", text("spec", "type"))
                .build();
    }

    /**
     * Event fields, readable from an event stored in either shape: core v1 ({@code involvedObject}, {@code
     * reportingComponent}, {@code source.component}) or events.k8s.io/v1 ({@code regarding}, {@code
     * reportingController}, {@code deprecatedSource.component}). {@code source} falls back to the reporting
     * controller, as upstream's {@code ToSelectableFields} does.
     */
    private static Builder eventFields(Builder builder) {
        for (String field : INVOLVED_OBJECT_FIELDS) {
            builder.field("involvedObject." + field,
                    firstOf(text("involvedObject", field), text("regarding", field)));
        }
        Function<ObjectNode, String> reporting = firstOf(text("reportingComponent"), text("reportingController"));
        return builder
                .field("reason", text("reason"))
                .field("reportingComponent", reporting)
                .field("source", firstOf(text("source", "component"), text("deprecatedSource", "component"), reporting))
                .field("type", text("type"))
                .field(NAMESPACE, text("metadata", "namespace"))
                .field(NAME, text("metadata", "name"));
    }

    private static FieldLabels coreEvents() {
        return eventFields(core()).build();
    }

    private static FieldLabels eventsApiEvents() {
        Builder builder = eventFields(core());
        // events.k8s.io/v1 accepts its own names, mapped onto the core labels
        Map<String, String> accepted = new LinkedHashMap<>();
        accepted.put("reason", "reason");
        for (String field : INVOLVED_OBJECT_FIELDS) {
            accepted.put("regarding." + field, "involvedObject." + field);
        }
        accepted.put("reportingController", "reportingComponent");
        accepted.put("source", "source");
        accepted.put("type", "type");
        accepted.put(NAMESPACE, NAMESPACE);
        accepted.put(NAME, NAME);
        builder.accepted.clear();
        builder.accepted.putAll(accepted);
        return builder.build();
    }

    private static FieldLabels jobs() {
        return new Builder(label -> "field label " + LabelRules.goQuote(label) + " not supported for Job")
                .field(NAME, text("metadata", "name"))
                .field(NAMESPACE, text("metadata", "namespace"))
                .field("status.successful", integer("status", "succeeded"))
                .build();
    }

    private static FieldLabels certificateSigningRequests() {
        return core()
                .field(NAME, text("metadata", "name"))
                .field("spec.signerName", text("spec", "signerName"))
                .build();
    }

    private static final class Builder {
        private final Map<String, String> accepted = new LinkedHashMap<>();
        private final Map<String, Function<ObjectNode, String>> readers = new LinkedHashMap<>();
        private final Function<String, String> rejection;

        Builder(Function<String, String> rejection) {
            this.rejection = rejection;
        }

        Builder field(String label, Function<ObjectNode, String> reader) {
            accepted.put(label, label);
            readers.put(label, reader);
            return this;
        }

        Builder acceptedOnly(String label) {
            accepted.put(label, label);
            return this;
        }

        Builder alias(String label, String canonical) {
            accepted.put(label, canonical);
            return this;
        }

        FieldLabels build() {
            return new FieldLabels(accepted, readers, rejection);
        }
    }
}
