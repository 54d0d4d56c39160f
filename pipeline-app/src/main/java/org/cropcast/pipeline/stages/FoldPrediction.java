package org.cropcast.pipeline.stages;

import java.time.MonthDay;
import java.util.Arrays;
import java.util.List;
import org.cropcast.pipeline.data.Panel;
import org.cropcast.pipeline.data.ReferenceTable;
import org.cropcast.pipeline.model.FeatureCutoff;
import org.cropcast.pipeline.model.FittedModel;
import org.cropcast.pipeline.model.NationalWeights;
import org.cropcast.pipeline.model.Skill;

/**
 * One hindcast fold's predictions for its test year, computed and nothing written: per selected
 * region (in the order of {@code regions}) and nationally, with the reference estimates beside
 * them. The hindcast writes these into {@code pred.parquet}, metrics and plots.
 *
 * @param predictedByRegion the prediction by panel region index (NaN for regions not selected)
 * @param references [spec][issue][i]: each reference estimate at each selected region
 * @param nationalReferences [spec][issue]: each reference aggregated nationally
 * @param nationalMasked [spec][issue][observed, model, trend]: national aggregates over the regions
 *     that have both the reference and an observation (NaN when the national reference is NaN); the
 *     model is the one as of the issue's date when the issue has one (issue_dates)
 * @param asOf per init date and reference issue date: the estimate at each selected region of the
 *     model fitted on the features observable that day, from the test year's values of those
 *     features, as {@code run forecast} makes it
 * @param issueModel [spec][issue][i]: the model's estimate each reference issue is compared with
 * @param missingFeatureCells observed test region-years with at least one missing feature value
 */
