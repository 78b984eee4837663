package io.k4j.apiserver.selection;

import io.k4j.apiserver.api.ApiException;
import tools.jackson.databind.node.ObjectNode;

/** The selectors of a list or watch request: its {@code labelSelector} and {@code fieldSelector}. */
public final class Selectors {

    private Selectors() {
    }

    /**
     * Both selectors of a request, parsed; {@link #selector()} combines them. The parts are kept for fast paths
     * ({@link FieldSelector#requiredValue}, {@link LabelSelector#requiredValue}).
     */
    public record Query(LabelSelector labels, FieldSelector fields) implements Selector {
        /** True when neither selector restricts anything. */
        public boolean isEmpty() {
            return labels.isEmpty() && fields.isEmpty();
        }

        /** {@link Selector#EVERYTHING} when empty, else the selectors that restrict something, and-ed. */
        public Selector selector() {
            Selector label = labels.isEmpty() ? Selector.EVERYTHING : labels;
            Selector field = fields.isEmpty() ? Selector.EVERYTHING : fields;
            return label.and(field);
        }

        @Override
        public boolean matches(ObjectNode object) {
            return labels.matches(object) && fields.matches(object);
        }
    }

    /**
     * Parses the selectors of a request on a kind: the label selector first, then the field selector against the
     * kind's {@link FieldLabels#forKind field labels}, as upstream decodes them. Null or empty texts select all.
     *
     * @throws ApiException 400 with upstream's message when either is invalid
     */
    public static Query parse(String labelSelector, String fieldSelector, String group, String kind) {
        LabelSelector labels = LabelSelector.parse(labelSelector);
        FieldSelector fields = fieldSelector == null || fieldSelector.isEmpty()
                ? FieldSelector.everything()
                : FieldSelector.parse(fieldSelector, FieldLabels.forKind(group, kind));
        return new Query(labels, fields);
    }

    /**
     * The combined selector of a request on a kind; {@link Selector#EVERYTHING} when neither restricts anything.
     *
     * @throws ApiException 400 with upstream's message when either is invalid
     */
    public static Selector fromQuery(String labelSelector, String fieldSelector, String group, String kind) {
        return parse(labelSelector, fieldSelector, group, kind).selector();
    }
}
