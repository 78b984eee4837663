package io.k4j.controllers.deployment;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pod-template-hash a Deployment puts on its ReplicaSets (in their names, labels and selectors), and template
 * equality ignoring it. Like upstream's ComputeHash: a 32-bit FNV-1a of the template (and of the collision count
 * when there is one), its decimal digits spelled in upstream's safe alphabet. Upstream hashes Go's printout of its
 * structs; k4j hashes the template's canonical JSON, so the same template gets another (equally stable) name.
 */
public final class TemplateHash {

    public static final String LABEL = "pod-template-hash";
    private static final String SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private TemplateHash() {
    }

    public static String compute(PodTemplateSpec template, Integer collisionCount) {
        int hash = 0x811c9dc5;
        for (byte b : canonicalJson(canonical(template)).getBytes(StandardCharsets.UTF_8)) {
            hash = fnv(hash, b);
        }
        if (collisionCount != null) {
            byte[] count = new byte[8];
            for (int i = 0; i < 4; i++) {
                count[i] = (byte) (collisionCount >>> (8 * i));
            }
            for (byte b : count) {
                hash = fnv(hash, b);
            }
        }
        return safeEncode(Integer.toUnsignedString(hash));
    }

    private static int fnv(int hash, byte b) {
        return (hash ^ (b & 0xff)) * 0x01000193;
    }

    /** Upstream's rand.SafeEncodeString: each character to the alphabet with no vowels and no look-alikes. */
    static String safeEncode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            out.append(SAFE_ALPHABET.charAt((b & 0xff) % SAFE_ALPHABET.length()));
        }
        return out.toString();
    }

    /** Templates equal apart from the pod-template-hash label (EqualIgnoreHash; empty and missing are equal). */
    public static boolean equalIgnoringHash(PodTemplateSpec a, PodTemplateSpec b) {
        return withoutHash(canonical(a)).equals(withoutHash(canonical(b)));
    }

    @SuppressWarnings("unchecked")
    private static Object withoutHash(Object template) {
        if (template instanceof Map<?, ?> map && map.get("metadata") instanceof Map<?, ?> metadata
                && metadata.get("labels") instanceof Map<?, ?> labels) {
            ((Map<String, Object>) labels).remove(LABEL);
            return canonicalValue(template);
        }
        return template;
    }

    /** The template as sorted maps and lists without nulls and empty collections. */
    static Object canonical(PodTemplateSpec template) {
        if (template == null) {
            return new TreeMap<>();
        }
        return canonicalValue(JSON.convertValue(template, Map.class));
    }

    private static Object canonicalValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            TreeMap<String, Object> sorted = new TreeMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                Object child = canonicalValue(entry.getValue());
                if (!isEmpty(child)) {
                    sorted.put(String.valueOf(entry.getKey()), child);
                }
            }
            return sorted;
        }
        if (value instanceof List<?> list) {
            List<Object> items = new ArrayList<>();
            for (Object item : list) {
                items.add(canonicalValue(item));
            }
            return items;
        }
        return value;
    }

    private static boolean isEmpty(Object value) {
        return value == null || (value instanceof Map<?, ?> m && m.isEmpty()) || (value instanceof List<?> l && l.isEmpty());
    }

    private static String canonicalJson(Object canonical) {
        return JSON.asJson(canonical);
    }
}
