package io.k4j.apiserver.selection;

/** Placeholder until the full selector parser lands: accepts only empty selectors. */
public final class Selectors {
    private Selectors() {
    }

    public static Selector fromQuery(String labelSelector, String fieldSelector, String group, String kind) {
        if ((labelSelector == null || labelSelector.isEmpty()) && (fieldSelector == null || fieldSelector.isEmpty())) {
            return Selector.EVERYTHING;
        }
        throw io.k4j.apiserver.api.ApiException.badRequest("selectors are not supported yet");
    }
}
