package org.cropcast.pipeline.model;

import java.time.LocalDate;
import java.time.MonthDay;

/**
 * What is known on an init date, and the estimate made from it: the one code path that both
 * {@code run forecast} and the hindcast's init dates use.
 *
 * <p>A feature of period (month) m of the target year is <em>observable</em> on an init date once
 * month m has ended ({@code init_date >= first day of month m + 1}); a feature without a period
 * (0) always is. Which features are observable depends on the init date's month alone. It is
 * <em>present</em> in a region if it is observable and the region has a value for it.
 *
 * <p>The estimate at an init date is made by the model fitted on exactly the observable features
 * (training years cut off at the same month-day as the test year), so a feature that is not yet
 * observable is not in its design at all; only an observable feature without a value in a region
 * contributes its training mean (z = 0).
 */
public final class FeatureCutoff {
    private FeatureCutoff() {}

    /** The estimate for one region and year. */
    public record Estimate(double trend, double anomaly, double predicted, int present) {}

    /** True if a feature of this period (month 1-12; 0 = no period) of {@code year} is known on {@code initDate}. */
    public static boolean observable(int period, int year, LocalDate initDate) {
        if (period < 1 || period > 12) {
            return true;
        }
        return !initDate.isBefore(LocalDate.of(year, period, 1).plusMonths(1));
    }

    /** The init date of {@code monthDay} in {@code year} (29 February becomes 28 February in other years). */
    public static LocalDate initDate(MonthDay monthDay, int year) {
        return monthDay.atYear(year);
    }

    /** Per feature: observable on {@code initDate} for the target year {@code initDate.getYear()}. */
    public static boolean[] mask(int[] periods, LocalDate initDate) {
        boolean[] mask = new boolean[periods.length];
        for (int f = 0; f < periods.length; f++) {
            mask[f] = observable(periods[f], initDate.getYear(), initDate);
        }
        return mask;
    }

    /** Per feature: observable on {@code monthDay} of the target year (the same in every year). */
    public static boolean[] mask(int[] periods, MonthDay monthDay) {
        return mask(periods, initDate(monthDay, 2001));
    }

    /** All true: every feature (the model "as if known"). */
    public static boolean[] all(int features) {
        boolean[] mask = new boolean[features];
        java.util.Arrays.fill(mask, true);
        return mask;
    }

    /** How many features the mask lets through. */
    public static int count(boolean[] mask) {
        int n = 0;
        for (boolean b : mask) {
            n += b ? 1 : 0;
        }
        return n;
    }

    /**
     * The estimate for region {@code modelRegion} (an index into the model's regions) in
     * {@code year} by {@code model}, the model fitted on the features that {@code mask} lets
     * through, from the raw values of every feature at {@code offset} of {@code features} (NaN =
     * missing): the observable values are gathered in order and handed to the model.
     */
    public static Estimate estimate(FittedModel model, int modelRegion, int year, double[] features, int offset, boolean[] mask) {
        int observable = count(mask);
        if (model.regression() != org.cropcast.pipeline.config.Regression.NONE && model.featureNames().size() != observable) {
            throw new IllegalArgumentException("a model of " + model.featureNames().size() + " features for " + observable
                    + " observable features");
        }
        double[] row = new double[observable];
        int present = 0;
        for (int f = 0, j = 0; f < mask.length; f++) {
            if (mask[f]) {
                double x = features[offset + f];
                row[j++] = x;
                present += Double.isNaN(x) ? 0 : 1;
            }
        }
        double trend = model.trend(modelRegion, year);
        double anomaly = model.anomaly(row, 0, null);
        return new Estimate(trend, anomaly, trend + anomaly, present);
    }
}