record FoldPrediction(
        int year,
        double[] observed,
        double[] trend,
        double[] anomaly,
        double[] predicted,
        double[] predictedByRegion,
        double nationalObserved,
        double nationalPredicted,
        double nationalTrend,
        double[][][] references,
        double[][] nationalReferences,
        double[][][] nationalMasked,
        java.util.Map<MonthDay, double[]> asOf,
        double[][][] issueModel,
        int missingFeatureCells) {

    /**
     * @param model the all-features model ("as if known")
     * @param modelAt the fold's model fitted on the features observable on a month-day
     */
    static FoldPrediction of(Panel panel, int[] regions, NationalWeights weights, List<ReferenceTable> tables, FittedModel model,
            java.util.function.Function<MonthDay, FittedModel> modelAt, int year, List<MonthDay> initDates, MonthDay[][] issueDates) {
        int n = regions.length;
        int p = panel.featureCount();
        double[] observed = new double[n];
        double[] trend = new double[n];
        double[] anomaly = new double[n];
        double[] predicted = new double[n];
        double[] predictedByRegion = new double[panel.regionCount()];
        Arrays.fill(predictedByRegion, Double.NaN);
        for (int i = 0; i < n; i++) {
            int r = regions[i];
            int cell = panel.cell(r, year);
            observed[i] = panel.target()[cell];
            trend[i] = model.trend(r, year);
            anomaly[i] = model.anomaly(panel.features(), cell * p, null);
            predicted[i] = trend[i] + anomaly[i];
            predictedByRegion[r] = predicted[i];
        }
        int missingFeatureCells = 0;
        for (int i = 0; i < n; i++) {
            int cell = panel.cell(regions[i], year);
            if (!Double.isNaN(observed[i]) && missingFeature(panel, cell)) {
                missingFeatureCells++;
            }
        }
        // the same cut-off as run forecast, at each init date and at each reference issue's date
        java.util.Map<MonthDay, double[]> asOf = new java.util.HashMap<>();
        for (MonthDay date : initDates) {
            asOf.put(date, estimates(panel, regions, modelAt.apply(date), year, date));
        }
        for (MonthDay[] dates : issueDates) {
            for (MonthDay date : dates) {
                if (date != null) {
                    asOf.computeIfAbsent(date, d -> estimates(panel, regions, modelAt.apply(d), year, d));
                }
            }
        }
        double[][][] issueModel = new double[tables.size()][][];
        double nationalObserved = weights.aggregate(regions, year, observed, predicted);
        double nationalPredicted = weights.aggregate(regions, year, predicted, observed);
        double nationalTrend = weights.aggregate(regions, year, trend, observed);
        double[][][] references = new double[tables.size()][][];
        double[][] nationalReferences = new double[tables.size()][];
        double[][][] nationalMasked = new double[tables.size()][][];
        double[] masked = new double[n];
        double[] maskedObserved = new double[n];
        double[] maskedTrend = new double[n];
        for (int s = 0; s < tables.size(); s++) {
            double[][] values = tables.get(s).values();
            references[s] = new double[values.length][n];
            nationalReferences[s] = new double[values.length];
            nationalMasked[s] = new double[values.length][];
            issueModel[s] = new double[values.length][];
            for (int k = 0; k < values.length; k++) {
                double[] ref = references[s][k];
                double[] modelForIssue = issueDates[s][k] == null ? predicted : asOf.get(issueDates[s][k]);
                issueModel[s][k] = modelForIssue;
                for (int i = 0; i < n; i++) {
                    ref[i] = values[k][panel.cell(regions[i], year)];
                    boolean both = !Double.isNaN(ref[i]) && !Double.isNaN(observed[i]);
                    masked[i] = both ? modelForIssue[i] : Double.NaN;
                    maskedTrend[i] = both ? trend[i] : Double.NaN;
                    maskedObserved[i] = both ? observed[i] : Double.NaN;
                }
                double nationalRef = weights.aggregate(regions, year, ref, maskedObserved);
                nationalReferences[s][k] = nationalRef;
                nationalMasked[s][k] = Double.isNaN(nationalRef)
                        ? new double[] {Double.NaN, Double.NaN, Double.NaN}
                        : new double[] {weights.aggregate(regions, year, maskedObserved, maskedObserved),
                            weights.aggregate(regions, year, masked, maskedObserved),
                            weights.aggregate(regions, year, maskedTrend, maskedObserved)};
            }
        }
        return new FoldPrediction(year, observed, trend, anomaly, predicted, predictedByRegion, nationalObserved, nationalPredicted,
                nationalTrend, references, nationalReferences, nationalMasked, asOf, issueModel, missingFeatureCells);
    }

    /** Per selected region (in {@code regions} order): the estimate on {@code monthDay} of {@code year} by {@code model}, fitted on the features observable then. */
    private static double[] estimates(Panel panel, int[] regions, FittedModel model, int year, MonthDay monthDay) {
        boolean[] mask = FeatureCutoff.mask(panel.featurePeriods(), FeatureCutoff.initDate(monthDay, year));
        int p = panel.featureCount();
        double[] out = new double[regions.length];
        for (int i = 0; i < regions.length; i++) {
            int cell = panel.cell(regions[i], year);
            out[i] = FeatureCutoff.estimate(model, regions[i], year, panel.features(), cell * p, mask).predicted();
        }
        return out;
    }

    private static boolean missingFeature(Panel panel, int cell) {
        int p = panel.featureCount();
        for (int f = 0; f < p; f++) {
            if (Double.isNaN(panel.features()[cell * p + f])) {
                return true;
            }
        }
        return false;
    }

    /** The model's skill over the fold's regions. */
    Skill modelSkill() {
        return modelAccumulator().skill();
    }

    /** The model's accumulated errors over the fold's regions (for the fold's nRMSE). */
    Skill.Accumulator modelAccumulator() {
        return accumulator(predicted);
    }

    /** The trend-only baseline's accumulated errors over the fold's regions. */
    Skill.Accumulator trendAccumulator() {
        return accumulator(trend);
    }

    /** The trend-only baseline's skill over the fold's regions. */
    Skill trendSkill() {
        return trendAccumulator().skill();
    }

    private Skill.Accumulator accumulator(double[] estimates) {
        Skill.Accumulator accumulator = new Skill.Accumulator();
        for (int i = 0; i < observed.length; i++) {
            accumulator.add(estimates[i], observed[i]);
        }
        return accumulator;
    }
}
