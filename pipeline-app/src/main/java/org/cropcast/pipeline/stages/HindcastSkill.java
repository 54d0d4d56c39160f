package org.cropcast.pipeline.stages;

import java.util.ArrayList;
import java.util.List;
import org.cropcast.pipeline.model.NormalizedRmse;
import org.cropcast.pipeline.model.Skill;

/**
 * The hindcast's skill over all folds, accumulated fold by fold from each {@link FoldPrediction}
 * (primitive accumulators, nothing kept per row but the summary scatter): the model and the trend
 * over all region-years, nationally and per region, and each reference issue against both.
 */
final class HindcastSkill {
    final Skill.Accumulator modelAll = new Skill.Accumulator();
    final Skill.Accumulator trendAll = new Skill.Accumulator();
    final Skill.Accumulator modelNational = new Skill.Accumulator();
    final Skill.Accumulator trendNational = new Skill.Accumulator();
    final Skill.Accumulator[] modelRegion;
    final Skill.Accumulator[] trendRegion;
    /** [spec][issue][ref, model, trend] for regions and nationally. */
    final Skill.Accumulator[][][] refRegions;
    final Skill.Accumulator[][][] refNational;
    /** The median over test years of each year's nRMSE (CY-Bench), model and trend. */
    final NormalizedRmse modelNrmse = new NormalizedRmse();
    final NormalizedRmse trendNrmse = new NormalizedRmse();
    /** Test region-years with at least one missing feature value (they use the training mean for it). */
    long testCellsMissingFeatures;

    /** The test years, in fold order, and their national [observed, predicted, trend]. */
    final List<Double> years = new ArrayList<>();
    final List<double[]> national = new ArrayList<>();
    /** Every region-year's observed and predicted value, for the summary scatter. */
    final double[] observed;
    final double[] predicted;
    int count;

    /** @param issues the number of issues of each reference spec */
    HindcastSkill(int regionCount, int cells, int[] issues) {
        modelRegion = accumulators(regionCount);
        trendRegion = accumulators(regionCount);
        observed = new double[cells];
        predicted = new double[cells];
        refRegions = new Skill.Accumulator[issues.length][][];
        refNational = new Skill.Accumulator[issues.length][][];
        for (int s = 0; s < issues.length; s++) {
            refRegions[s] = new Skill.Accumulator[issues[s]][];
            refNational[s] = new Skill.Accumulator[issues[s]][];
            for (int k = 0; k < issues[s]; k++) {
                refRegions[s][k] = accumulators(3);
                refNational[s][k] = accumulators(3);
            }
        }
    }

    void add(FoldPrediction fold, int[] regions) {
        for (int i = 0; i < regions.length; i++) {
            int r = regions[i];
            double obs = fold.observed()[i];
            modelAll.add(fold.predicted()[i], obs);
            trendAll.add(fold.trend()[i], obs);
            modelRegion[r].add(fold.predicted()[i], obs);
            trendRegion[r].add(fold.trend()[i], obs);
            observed[count] = obs;
            predicted[count++] = fold.predicted()[i];
        }
        for (int s = 0; s < refRegions.length; s++) {
            for (int k = 0; k < refRegions[s].length; k++) {
                double[] ref = fold.references()[s][k];
                for (int i = 0; i < regions.length; i++) {
                    double obs = fold.observed()[i];
                    if (!Double.isNaN(ref[i]) && !Double.isNaN(obs)) {
                        refRegions[s][k][0].add(ref[i], obs);
                        refRegions[s][k][1].add(fold.issueModel()[s][k][i], obs);
                        refRegions[s][k][2].add(fold.trend()[i], obs);
                    }
                }
                double nationalRef = fold.nationalReferences()[s][k];
                if (!Double.isNaN(nationalRef)) {
                    double[] masked = fold.nationalMasked()[s][k];
                    refNational[s][k][0].add(nationalRef, masked[0]);
                    refNational[s][k][1].add(masked[1], masked[0]);
                    refNational[s][k][2].add(masked[2], masked[0]);
                }
            }
        }
        modelNrmse.addYear(fold.modelAccumulator());
        trendNrmse.addYear(fold.trendAccumulator());
        testCellsMissingFeatures += fold.missingFeatureCells();
        modelNational.add(fold.nationalPredicted(), fold.nationalObserved());
        trendNational.add(fold.nationalTrend(), fold.nationalObserved());
        years.add((double) fold.year());
        national.add(new double[] {fold.nationalObserved(), fold.nationalPredicted(), fold.nationalTrend()});
    }

    private static Skill.Accumulator[] accumulators(int n) {
        Skill.Accumulator[] out = new Skill.Accumulator[n];
        for (int i = 0; i < n; i++) {
            out[i] = new Skill.Accumulator();
        }
        return out;
    }
}
