package org.cropcast.pipeline.report;

import java.util.Locale;

/** Numbers as the terminal prints metric values outside the skill tables (runs show, sweeps). */
public final class Numbers {
    private Numbers() {}

    /** An integer as such, otherwise six significant digits without trailing zeros; NaN and infinities by name. */
    public static String significant(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return String.valueOf(value);
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.valueOf((long) value);
        }
        return String.format(Locale.ROOT, "%.6g", value).replaceAll("(\\.\\d*?)0+(e|$)", "$1$2").replaceAll("\\.(e|$)", "$1");
    }
}
