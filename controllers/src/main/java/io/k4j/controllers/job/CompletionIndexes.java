package io.k4j.controllers.job;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import java.util.TreeSet;

/**
 * Indexed Jobs' index sets as the API writes them ("1,3-5,7": sorted intervals, as status.completedIndexes and
 * status.failedIndexes hold them), and the index a pod carries.
 */
final class CompletionIndexes {

    static final String ANNOTATION = "batch.kubernetes.io/job-completion-index";
    static final int UNKNOWN = -1;

    private CompletionIndexes() {
    }

    /** The indexes of an interval list, ignoring malformed parts and those not below {@code completions}. */
    static TreeSet<Integer> parse(String text, int completions) {
        TreeSet<Integer> indexes = new TreeSet<>();
        if (text == null || text.isEmpty()) {
            return indexes;
        }
        for (String part : text.split(",")) {
            String[] bounds = part.split("-");
            try {
                int first = Integer.parseInt(bounds[0].trim());
                int last = bounds.length > 1 ? Integer.parseInt(bounds[1].trim()) : first;
                for (int i = Math.max(0, first); i <= last && i < completions; i++) {
                    indexes.add(i);
                }
            } catch (NumberFormatException e) {
                // a part nobody but a hand edit could have written: skipped, as upstream skips it
            }
        }
        return indexes;
    }

    /** Sorted intervals: a run of consecutive indexes as "first-last", a lone index alone. */
    static String format(TreeSet<Integer> indexes) {
        StringBuilder text = new StringBuilder();
        Integer start = null;
        Integer previous = null;
        for (int index : indexes) {
            if (previous != null && index == previous + 1) {
                previous = index;
                continue;
            }
            append(text, start, previous);
            start = index;
            previous = index;
        }
        append(text, start, previous);
        return text.toString();
    }

    private static void append(StringBuilder text, Integer start, Integer end) {
        if (start == null) {
            return;
        }
        if (!text.isEmpty()) {
            text.append(',');
        }
        text.append(start);
        if (!end.equals(start)) {
            text.append('-').append(end);
        }
    }

    /** The index in the pod's annotation (falling back to its label), or {@link #UNKNOWN}. */
    static int of(Pod pod) {
        String value = valueOf(pod.getMetadata().getAnnotations());
        if (value == null) {
            value = valueOf(pod.getMetadata().getLabels());
        }
        try {
            int index = value == null ? UNKNOWN : Integer.parseInt(value);
            return index < 0 ? UNKNOWN : index;
        } catch (NumberFormatException e) {
            return UNKNOWN;
        }
    }

    private static String valueOf(Map<String, String> map) {
        return map == null ? null : map.get(ANNOTATION);
    }
}
