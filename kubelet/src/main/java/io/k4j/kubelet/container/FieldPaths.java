package io.k4j.kubelet.container;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import java.util.TreeMap;

/** Upstream's downward API field paths over a pod's metadata (fieldpath.ExtractFieldPathAsString). */
public final class FieldPaths {

    private FieldPaths() {
    }

    /**
     * The value of a metadata field path: metadata.name, namespace, uid, labels, annotations (all of them, one
     * {@code key="value"} a line, sorted), or one label or annotation as {@code metadata.labels['key']}.
     */
    public static String metadataValue(Pod pod, String fieldPath) throws ContainerConfigException {
        var meta = pod.getMetadata();
        String subscripted = subscript(fieldPath, "metadata.labels");
        if (subscripted != null) {
            return nullToEmpty(orEmpty(meta.getLabels()).get(subscripted));
        }
        subscripted = subscript(fieldPath, "metadata.annotations");
        if (subscripted != null) {
            return nullToEmpty(orEmpty(meta.getAnnotations()).get(subscripted));
        }
        return switch (fieldPath) {
            case "metadata.name" -> nullToEmpty(meta.getName());
            case "metadata.namespace" -> nullToEmpty(meta.getNamespace());
            case "metadata.uid" -> nullToEmpty(meta.getUid());
            case "metadata.labels" -> formatMap(meta.getLabels());
            case "metadata.annotations" -> formatMap(meta.getAnnotations());
            default -> throw new ContainerConfigException("unsupported fieldPath: " + fieldPath);
        };
    }

    /** The key of {@code prefix['key']}, or null when the path is not of that form. */
    private static String subscript(String fieldPath, String prefix) {
        if (fieldPath.startsWith(prefix + "['") && fieldPath.endsWith("']")) {
            return fieldPath.substring(prefix.length() + 2, fieldPath.length() - 2);
        }
        return null;
    }

    /** Upstream's FormatMap: sorted {@code key="value"} lines, values quoted as Go's %q does. */
    static String formatMap(Map<String, String> map) {
        StringBuilder out = new StringBuilder();
        for (var entry : new TreeMap<>(orEmpty(map)).entrySet()) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(entry.getKey()).append('=').append(goQuote(entry.getValue()));
        }
        return out.toString();
    }

    /** Go's strconv.Quote for the characters labels and annotations hold. */
    static String goQuote(String value) {
        StringBuilder out = new StringBuilder("\"");
        value.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                case 7 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case 11 -> out.append("\\v");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.append('"').toString();
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
