package org.cropcast.pipeline.model;

import java.time.LocalDate;
import java.time.MonthDay;

/**
 * What is known on an init date, and the estimate made from it: the one code path that both
 * {@code run forecast} and the hindcast's init dates use.
 *
 * <p>A feature of period (month) m of the target year is <em>observable</em> on an init date once
 * month m has ended ({@code init_date >= first day of month m + 1}); a feature without a period
 * (0) always is. It is <em>present</em> in a region if it is observable and the region has a value
 * for it. A feature that is not present contributes its training mean (z = 0).
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

    /** How many features the mask lets through. */
    public static int count(boolean[] mask) {
        int n = 0;
        for (boolean b : mask) {
            n += b ? 1 : 0;
        }
        return n;
    }

    /**
     * The model's estimate for region {@code modelRegion} (an index into the model's regions) in
     * {@code year}, from the raw feature values at {@code offset} of {@code features} (NaN =
     * missing) cut off by {@code mask}.
     */
    public static Estimate estimate(FittedModel model, int modelRegion, int year, double[] features, int offset, boolean[] mask) {
        double trend = model.trend(modelRegion, year);
        double anomaly = model.anomaly(features, offset, mask);
        int present = 0;
        for (int f = 0; f < mask.length; f++) {
            present += mask[f] && !Double.isNaN(features[offset + f]) ? 1 : 0;
        }
        return new Estimate(trend, anomaly, trend + anomaly, present);
    }
}
