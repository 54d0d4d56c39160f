package org.cropcast.pipeline.model;

import java.util.Arrays;

/**
 * CY-Bench's normalised RMSE: per test year the RMSE across regions over the mean observed value
 * of those regions (percent), then the median over the years (folds). Comparable with CY-Bench's
 * published baselines, unlike the pooled RMSE.
 */
public final class NormalizedRmse {
    private double[] values = new double[16];
    private int size;

    /** Adds one year's regions (skipped when it has no pair or a zero mean observed value). */
    public void addYear(Skill.Accumulator year) {
        double value = year.nrmse();
        if (Double.isNaN(value)) {
            return;
        }
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    /** The years added. */
    public int years() {
        return size;
    }

    /** The median over the years (NaN when none). */
    public double median() {
        if (size == 0) {
            return Double.NaN;
        }
        double[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        return size % 2 == 1 ? sorted[size / 2] : (sorted[size / 2 - 1] + sorted[size / 2]) / 2;
    }
}
