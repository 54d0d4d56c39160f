package org.cropcast.pipeline.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One experiment's configuration, bound from YAML (snake_case keys). Unknown keys are rejected.
 * Validation beyond types lives in {@code ConfigValidator}; every field is documented in
 * {@code docs/CONFIGURATION.md}.
 */
public record PipelineConfig(
        @JsonProperty("experiment_name") String experimentName,
        @JsonProperty("experiment_key") String experimentKey,
        @JsonProperty("random_seed") Long randomSeed,
        /** From the file, or the INPUT_DATA_DIR environment variable when absent. */
        @JsonProperty("data_root") String dataRoot,
        @JsonProperty("feature_start_year") Integer featureStartYear,
        @JsonProperty("feature_end_year") Integer featureEndYear,
        /** none, linear or quadratic. */
        @JsonProperty("detrend") String detrend,
        /** none (trend only), ols, ridge or gbt (gradient-boosted trees, XGBoost). */
        @JsonProperty("regression") String regression,
        /** Ridge penalty on standardised features (regression: ridge). */
        @JsonProperty("ridge_alpha") Double ridgeAlpha,
        /** regression gbt: the boosted trees' hyperparameters (defaults filled only for gbt). */
        @JsonProperty("gbt") GbtSpec gbt,
        /** In (0, 1]: the largest producers whose cumulative production share reaches it. */
        @JsonProperty("production_cumulative_threshold") Double productionCumulativeThreshold,
        /** leave_one_year_out or expanding_window. */
        @JsonProperty("cv_scheme") String cvScheme,
        /** Minimum training years of a fold (expanding window starts here). */
        @JsonProperty("min_train_years") Integer minTrainYears,
        @JsonProperty("mlflow_tracking_uri") String mlflowTrackingUri,
        @JsonProperty("target") TargetSpec target,
        @JsonProperty("features") FeatureSpec features,
        @JsonProperty("reference_data") List<ReferenceSpec> referenceData,
        /**
         * hindcast: whether datasets/fit.parquet repeats the feature columns in every fold's rows
         * (default true). With false they are written once to datasets/features.parquet (region,
         * year, features), which keeps very large panels small and fast.
         */
        @JsonProperty("fit_dataset_features") Boolean fitDatasetFeatures,
        /** The registered model fit-production adds a version to (default: the experiment key). */
        @JsonProperty("model_name") String modelName,
        /** Only these target regions (exact names); absent = every region. */
        @JsonProperty("include_regions") List<String> includeRegions,
        /** Never these target regions (exact names). */
        @JsonProperty("exclude_regions") List<String> excludeRegions,
        /** Drop regions with fewer target years than this in [feature_start_year, feature_end_year] (said in the summary). */
        @JsonProperty("min_years_per_region") Integer minYearsPerRegion,
        /**
         * hindcast: the init dates (month-day, "MM-DD") at which each fold is also evaluated with the
         * features cut off as {@code run forecast} cuts them on that day of the test year.
         */
        @JsonProperty("init_dates") List<String> initDates) {

    /** The region x year panel: the target (yield) and optional weights. */
    public record TargetSpec(
            /** CSV or Parquet, relative to data_root or absolute. */
            @JsonProperty("path") String path,
            @JsonProperty("region_column") String regionColumn,
            @JsonProperty("year_column") String yearColumn,
            @JsonProperty("yield_column") String yieldColumn,
            @JsonProperty("area_column") String areaColumn,
            @JsonProperty("production_column") String productionColumn,
            /** Optional row filter: only rows whose filter_column equals filter_value. */
            @JsonProperty("filter_column") String filterColumn,
            @JsonProperty("filter_value") String filterValue,
            /** Unit of the target for plot axes, e.g. "t/ha" or "bu/acre". */
            @JsonProperty("unit") String unit) {
        public Optional<String> area() {
            return Optional.ofNullable(areaColumn);
        }

        public Optional<String> production() {
            return Optional.ofNullable(productionColumn);
        }
    }

    /** Features: wide (one column per feature) or long (region, year, period, variables). */
    public record FeatureSpec(
            @JsonProperty("path") String path,
            /** wide or long. */
            @JsonProperty("layout") String layout,
            @JsonProperty("region_column") String regionColumn,
            @JsonProperty("year_column") String yearColumn,
            /** long layout: the period column (e.g. month 1-12). */
            @JsonProperty("period_column") String periodColumn,
            /** wide: feature columns; long: variable columns pivoted per period. */
            @JsonProperty("variables") List<String> variables,
            /** long layout: which periods to pivot (e.g. [5, 6, 7, 8]); features named {variable}_m{period:02}. */
            @JsonProperty("periods") List<Integer> periods,
            /**
             * wide layout: the period (month 1-12) of every column, so that it is observable only
             * once that month has ended; 0 or absent = no period (known at any init date).
             */
            @JsonProperty("period") Integer period,
            /** wide layout: the period of individual columns (overrides {@code period}). */
            @JsonProperty("column_periods") Map<String, Integer> columnPeriods,
            /**
             * Engineered terms: for each listed variable, the square of every feature made from it
             * ({@code <feature>_sq}, same period), so a linear model can bend (too hot hurts).
             */
            @JsonProperty("squared") List<String> squared) {}

    /**
     * Gradient-boosted regression trees of the anomaly (XGBoost, squared error, seeded by
     * {@code random_seed}, one thread: the same data give the same trees).
     */
    public record GbtSpec(
            /** Boosting rounds (trees). */
            @JsonProperty("trees") Integer trees,
            /** Depth of each tree. */
            @JsonProperty("max_depth") Integer maxDepth,
            /** Shrinkage of each tree (XGBoost's eta), in (0, 1]. */
            @JsonProperty("learning_rate") Double learningRate,
            /** Share of the training rows each tree sees, in (0, 1]. */
            @JsonProperty("subsample") Double subsample,
            /** The least hessian (rows, for squared error) in a leaf. */
            @JsonProperty("min_child_weight") Double minChildWeight) {}

    /** Official estimates to compare against. */
    public record ReferenceSpec(
            /** Unique; artefacts land under datasets/{name}/. */
            @JsonProperty("name") String name,
            @JsonProperty("path") String path,
            /** long (one row per issue) or wide (one column per issue). */
            @JsonProperty("layout") String layout,
            @JsonProperty("region_column") String regionColumn,
            @JsonProperty("year_column") String yearColumn,
            /** long: the estimate column. */
            @JsonProperty("value_column") String valueColumn,
            /** long: the issue column (CONAB's levantamento 1-12). */
            @JsonProperty("issue_column") String issueColumn,
            /** wide: the estimate columns, in issue order (NASS fcst_aug ... fcst_nov). */
            @JsonProperty("value_columns") List<String> valueColumns,
            @JsonProperty("filter_column") String filterColumn,
            @JsonProperty("filter_value") String filterValue,
            /**
             * How the year column is written: {@code integer} (default) or {@code crop_year_harvest}
             * ("2017/18" read as the harvest year 2018, as in CONAB's levantamentos).
             */
            @JsonProperty("year_format") String yearFormat,
            /**
             * When each issue is published, as month-day ("MM-DD") by issue (for a wide layout the
             * value column name, for a long one the issue value): the hindcast compares an issue with
             * the model at that init date.
             */
            @JsonProperty("issue_dates") Map<String, String> issueDates) {}
}
