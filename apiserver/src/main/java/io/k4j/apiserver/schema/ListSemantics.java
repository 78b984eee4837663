package io.k4j.apiserver.schema;

import java.util.List;

/**
 * How one list field of a built-in kind merges, as upstream declares it on the Go type: the strategic-merge tags
 * ({@code patchStrategy}, {@code patchMergeKey}) and the server-side-apply markers ({@code listType},
 * {@code listMapKey}).
 *
 * @param patchStrategy "merge", "merge,retainKeys", "retainKeys", or null for replace
 * @param patchMergeKey the key that identifies an element when merging, or null
 * @param listType      "atomic", "set" or "map", or null when undeclared (atomic)
 * @param listMapKeys   for listType map: the fields that together identify an element
 */
public record ListSemantics(String patchStrategy, String patchMergeKey, String listType, List<String> listMapKeys) {

    public boolean mergesByKey() {
        return patchStrategy != null && patchStrategy.contains("merge") && patchMergeKey != null;
    }
}
