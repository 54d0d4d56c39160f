package org.cropcast.pipeline.stages;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.pipeline.data.Panel;
import org.cropcast.pipeline.errors.PipelineErrorCode;
import org.cropcast.pipeline.model.Detrend;
import org.cropcast.pipeline.model.Regression;
import org.cropcast.tracking.CropcastException;

/**
 * The stage-relevant configuration with its defaults applied and checked against the data.
 *
 * @param startYear first year of the window (feature_start_year, default the first target year)
 * @param endYear last year of the window (feature_end_year, default the last target year)
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
    static final double DEFAULT_RIDGE_ALPHA = 1.0;

    enum CvScheme {
        LEAVE_ONE_YEAR_OUT,
        EXPANDING_WINDOW;

        static CvScheme parse(String text) {
            if (text == null) {
                return LEAVE_ONE_YEAR_OUT;
            }
            for (CvScheme scheme : values()) {
                if (scheme.name().equalsIgnoreCase(text.trim())) {
                    return scheme;
                }
            }
            throw new CropcastException(PipelineErrorCode.INVALID_STAGE_CONFIG,
                    "cv_scheme: unknown value '" + text + "' (expected leave_one_year_out or expanding_window)");
        }

        String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One fold: its test year and the years it trains on. */
    record Fold(int testYear, int[] trainYears) {
        String key() {
            return Integer.toString(testYear);
        }

        String label() {
            return "fold " + testYear + " (test year " + testYear + ")";
        }
    }

    static StageSettings resolve(PipelineConfig config, Panel panel) {
        Detrend detrend = Detrend.parse(config.detrend());
        Regression regression = Regression.parse(config.regression());
        double alpha = Optional.ofNullable(config.ridgeAlpha()).orElse(DEFAULT_RIDGE_ALPHA);
        if (regression == Regression.RIDGE && !(alpha >= 0)) {
            throw new CropcastException(PipelineErrorCode.INVALID_STAGE_CONFIG, "ridge_alpha must be >= 0, got " + alpha);
        }
        if (regression != Regression.NONE && panel.featureCount() == 0) {
            throw new CropcastException(PipelineErrorCode.INVALID_STAGE_CONFIG,
                    "regression " + regression.configName() + " needs features: configure the features section or use regression: none");
        }
        int[] range = panel.targetYearRange();
        int start = Optional.ofNullable(config.featureStartYear()).orElse(range[0]);
        int end = Optional.ofNullable(config.featureEndYear()).orElse(range[1]);
        if (start > end) {
            throw new CropcastException(PipelineErrorCode.YEARS_OUTSIDE_DATA,
                    "feature_start_year " + start + " is after feature_end_year " + end);
        }
        if (start < range[0] || end > range[1]) {
            throw new CropcastException(PipelineErrorCode.YEARS_OUTSIDE_DATA, panel.targetFile() + ": years " + start + "-"
                    + end + " (feature_start_year-feature_end_year) reach outside the target's years " + range[0] + "-" + range[1]);
        }
        CvScheme scheme = CvScheme.parse(config.cvScheme());
        int minTrain = Optional.ofNullable(config.minTrainYears()).orElse(Math.max(5, detrend.minimumYears()));
        if (minTrain < 1) {
            throw new CropcastException(PipelineErrorCode.INVALID_STAGE_CONFIG, "min_train_years must be >= 1, got " + minTrain);
        }
        return new StageSettings(detrend, regression, alpha, Optional.ofNullable(config.productionCumulativeThreshold()),
                scheme, minTrain, start, end);
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
