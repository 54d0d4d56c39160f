package org.cropcast.pipeline.stages;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.cropcast.pipeline.config.CvScheme;
import org.cropcast.pipeline.config.Detrend;
import org.cropcast.pipeline.config.PipelineSettings;
import org.cropcast.pipeline.config.Regression;
import org.cropcast.pipeline.data.Panel;
import org.cropcast.pipeline.errors.PipelineErrorCode;
import org.cropcast.tracking.CropcastException;

/**
 * The stage-relevant settings, typed once in {@link PipelineSettings}, checked against the data:
 * the window must lie within the target's years, and a regression needs features.
 *
 * @param startYear first year of the window (feature_start_year)
 * @param endYear last year of the window (feature_end_year)
 */
record StageSettings(
        Detrend detrend,
        Regression regression,
        double ridgeAlpha,
        Optional<Double> threshold,
        CvScheme cvScheme,
        int minTrainYears,
        int startYear,
        int endYear) {
    /** One fold: its test year and the years it trains on. */
    record Fold(int testYear, int[] trainYears) {
        String key() {
            return Integer.toString(testYear);
        }

        String label() {
            return "fold " + testYear + " (test year " + testYear + ")";
        }
    }

    static StageSettings resolve(PipelineSettings settings, Panel panel) {
        Regression regression = settings.regression();
        if (regression != Regression.NONE && panel.featureCount() == 0) {
            throw new CropcastException(PipelineErrorCode.INVALID_STAGE_CONFIG,
                    "regression " + regression.configName() + " needs features: configure the features section or use regression: none");
        }
        int[] range = panel.targetYearRange();
        int start = settings.featureStartYear();
        int end = settings.featureEndYear();
        if (start < range[0] || end > range[1]) {
            throw new CropcastException(PipelineErrorCode.YEARS_OUTSIDE_DATA, panel.targetFile() + ": years " + start + "-"
                    + end + " (feature_start_year-feature_end_year) reach outside the target's years " + range[0] + "-" + range[1]);
        }
        return new StageSettings(settings.detrend(), regression, settings.ridgeAlpha(),
                Optional.of(settings.productionCumulativeThreshold()), settings.cvScheme(), settings.minTrainYears(), start, end);
    }

    int[] windowYears() {
        int[] years = new int[endYear - startYear + 1];
        for (int i = 0; i < years.length; i++) {
            years[i] = startYear + i;
        }
        return years;
    }

    /** The folds: one per test year in the window that leaves at least min_train_years to train on. */
    List<Fold> folds() {
        List<Fold> folds = new ArrayList<>();
        for (int test = startYear; test <= endYear; test++) {
            int[] train;
            if (cvScheme == CvScheme.LEAVE_ONE_YEAR_OUT) {
                train = new int[endYear - startYear];
                int i = 0;
                for (int year = startYear; year <= endYear; year++) {
                    if (year != test) {
                        train[i++] = year;
                    }
                }
            } else {
                train = new int[test - startYear];
                for (int i = 0; i < train.length; i++) {
                    train[i] = startYear + i;
                }
            }
            if (train.length >= minTrainYears) {
                folds.add(new Fold(test, train));
            }
        }
        if (folds.isEmpty()) {
            throw new CropcastException(PipelineErrorCode.TOO_FEW_TRAINING_YEARS, "years " + startYear + "-" + endYear
                    + " leave no fold with min_train_years " + minTrainYears + " under " + cvScheme.configName());
        }
        return folds;
    }
}
