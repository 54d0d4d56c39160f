package org.cropcast.pipeline.stages;

import java.util.Arrays;
import java.util.List;
import org.cropcast.pipeline.data.Panel;
import org.cropcast.pipeline.data.ReferenceTable;
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
 *     that have both the reference and an observation (NaN when the national reference is NaN)
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
        double[][][] nationalMasked) {

    static FoldPrediction of(Panel panel, int[] regions, NationalWeights weights, List<ReferenceTable> tables, FittedModel model,
            int year) {
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
            for (int k = 0; k < values.length; k++) {
                double[] ref = references[s][k];
                for (int i = 0; i < n; i++) {
                    ref[i] = values[k][panel.cell(regions[i], year)];
                    boolean both = !Double.isNaN(ref[i]) && !Double.isNaN(observed[i]);
                    masked[i] = both ? predicted[i] : Double.NaN;
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
                nationalTrend, references, nationalReferences, nationalMasked);
    }

    /** The model's skill over the fold's regions. */
    Skill modelSkill() {
        return skill(predicted);
    }

    /** The trend-only baseline's skill over the fold's regions. */
    Skill trendSkill() {
        return skill(trend);
    }

    private Skill skill(double[] estimates) {
        Skill.Accumulator accumulator = new Skill.Accumulator();
        for (int i = 0; i < observed.length; i++) {
            accumulator.add(estimates[i], observed[i]);
        }
        return accumulator.skill();
    }
}
