package org.cropcast.pipeline.config;

import java.util.Locale;

/**
 * The per-region trend: a polynomial in {@code t = (year - origin) / 10} of degree 0 ({@code none}:
 * the training mean), 1 ({@code linear}) or 2 ({@code quadratic}).
 */
public enum Detrend {
    NONE(0),
    LINEAR(1),
    QUADRATIC(2);

    private final int degree;

    Detrend(int degree) {
        this.degree = degree;
    }

    public int degree() {
        return degree;
    }

    public int coefficients() {
        return degree + 1;
    }

    /** The fewest training years a region needs: one more than the coefficients, so residuals exist. */
    public int minimumYears() {
        return degree + 2;
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The value a configuration (or a saved model) names; {@code detrend: unknown value ...} otherwise. */
    public static Detrend of(String configName) {
        return ConfigEnums.of(Detrend.class, "detrend", configName);
    }
}
