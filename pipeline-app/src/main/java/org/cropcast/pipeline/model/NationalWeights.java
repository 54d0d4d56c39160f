package org.cropcast.pipeline.model;

import org.cropcast.pipeline.data.Panel;

/**
 * How regions are aggregated to a national value: weighted by area where the target has an area
 * column (the national yield is then total production over total area), else by production, else
 * an unweighted mean. The weight of a region in year Y is its value in Y, or its latest earlier
 * value when Y has none (so forecasts for a year without final figures still aggregate).
 */
public final class NationalWeights {
    public enum Basis {
        AREA,
        PRODUCTION,
        EQUAL
    }

    private final Panel panel;
    private final Basis basis;
    private final double[] values;

    public NationalWeights(Panel panel) {
        this.panel = panel;
        if (any(panel.area())) {
            basis = Basis.AREA;
            values = panel.area();
        } else if (any(panel.production())) {
            basis = Basis.PRODUCTION;
            values = panel.production();
        } else {
            basis = Basis.EQUAL;
            values = null;
        }
    }

    public Basis basis() {
        return basis;
    }

    /** The weight of region {@code r} in {@code year}; NaN when the region has no weight up to then. */
    public double weight(int region, int year) {
        if (basis == Basis.EQUAL) {
            return 1.0;
        }
        int last = Math.min(year, panel.lastYear());
        for (int y = last; y >= panel.firstYear(); y--) {
            double w = values[panel.cell(region, y)];
            if (!Double.isNaN(w)) {
                return w;
            }
        }
        return Double.NaN;
    }

    /**
     * The weighted mean of {@code values[i]} over regions {@code regions[i]} where both the value
     * and {@code paired[i]} exist (so estimate and observation aggregate over the same regions).
     */
    public double aggregate(int[] regions, int year, double[] values, double[] paired) {
        double sum = 0;
        double weights = 0;
        for (int i = 0; i < regions.length; i++) {
            if (Double.isNaN(values[i]) || Double.isNaN(paired[i])) {
                continue;
            }
            double w = weight(regions[i], year);
            if (Double.isNaN(w) || w <= 0) {
                continue;
            }
            sum += w * values[i];
            weights += w;
        }
        return weights > 0 ? sum / weights : Double.NaN;
    }

    private static boolean any(double[] values) {
        for (double v : values) {
            if (!Double.isNaN(v)) {
                return true;
            }
        }
        return false;
    }
}
