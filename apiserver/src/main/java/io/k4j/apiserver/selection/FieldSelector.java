package io.k4j.apiserver.selection;

import io.k4j.apiserver.api.ApiException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Kubernetes field selector: terms {@code field=value}, {@code field==value} or {@code field!=value} joined by
 * commas, all of which must hold. Values escape {@code \}, {@code ,} and {@code =} with a backslash. Parsing follows
 * upstream's {@code fields.ParseSelector} and then checks each field against the kind's {@link FieldLabels}, as the
 * API server does before listing or watching.
 */
public final class FieldSelector implements Selector {

    /** One term on a canonical field label: equal ({@code =}, {@code ==}) or not equal ({@code !=}). */
    public record Term(String field, boolean equal, String value) {
        @Override
        public String toString() {
            return field + (equal ? "=" : "!=") + escapeValue(value);
        }
    }

    private static final FieldSelector EVERYTHING_SELECTOR =
            new FieldSelector(List.of(), FieldLabels.metadataOnly());

    private final List<Term> terms;
    private final FieldLabels labels;

    private FieldSelector(List<Term> terms, FieldLabels labels) {
        this.terms = List.copyOf(terms);
        this.labels = labels;
    }

    /** Matches every object. */
    public static FieldSelector everything() {
        return EVERYTHING_SELECTOR;
    }

    /**
     * Parses a {@code fieldSelector} for a kind. A null or empty text is everything.
     *
     * @throws ApiException 400 with upstream's message for a malformed selector, a bad escape, or a field the kind
     *         does not support
     */
    public static FieldSelector parse(String text, FieldLabels labels) {
        if (text == null || text.isEmpty()) {
            return EVERYTHING_SELECTOR;
        }
        List<String> parts = splitTerms(text);
        Collections.sort(parts);
        List<Term> parsed = new ArrayList<>();
        for (String part : parts) {
            if (part.isEmpty()) {
                continue;
            }
            String[] split = splitTerm(part);
            if (split == null) {
                throw ApiException.badRequest("invalid selector: '" + text + "'; can't understand '" + part + "'");
            }
            parsed.add(new Term(split[0], !split[1].equals("!="), unescapeValue(split[2])));
        }
        // then each field through the kind's field label conversion, in the same (sorted) order as upstream
        List<Term> terms = new ArrayList<>(parsed.size());
        for (Term term : parsed) {
            terms.add(new Term(labels.canonical(term.field()), term.equal(), term.value()));
        }
        return terms.isEmpty() ? EVERYTHING_SELECTOR : new FieldSelector(terms, labels);
    }

    @Override
    public boolean matches(ObjectNode object) {
        for (Term term : terms) {
            if (labels.value(object, term.field()).equals(term.value()) != term.equal()) {
                return false;
            }
        }
        return true;
    }

    /** True when the selector does not restrict anything. */
    public boolean isEmpty() {
        return terms.isEmpty();
    }

    /** The terms, in upstream's (sorted) order, on canonical field labels. */
    public List<Term> terms() {
        return terms;
    }

    /**
     * The value the selector pins a canonical field to with {@code =} or {@code ==} (e.g. {@code metadata.name=foo}),
     * for fast paths; empty when the field is free or only excluded with {@code !=}.
     */
    public Optional<String> requiredValue(String field) {
        for (Term term : terms) {
            if (term.equal() && term.field().equals(field)) {
                return Optional.of(term.value());
            }
        }
        return Optional.empty();
    }

    /** Upstream's rendering: the terms joined by commas, {@code ==} written {@code =}, values escaped. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (Term term : terms) {
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(term);
        }
        return out.toString();
    }

    /** Escapes {@code \}, {@code ,} and {@code =} in a value with a backslash. */
    public static String escapeValue(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == ',' || c == '=') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /**
     * Undoes {@link #escapeValue}.
     *
     * @throws ApiException 400 for an unknown escape, a trailing backslash or an unescaped {@code ,} or {@code =}
     */
    public static String unescapeValue(String value) {
        if (value.indexOf('\\') < 0 && value.indexOf(',') < 0 && value.indexOf('=') < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        boolean inSlash = false;
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            i += Character.charCount(c);
            if (inSlash) {
                if (c != '\\' && c != ',' && c != '=') {
                    throw ApiException.badRequest("invalid field selector: invalid escape sequence: \\"
                            + new String(Character.toChars(c)));
                }
                out.appendCodePoint(c);
                inSlash = false;
                continue;
            }
            switch (c) {
                case '\\' -> inSlash = true;
                // upstream prints the rune with %v: its code point
                case ',', '=' -> throw ApiException.badRequest(
                        "invalid field selector: unescaped character in value: " + c);
                default -> out.appendCodePoint(c);
            }
        }
        if (inSlash) {
            throw ApiException.badRequest("invalid field selector: invalid escape sequence: \\");
        }
        return out.toString();
    }

    /** Splits on commas not escaped by a backslash; the parts keep their escapes. */
    private static List<String> splitTerms(String text) {
        List<String> terms = new ArrayList<>();
        int start = 0;
        boolean inSlash = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inSlash) {
                inSlash = false;
            } else if (c == '\\') {
                inSlash = true;
            } else if (c == ',') {
                terms.add(text.substring(start, i));
                start = i + 1;
            }
        }
        terms.add(text.substring(start));
        return terms;
    }

    /** Field, operator and raw value at the first operator ("!=", "==" or "="); null when there is none. */
    private static String[] splitTerm(String term) {
        for (int i = 0; i < term.length(); i++) {
            for (String op : new String[] {"!=", "==", "="}) {
                if (term.startsWith(op, i)) {
                    return new String[] {term.substring(0, i), op, term.substring(i + op.length())};
                }
            }
        }
        return null;
    }
}
