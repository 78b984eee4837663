package io.k4j.apiserver.selection;

import io.k4j.apiserver.api.ApiException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Kubernetes label selector: requirements on {@code metadata.labels}, all of which must hold. It is parsed from the
 * {@code labelSelector} query syntax ({@link #parse}), built from the structured {@code LabelSelector} of workloads
 * ({@link #fromLabelSelectorObject}) or from a plain map ({@link #fromMap}), and renders back canonically with
 * {@link #toString()}, as upstream's {@code labels.Selector.String()} does.
 */
public final class LabelSelector implements Selector {

    /** The operators, named as upstream's {@code selection.Operator} values. */
    public enum Operator {
        IN("in"), NOT_IN("notin"), EQUALS("="), DOUBLE_EQUALS("=="), NOT_EQUALS("!="), GREATER_THAN("gt"),
        LESS_THAN("lt"), EXISTS("exists"), DOES_NOT_EXIST("!");

        private final String upstream;

        Operator(String upstream) {
            this.upstream = upstream;
        }

        /** The operator as upstream spells it in messages ("in", "notin", "=", "gt", "exists", "!", ...). */
        public String upstreamName() {
            return upstream;
        }
    }

    /** A label lookup: the value of a key, or null when the key is absent. */
    @FunctionalInterface
    public interface Labels {
        String get(String key);

        static Labels of(Map<String, String> labels) {
            return labels == null ? key -> null : labels::get;
        }

        /** The labels of a stored object, read from {@code metadata.labels} without copying them. */
        static Labels of(ObjectNode object) {
            JsonNode labels = object == null ? null : object.path("metadata").get("labels");
            if (labels == null || !labels.isObject()) {
                return key -> null;
            }
            return key -> {
                JsonNode value = labels.get(key);
                if (value == null) {
                    return null;
                }
                return value.isString() ? value.asString() : FieldLabels.render(value, "");
            };
        }
    }

    /**
     * One requirement: a key, an operator and its values. For parsed selectors the values are sorted and distinct, as
     * upstream's parser keeps them; for structured selectors they are kept as given.
     */
    public record Requirement(String key, Operator operator, List<String> values) {
        public Requirement {
            values = List.copyOf(values);
        }

        public boolean matches(Labels labels) {
            String value = labels.get(key);
            return switch (operator) {
                case IN, EQUALS, DOUBLE_EQUALS -> value != null && values.contains(value);
                case NOT_IN, NOT_EQUALS -> value == null || !values.contains(value);
                case EXISTS -> value != null;
                case DOES_NOT_EXIST -> value == null;
                case GREATER_THAN, LESS_THAN -> {
                    if (value == null || values.size() != 1) {
                        yield false;
                    }
                    Long actual = LabelRules.parseGoInt(value);
                    Long bound = LabelRules.parseGoInt(values.get(0));
                    if (actual == null || bound == null) {
                        yield false;
                    }
                    yield operator == Operator.GREATER_THAN ? actual > bound : actual < bound;
                }
            };
        }

        /** Upstream's {@code Requirement.String()}: "a=b", "a!=b", "a in (x,y)", "!a", "a>3". */
        @Override
        public String toString() {
            StringBuilder out = new StringBuilder();
            if (operator == Operator.DOES_NOT_EXIST) {
                out.append('!');
            }
            out.append(key);
            switch (operator) {
                case EQUALS -> out.append('=');
                case DOUBLE_EQUALS -> out.append("==");
                case NOT_EQUALS -> out.append("!=");
                case IN -> out.append(" in ");
                case NOT_IN -> out.append(" notin ");
                case GREATER_THAN -> out.append('>');
                case LESS_THAN -> out.append('<');
                case EXISTS, DOES_NOT_EXIST -> {
                    return out.toString();
                }
            }
            boolean set = operator == Operator.IN || operator == Operator.NOT_IN;
            if (set) {
                out.append('(');
            }
            if (values.size() == 1) {
                out.append(values.get(0));
            } else {
                List<String> sorted = new ArrayList<>(values);
                sorted.sort(Comparator.naturalOrder());
                out.append(String.join(",", sorted));
            }
            if (set) {
                out.append(')');
            }
            return out.toString();
        }
    }

    private static final LabelSelector EVERYTHING_SELECTOR = new LabelSelector(List.of(), false);
    private static final LabelSelector NOTHING_SELECTOR = new LabelSelector(List.of(), true);

    private final List<Requirement> requirements;
    private final boolean nothing;

    private LabelSelector(List<Requirement> requirements, boolean nothing) {
        List<Requirement> sorted = new ArrayList<>(requirements);
        sorted.sort(Comparator.comparing(Requirement::key)); // stable, like upstream's sort by key
        this.requirements = List.copyOf(sorted);
        this.nothing = nothing;
    }

    /** Matches every object. */
    public static LabelSelector everything() {
        return EVERYTHING_SELECTOR;
    }

    /** Matches no object (upstream's {@code labels.Nothing()}, what a nil structured selector means). */
    public static LabelSelector nothing() {
        return NOTHING_SELECTOR;
    }

    /**
     * Parses the {@code labelSelector} query syntax as upstream's {@code labels.Parse} does. A null or blank text is
     * everything.
     *
     * @throws ApiException 400 with upstream's message when the text is not a valid selector
     */
    public static LabelSelector parse(String text) {
        if (text == null || text.isEmpty()) {
            return EVERYTHING_SELECTOR;
        }
        try {
            List<Requirement> requirements = new Parser(text).parse();
            return requirements.isEmpty() ? EVERYTHING_SELECTOR : new LabelSelector(requirements, false);
        } catch (SyntaxError e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /**
     * The structured {@code LabelSelector} of workloads and services ({@code matchLabels} and {@code
     * matchExpressions}), as upstream's {@code metav1.LabelSelectorAsSelector}: a missing or null selector matches
     * nothing, an empty one everything.
     *
     * @throws ApiException 400 when an operator, key or value is invalid
     */
    public static LabelSelector fromLabelSelectorObject(JsonNode selector) {
        if (selector == null || selector.isNull() || selector.isMissingNode()) {
            return NOTHING_SELECTOR;
        }
        if (!selector.isObject()) {
            throw ApiException.badRequest("a label selector must be an object");
        }
        List<Requirement> requirements = new ArrayList<>();
        JsonNode matchLabels = selector.get("matchLabels");
        if (matchLabels != null && matchLabels.isObject()) {
            Map<String, String> sorted = new TreeMap<>();
            for (Map.Entry<String, JsonNode> entry : matchLabels.properties()) {
                sorted.put(entry.getKey(), FieldLabels.render(entry.getValue(), ""));
            }
            sorted.forEach((key, value) -> requirements.add(newRequirement(key, Operator.EQUALS, List.of(value))));
        }
        JsonNode expressions = selector.get("matchExpressions");
        if (expressions != null && expressions.isArray()) {
            for (JsonNode expression : expressions.values()) {
                String key = FieldLabels.render(expression.path("key"), "");
                String op = FieldLabels.render(expression.path("operator"), "");
                Operator operator = switch (op) {
                    case "In" -> Operator.IN;
                    case "NotIn" -> Operator.NOT_IN;
                    case "Exists" -> Operator.EXISTS;
                    case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
                    default -> throw ApiException.badRequest(
                            LabelRules.goQuote(op) + " is not a valid label selector operator");
                };
                JsonNode valuesNode = expression.get("values");
                List<String> values = null; // upstream copies into a nil slice: empty stays nil
                if (valuesNode != null && valuesNode.isArray() && !valuesNode.isEmpty()) {
                    values = new ArrayList<>();
                    for (JsonNode value : valuesNode.values()) {
                        values.add(FieldLabels.render(value, ""));
                    }
                }
                requirements.add(newRequirement(key, operator, values));
            }
        }
        if (requirements.isEmpty()) {
            return EVERYTHING_SELECTOR;
        }
        return new LabelSelector(requirements, false);
    }

    /** An equality selector for a plain map (a service's or replication controller's selector), unvalidated. */
    public static LabelSelector fromMap(Map<String, String> selector) {
        if (selector == null || selector.isEmpty()) {
            return EVERYTHING_SELECTOR;
        }
        List<Requirement> requirements = new ArrayList<>();
        new TreeMap<>(selector).forEach((k, v) -> requirements.add(new Requirement(k, Operator.EQUALS, List.of(v))));
        return new LabelSelector(requirements, false);
    }

    /** Whether an object's labels carry every pair of a plain map selector; an empty or null map matches all. */
    public static boolean matches(Map<String, String> selector, ObjectNode object) {
        if (selector == null || selector.isEmpty()) {
            return true;
        }
        Labels labels = Labels.of(object);
        for (Map.Entry<String, String> entry : selector.entrySet()) {
            if (!entry.getValue().equals(labels.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean matches(ObjectNode object) {
        if (nothing) {
            return false;
        }
        if (requirements.isEmpty()) {
            return true;
        }
        return matches(Labels.of(object));
    }

    public boolean matches(Labels labels) {
        if (nothing) {
            return false;
        }
        for (Requirement requirement : requirements) {
            if (!requirement.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    public boolean matchesLabels(Map<String, String> labels) {
        return matches(Labels.of(labels));
    }

    /** True when the selector does not restrict anything (upstream's {@code Empty()}); false for nothing. */
    public boolean isEmpty() {
        return !nothing && requirements.isEmpty();
    }

    /** True for the selector that matches no object. */
    public boolean isNothing() {
        return nothing;
    }

    /** The requirements, sorted by key. */
    public List<Requirement> requirements() {
        return requirements;
    }

    /**
     * The single value the selector requires for a label (upstream's {@code RequiresExactMatch}): the first
     * requirement on that key, when it is =, == or an "in" with a single value.
     */
    public Optional<String> requiredValue(String key) {
        for (Requirement requirement : requirements) {
            if (requirement.key().equals(key)) {
                return switch (requirement.operator()) {
                    case EQUALS, DOUBLE_EQUALS, IN -> requirement.values().size() == 1
                            ? Optional.of(requirement.values().get(0)) : Optional.empty();
                    default -> Optional.empty();
                };
            }
        }
        return Optional.empty();
    }

    /** Upstream's canonical rendering: requirements sorted by key, joined by commas; "" for everything and nothing. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (Requirement requirement : requirements) {
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(requirement);
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LabelSelector that && nothing == that.nothing
                && requirements.equals(that.requirements);
    }

    @Override
    public int hashCode() {
        return requirements.hashCode() * 31 + (nothing ? 1 : 0);
    }

    /**
     * Upstream's {@code NewRequirement}: validates the key, the number of values for the operator, integers for
     * gt/lt and each value. A null list of values stands for Go's nil slice (it shows in messages).
     *
     * @throws ApiException 400 with the aggregated field errors
     */
    static Requirement newRequirement(String key, Operator operator, List<String> values) {
        try {
            return checkedRequirement(key, operator, values);
        } catch (SyntaxError e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static Requirement checkedRequirement(String key, Operator operator, List<String> values) {
        List<String> vals = values == null ? List.of() : values;
        List<String> errors = new ArrayList<>();
        List<String> keyErrors = LabelRules.labelKeyErrors(key);
        if (!keyErrors.isEmpty()) {
            errors.add(LabelRules.invalid("key", LabelRules.goQuote(key), String.join("; ", keyErrors)));
        }
        switch (operator) {
            case IN, NOT_IN -> {
                if (vals.isEmpty()) {
                    errors.add(LabelRules.invalid("values", LabelRules.goStringSlice(values),
                            "for 'in', 'notin' operators, values set can't be empty"));
                }
            }
            case EQUALS, DOUBLE_EQUALS, NOT_EQUALS -> {
                if (vals.size() != 1) {
                    errors.add(LabelRules.invalid("values", LabelRules.goStringSlice(values),
                            "exact-match compatibility requires one single value"));
                }
            }
            case EXISTS, DOES_NOT_EXIST -> {
                if (!vals.isEmpty()) {
                    errors.add(LabelRules.invalid("values", LabelRules.goStringSlice(values),
                            "values set must be empty for exists and does not exist"));
                }
            }
            case GREATER_THAN, LESS_THAN -> {
                if (vals.size() != 1) {
                    errors.add(LabelRules.invalid("values", LabelRules.goStringSlice(values),
                            "for 'Gt', 'Lt' operators, exactly one value is required"));
                }
                for (int i = 0; i < vals.size(); i++) {
                    if (LabelRules.parseGoInt(vals.get(i)) == null) {
                        errors.add(LabelRules.invalid("values[" + i + "]", LabelRules.goQuote(vals.get(i)),
                                "for 'Gt', 'Lt' operators, the value must be an integer"));
                    }
                }
            }
        }
        for (int i = 0; i < vals.size(); i++) {
            List<String> valueErrors = LabelRules.labelValueErrors(vals.get(i));
            if (!valueErrors.isEmpty()) {
                errors.add(LabelRules.invalid("values[" + i + "][" + key + "]", LabelRules.goQuote(vals.get(i)),
                        String.join("; ", valueErrors)));
            }
        }
        if (!errors.isEmpty()) {
            throw new SyntaxError(LabelRules.aggregate(errors));
        }
        return new Requirement(key, operator, vals);
    }

    /** A parse failure, carrying upstream's message; turned into a 400 at the public entry points. */
    private static final class SyntaxError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SyntaxError(String message) {
            super(message, null, false, false);
        }
    }

    private enum Token {
        ERROR, END_OF_STRING, CLOSED_PAR, COMMA, DOES_NOT_EXIST, DOUBLE_EQUALS, EQUALS, GREATER_THAN, IDENTIFIER, IN,
        LESS_THAN, NOT_EQUALS, NOT_IN, OPEN_PAR
    }

    private record Item(Token token, String literal) {
    }

    private static Token literalToken(String s) {
        return switch (s) {
            case ")" -> Token.CLOSED_PAR;
            case "," -> Token.COMMA;
            case "!" -> Token.DOES_NOT_EXIST;
            case "==" -> Token.DOUBLE_EQUALS;
            case "=" -> Token.EQUALS;
            case ">" -> Token.GREATER_THAN;
            case "in" -> Token.IN;
            case "<" -> Token.LESS_THAN;
            case "!=" -> Token.NOT_EQUALS;
            case "notin" -> Token.NOT_IN;
            case "(" -> Token.OPEN_PAR;
            default -> null;
        };
    }

    /** The lexer of upstream's selector.go, character for character (a NUL reads as the end, as there). */
    private static final class Lexer {
        private final String s;
        private int pos;

        Lexer(String s) {
            this.s = s;
        }

        private char read() {
            if (pos < s.length()) {
                return s.charAt(pos++);
            }
            return 0;
        }

        private void unread() {
            pos--;
        }

        private static boolean isWhitespace(char c) {
            return c == ' ' || c == '\t' || c == '\r' || c == '\n';
        }

        private static boolean isSpecialSymbol(char c) {
            return switch (c) {
                case '=', '!', '(', ')', ',', '>', '<' -> true;
                default -> false;
            };
        }

        Item lex() {
            char c = read();
            while (isWhitespace(c)) {
                c = read();
            }
            if (c == 0) {
                return new Item(Token.END_OF_STRING, "");
            }
            unread();
            return isSpecialSymbol(c) ? scanSpecialSymbol() : scanIdOrKeyword();
        }

        private Item scanIdOrKeyword() {
            StringBuilder buffer = new StringBuilder();
            while (true) {
                char c = read();
                if (c == 0) {
                    break;
                }
                if (isSpecialSymbol(c) || isWhitespace(c)) {
                    unread();
                    break;
                }
                buffer.append(c);
            }
            String literal = buffer.toString();
            Token keyword = literalToken(literal);
            return new Item(keyword != null ? keyword : Token.IDENTIFIER, literal);
        }

        private Item scanSpecialSymbol() {
            Item last = null;
            StringBuilder buffer = new StringBuilder();
            while (true) {
                char c = read();
                if (c == 0) {
                    break;
                }
                if (!isSpecialSymbol(c)) {
                    unread();
                    break;
                }
                buffer.append(c);
                Token token = literalToken(buffer.toString());
                if (token != null) {
                    last = new Item(token, buffer.toString());
                } else if (last != null) {
                    unread();
                    break;
                }
            }
            if (last == null) {
                return new Item(Token.ERROR, "error expected: keyword found '" + buffer + "'");
            }
            return last;
        }
    }

    /** The recursive descent parser of upstream's selector.go, with its messages. */
    private static final class Parser {
        private final List<Item> items = new ArrayList<>();
        private int position;

        Parser(String text) {
            Lexer lexer = new Lexer(text);
            while (true) {
                Item item = lexer.lex();
                items.add(item);
                if (item.token() == Token.END_OF_STRING) {
                    break;
                }
            }
        }

        /** In the values context "in" and "notin" are plain identifiers. */
        private static Item inValues(Item item) {
            return item.token() == Token.IN || item.token() == Token.NOT_IN
                    ? new Item(Token.IDENTIFIER, item.literal()) : item;
        }

        private Item lookahead() {
            return inValues(items.get(position));
        }

        private Item consume() {
            return inValues(items.get(position++));
        }

        private Item consumeOperator() {
            return items.get(position++);
        }

        List<Requirement> parse() {
            List<Requirement> requirements = new ArrayList<>();
            while (true) {
                Item next = lookahead();
                switch (next.token()) {
                    case IDENTIFIER, DOES_NOT_EXIST -> {
                        try {
                            requirements.add(parseRequirement());
                        } catch (SyntaxError e) {
                            throw new SyntaxError("unable to parse requirement: " + e.getMessage());
                        }
                        Item after = consume();
                        switch (after.token()) {
                            case END_OF_STRING -> {
                                return requirements;
                            }
                            case COMMA -> {
                                Item following = lookahead();
                                if (following.token() != Token.IDENTIFIER
                                        && following.token() != Token.DOES_NOT_EXIST) {
                                    throw new SyntaxError("found '" + following.literal()
                                            + "', expected: identifier after ','");
                                }
                            }
                            default -> throw new SyntaxError("found '" + after.literal()
                                    + "', expected: ',' or 'end of string'");
                        }
                    }
                    case END_OF_STRING -> {
                        return requirements;
                    }
                    default -> throw new SyntaxError("found '" + next.literal()
                            + "', expected: !, identifier, or 'end of string'");
                }
            }
        }

        private Requirement parseRequirement() {
            Operator operator = null;
            Item item = consume();
            if (item.token() == Token.DOES_NOT_EXIST) {
                operator = Operator.DOES_NOT_EXIST;
                item = consume();
            }
            if (item.token() != Token.IDENTIFIER) {
                throw new SyntaxError("found '" + item.literal() + "', expected: identifier");
            }
            String key = item.literal();
            List<String> keyErrors = LabelRules.labelKeyErrors(key);
            if (!keyErrors.isEmpty()) {
                // upstream validates with a nil field path here, which prints as "<nil>"
                throw new SyntaxError(LabelRules.invalid("<nil>", LabelRules.goQuote(key),
                        String.join("; ", keyErrors)));
            }
            Token next = lookahead().token();
            if ((next == Token.END_OF_STRING || next == Token.COMMA) && operator != Operator.DOES_NOT_EXIST) {
                operator = Operator.EXISTS;
            }
            if (operator == Operator.EXISTS || operator == Operator.DOES_NOT_EXIST) {
                return checkedRequirement(key, operator, List.of());
            }
            operator = parseOperator();
            List<String> values = switch (operator) {
                case IN, NOT_IN -> parseValues();
                default -> parseExactValue();
            };
            return checkedRequirement(key, operator, values);
        }

        private Operator parseOperator() {
            Item item = consumeOperator();
            return switch (item.token()) {
                case IN -> Operator.IN;
                case EQUALS -> Operator.EQUALS;
                case DOUBLE_EQUALS -> Operator.DOUBLE_EQUALS;
                case GREATER_THAN -> Operator.GREATER_THAN;
                case LESS_THAN -> Operator.LESS_THAN;
                case NOT_IN -> Operator.NOT_IN;
                case NOT_EQUALS -> Operator.NOT_EQUALS;
                default -> throw new SyntaxError("found '" + item.literal()
                        + "', expected: in, notin, =, ==, !=, gt, lt");
            };
        }

        private List<String> parseValues() {
            Item open = consume();
            if (open.token() != Token.OPEN_PAR) {
                throw new SyntaxError("found '" + open.literal() + "' expected: '('");
            }
            Item next = lookahead();
            switch (next.token()) {
                case IDENTIFIER, COMMA -> {
                    TreeSet<String> values = parseIdentifiersList();
                    if (consume().token() != Token.CLOSED_PAR) {
                        throw new SyntaxError("found '" + next.literal() + "', expected: ')'");
                    }
                    return List.copyOf(values);
                }
                case CLOSED_PAR -> {
                    consume();
                    return List.of("");
                }
                default -> throw new SyntaxError("found '" + next.literal()
                        + "', expected: ',', ')' or identifier");
            }
        }

        private TreeSet<String> parseIdentifiersList() {
            TreeSet<String> values = new TreeSet<>();
            while (true) {
                Item item = consume();
                switch (item.token()) {
                    case IDENTIFIER -> {
                        values.add(item.literal());
                        Item next = lookahead();
                        switch (next.token()) {
                            case COMMA -> {
                                // continue with the next identifier
                            }
                            case CLOSED_PAR -> {
                                return values;
                            }
                            default -> throw new SyntaxError("found '" + next.literal()
                                    + "', expected: ',' or ')'");
                        }
                    }
                    case COMMA -> {
                        if (values.isEmpty()) {
                            values.add(""); // "(,"
                        }
                        Token next = lookahead().token();
                        if (next == Token.CLOSED_PAR) {
                            values.add(""); // ",)"
                            return values;
                        }
                        if (next == Token.COMMA) {
                            consume();
                            values.add(""); // ",,"
                        }
                    }
                    default -> throw new SyntaxError("found '" + item.literal() + "', expected: ',', or identifier");
                }
            }
        }

        private List<String> parseExactValue() {
            Token next = lookahead().token();
            if (next == Token.END_OF_STRING || next == Token.COMMA) {
                return List.of("");
            }
            Item item = consume();
            if (item.token() == Token.IDENTIFIER) {
                return List.of(item.literal());
            }
            throw new SyntaxError("found '" + item.literal() + "', expected: identifier");
        }
    }
}
