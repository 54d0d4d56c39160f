package org.cropcast.pipeline.model;

import java.time.MonthDay;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cropcast.pipeline.config.Detrend;
import org.cropcast.pipeline.config.GbtSettings;
import org.cropcast.pipeline.config.Regression;
import org.cropcast.pipeline.data.Panel;

/**
 * One {@link FoldFitter} per observable feature set: the model used at an init date is fitted on
 * exactly the features observable that day ({@link FeatureCutoff}), the training years' features
 * cut off at the same month-day as the test year's. A set that lets every feature through is the
 * all-features fitter ("as if known"); an empty set is the trend alone (regression none). Fitters
 * are made on first use and shared by the init dates whose sets are equal.
 */
public final class InitDateFitters {
    private final int[] periods;
    private final FoldFitter all;
    private final Map<String, FoldFitter> fitters = new HashMap<>();

    public InitDateFitters(Panel panel, BitSet selected, Detrend detrend, Regression regression, double ridgeAlpha,
            Optional<GbtSettings> gbt, int origin) {
        this.periods = panel.featurePeriods();
        this.all = new FoldFitter(panel, selected, detrend, regression, ridgeAlpha, gbt, origin);
    }

    /** "110010": the mask as a key (one character per feature). */
    public static String key(boolean[] mask) {
        StringBuilder out = new StringBuilder(mask.length);
        for (boolean b : mask) {
            out.append(b ? '1' : '0');
        }
        return out.toString();
    }

    /** The fitter of the model on the features that {@code mask} lets through. */
    public FoldFitter fitter(boolean[] mask) {
        return fitters.computeIfAbsent(key(mask), k -> all.withFeatures(mask));
    }

    /** The all-features fitter (every feature as if known). */
    public FoldFitter all() {
        return all;
    }

    /** The mask of the features observable on {@code monthDay}. */
    public boolean[] mask(MonthDay monthDay) {
        return FeatureCutoff.mask(periods, monthDay);
    }

    /**
     * The distinct observable feature sets over the init months January to December, each with
     * the months whose init dates observe it, in month order; the all-features set among them
     * only if some month observes every feature.
     */
    public static List<ObservableSet> sets(int[] periods) {
        List<ObservableSet> out = new ArrayList<>();
        for (int month = 1; month <= 12; month++) {
            boolean[] mask = FeatureCutoff.mask(periods, MonthDay.of(month, 1));
            ObservableSet last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && key(last.mask()).equals(key(mask))) {
                last.months().add(month);
            } else {
                List<Integer> months = new ArrayList<>();
                months.add(month);
                out.add(new ObservableSet(mask, months));
            }
        }
        return out;
    }

    /** The features observable at init dates in {@code months} (1-12). */
    public record ObservableSet(boolean[] mask, List<Integer> months) {}
}
