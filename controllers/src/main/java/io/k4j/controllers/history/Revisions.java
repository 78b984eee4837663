package io.k4j.controllers.history;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.k4j.controllers.api.OwnerRefs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * ControllerRevisions as StatefulSets and DaemonSets keep them: the data is a strategic merge patch that replaces the
 * pod template ({@code {"spec":{"template":{..., "$patch":"replace"}}}}, which {@code kubectl rollout undo} applies
 * as is), the name is OWNER-HASH and the revision number grows with every new or re-used template.
 */
public final class Revisions {

    /** Upstream's ControllerRevisionHashLabelKey, on revisions and on the pods made from them. */
    public static final String HASH_LABEL = "controller-revision-hash";
    static final String SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    /** A mapper without the Kubernetes model's settings: it keeps nulls, as Go's encoding of a map does. */
    private static final JsonMapper PLAIN = JsonMapper.builder().build();
    public static final Comparator<ControllerRevision> BY_NUMBER = Comparator
            .comparingLong((ControllerRevision r) -> r.getRevision() == null ? 0 : r.getRevision())
            .thenComparing(r -> r.getMetadata().getName());

    private Revisions() {
    }

    /**
     * The revision data for a pod template, byte for byte what kubectl computes from the owner to tell whether a
     * rollback would change anything: keys sorted at every level and the template's null creationTimestamp, as Go
     * encodes it.
     */
    public static JsonNode templatePatch(PodTemplateSpec template) {
        Map<String, Object> templateJson = asMap(template);
        Map<String, Object> metadata = templateJson.get("metadata") instanceof Map<?, ?> m
                ? new LinkedHashMap<>(asMap(m)) : new LinkedHashMap<>();
        metadata.putIfAbsent("creationTimestamp", null);
        templateJson.put("metadata", metadata);
        templateJson.put("$patch", "replace");
        return PLAIN.valueToTree(sortKeys(Map.of("spec", Map.of("template", templateJson))));
    }

    /** The pod template a revision holds (the template of the patch), or null for data of another shape. */
    public static PodTemplateSpec template(ControllerRevision revision) {
        if (revision.getData() == null || !(asMap(revision.getData()).get("spec") instanceof Map<?, ?> spec)
                || !(spec.get("template") instanceof Map<?, ?> template)) {
            return null;
        }
        Map<Object, Object> copy = new LinkedHashMap<>(template);
        copy.remove("$patch");
        return JSON.convertValue(copy, PodTemplateSpec.class);
    }

    /** Whether a revision holds exactly this data (compared as JSON, key order aside). */
    public static boolean holds(ControllerRevision revision, Object data) {
        return revision.getData() != null && canonical(revision.getData()).equals(canonical(data));
    }

    /**
     * Upstream's revision hash: FNV-1a (32 bit) over the data, then the collision count (little endian) when
     * set, written as a decimal number whose digits map onto an alphabet without vowels.
     */
    public static String hash(Object data, Integer collisionCount) {
        int hash = 0x811c9dc5;
        for (byte b : canonical(data).getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * 0x01000193;
        }
        if (collisionCount != null) {
            for (int shift = 0; shift < 32; shift += 8) {
                hash = (hash ^ ((collisionCount >>> shift) & 0xff)) * 0x01000193;
            }
        }
        return safeEncode(Long.toString(Integer.toUnsignedLong(hash)));
    }

    static String safeEncode(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            out.append(SAFE_ALPHABET.charAt(c % SAFE_ALPHABET.length()));
        }
        return out.toString();
    }

    /** Upstream's ControllerRevisionName: the owner's name (cut to keep the whole within 253) and the hash. */
    public static String name(String ownerName, String hash) {
        String prefix = ownerName.length() > 223 ? ownerName.substring(0, 223) : ownerName;
        return prefix + "-" + hash;
    }

    /**
     * A new revision of {@code owner}: the template's labels plus the hash label, the owner's annotations (so
     * kubectl rollout history shows their change-cause) and a controller reference.
     */
    public static ControllerRevision newRevision(HasMetadata owner, PodTemplateSpec template, Object data,
            long number, Integer collisionCount) {
        String hash = hash(data, collisionCount);
        Map<String, String> labels = new LinkedHashMap<>();
        if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
            labels.putAll(template.getMetadata().getLabels());
        }
        labels.put(HASH_LABEL, hash);
        Map<String, String> annotations = owner.getMetadata().getAnnotations() == null ? null
                : new LinkedHashMap<>(owner.getMetadata().getAnnotations());
        return new ControllerRevisionBuilder()
                .withNewMetadata()
                .withName(name(owner.getMetadata().getName(), hash))
                .withNamespace(owner.getMetadata().getNamespace())
                .withLabels(labels).withAnnotations(annotations)
                .withOwnerReferences(OwnerRefs.controllerRef(owner))
                .endMetadata()
                .withData(data).withRevision(number)
                .build();
    }

    /** The number after every revision in {@code history}. */
    public static long nextNumber(List<ControllerRevision> history) {
        return history.stream().mapToLong(r -> r.getRevision() == null ? 0 : r.getRevision()).max().orElse(0) + 1;
    }

    public static List<ControllerRevision> sorted(List<ControllerRevision> history) {
        List<ControllerRevision> sorted = new ArrayList<>(history);
        sorted.sort(BY_NUMBER);
        return sorted;
    }

    public static ControllerRevision byName(List<ControllerRevision> history, String name) {
        return history.stream().filter(r -> Objects.equals(r.getMetadata().getName(), name)).findFirst().orElse(null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return JSON.convertValue(value, LinkedHashMap.class);
    }

    /** JSON with object keys sorted at every level, so equal data gives equal text. */
    static String canonical(Object data) {
        return PLAIN.writeValueAsString(sortKeys(JSON.convertValue(data, Object.class)));
    }

    private static Object sortKeys(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), sortKeys(v)));
            return sorted;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Revisions::sortKeys).toList();
        }
        return value;
    }
}
