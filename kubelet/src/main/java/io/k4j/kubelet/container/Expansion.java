package io.k4j.kubelet.container;

import java.util.List;
import java.util.Map;

/**
 * Upstream's $(VAR) expansion for env values, command and args: {@code $(NAME)} becomes the variable's value when it is
 * defined and stays as written when not; {@code $$} is an escaped {@code $}; any other {@code $} is kept as is.
 */
public final class Expansion {

    private Expansion() {
    }

    /** Expands {@code input} against the maps in order (the first holding a name wins). */
    @SafeVarargs
    public static String expand(String input, Map<String, String>... contexts) {
        StringBuilder out = new StringBuilder(input.length());
        int checkpoint = 0;
        for (int cursor = 0; cursor < input.length(); cursor++) {
            if (input.charAt(cursor) != '$' || cursor + 1 >= input.length()) {
                continue;
            }
            out.append(input, checkpoint, cursor);
            char next = input.charAt(cursor + 1);
            int advance = 1;
            if (next == '$') {
                out.append('$');
            } else if (next == '(') {
                int close = input.indexOf(')', cursor + 2);
                if (close < 0) {
                    out.append("$(");
                } else {
                    String name = input.substring(cursor + 2, close);
                    out.append(lookup(name, contexts));
                    advance = close - cursor;
                }
            } else {
                out.append('$').append(next);
            }
            cursor += advance;
            checkpoint = cursor + 1;
        }
        return out.append(input, checkpoint, input.length()).toString();
    }

    /** Expands each of a container's command or args against its final environment. */
    public static List<String> expand(List<String> commandOrArgs, Map<String, String> env) {
        return commandOrArgs == null ? List.of() : commandOrArgs.stream().map(arg -> expand(arg, env)).toList();
    }

    private static String lookup(String name, Map<String, String>[] contexts) {
        for (Map<String, String> context : contexts) {
            String value = context.get(name);
            if (value != null) {
                return value;
            }
        }
        return "$(" + name + ")";
    }
}
