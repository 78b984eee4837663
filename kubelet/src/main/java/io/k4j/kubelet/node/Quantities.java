package io.k4j.kubelet.node;

import io.fabric8.kubernetes.api.model.Quantity;

/** Byte counts as the API server's canonical binary-SI quantities ("16384000Ki", "2Gi", "99897356732"). */
final class Quantities {

    private static final String[] SUFFIXES = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};

    private Quantities() {
    }

    static Quantity bytes(long bytes) {
        return new Quantity(binary(bytes));
    }

    /** The largest binary suffix that keeps the number whole, as resource.Quantity's canonical form. */
    static String binary(long bytes) {
        long value = bytes;
        int suffix = 0;
        while (value != 0 && value % 1024 == 0 && suffix < SUFFIXES.length - 1) {
            value /= 1024;
            suffix++;
        }
        return value + SUFFIXES[suffix];
    }
}
