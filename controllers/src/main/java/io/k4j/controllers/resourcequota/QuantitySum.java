package io.k4j.controllers.resourcequota;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A running total of quantities printed as upstream's resource.Quantity prints a sum: in the format (binary or
 * decimal suffixes) of the first non-zero quantity added, with the largest suffix that keeps the number whole.
 */
final class QuantitySum {

    private static final String[] DECIMAL_SUFFIXES = {"n", "u", "m", "", "k", "M", "G", "T", "P", "E"};
    private static final String[] BINARY_SUFFIXES = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    private static final BigDecimal KIBI = BigDecimal.valueOf(1024);

    private BigDecimal total = BigDecimal.ZERO;
    private Boolean binary;

    void add(Quantity quantity) {
        BigDecimal amount = Quantity.getAmountInBytes(quantity);
        if (binary == null && amount.signum() != 0) {
            String format = quantity.getFormat() == null ? "" : quantity.getFormat();
            binary = format.endsWith("i");
        }
        total = total.add(amount);
    }

    /** Adds an amount (in base units) printed like {@code formatOf}. */
    void add(BigDecimal amount, Quantity formatOf) {
        if (binary == null && amount.signum() != 0 && formatOf != null) {
            String format = formatOf.getFormat() == null ? "" : formatOf.getFormat();
            binary = format.endsWith("i");
        }
        total = total.add(amount);
    }

    BigDecimal amount() {
        return total;
    }

    @Override
    public String toString() {
        return format(total, Boolean.TRUE.equals(binary));
    }

    static String format(BigDecimal value, boolean binary) {
        if (value.signum() == 0) {
            return "0";
        }
        if (binary && isWhole(value)) {
            BigDecimal scaled = value;
            int suffix = 0;
            while (suffix < BINARY_SUFFIXES.length - 1 && isWhole(scaled.divide(KIBI))) {
                scaled = scaled.divide(KIBI);
                suffix++;
            }
            if (suffix > 0 || scaled.abs().compareTo(KIBI) < 0) {
                return plain(scaled) + BINARY_SUFFIXES[suffix];
            }
        }
        // Decimal: the largest power of 1000 (down to nano) that leaves a whole number, rounding up below nano.
        int exponent = -9;
        BigDecimal scaled = value.movePointRight(9).setScale(0, java.math.RoundingMode.CEILING);
        while (exponent < 18 && scaled.remainder(BigDecimal.valueOf(1000)).signum() == 0) {
            scaled = scaled.movePointLeft(3);
            exponent += 3;
        }
        return plain(scaled) + DECIMAL_SUFFIXES[exponent / 3 + 3];
    }

    private static boolean isWhole(BigDecimal value) {
        return value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
    }

    private static String plain(BigDecimal value) {
        BigInteger whole = value.setScale(0, java.math.RoundingMode.UNNECESSARY).toBigInteger();
        return whole.toString();
    }
}
