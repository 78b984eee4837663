package io.k4j.scheduler.plugins.noderesources;

/** Small readers for the nested maps of the noderesources plugins' args. */
final class Args {

    private Args() {
    }

    static long number(Object value, long defaultValue, String path) {
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Number number) {
            return number.longValue();
        }
        try {
            return Long.parseLong(value.toString());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(path + ": not a number: " + value);
        }
    }
}
