package org.cropcast.pipeline.errors;

import static org.cropcast.tracking.ErrorCategory.INTERNAL;
import static org.cropcast.tracking.ErrorCategory.USER_INPUT;

import org.cropcast.tracking.ErrorCategory;
import org.cropcast.tracking.ErrorCode;

/**
 * Error codes of the forecasting stages (range 3500-3999; the command line and configuration use
 * 3000-3499). Every USER_INPUT code is raised with a one-line message naming the file, the column
 * and, where it helps, the row.
 */
public enum PipelineErrorCode implements ErrorCode {
    /** A configured column is not in the file's header or schema. */
    MISSING_COLUMN(3500, USER_INPUT),
    /** Two rows for the same region and year (after the filter). */
    DUPLICATE_ROW(3501, USER_INPUT),
    /** A cell that should be a number (or an integer year) is not. */
    NON_NUMERIC_VALUE(3502, USER_INPUT),
    /** feature_start_year / feature_end_year reach outside the years present in the data. */
    YEARS_OUTSIDE_DATA(3503, USER_INPUT),
    /** production_cumulative_threshold selects no region (or cannot be applied). */
    EMPTY_SELECTION(3504, USER_INPUT),
    /** A region has fewer training years than the detrend needs in some fold. */
    TOO_FEW_TRAINING_YEARS(3505, USER_INPUT),
    /** The regression design is singular (constant or collinear features, too few rows). */
    SINGULAR_DESIGN(3506, USER_INPUT),
    /** A reference file has no row for any selected region. */
    REFERENCE_MATCHES_NO_REGION(3507, USER_INPUT),
    /** An input file cannot be read or parsed (bad CSV or Parquet, unsupported extension). */
    UNREADABLE_INPUT(3508, USER_INPUT),
    /** The stage's configuration lacks something it needs (a path, a column, an option). */
    INVALID_STAGE_CONFIG(3509, USER_INPUT),
    /** The run directory has no production model, or it does not match the configuration. */
    MODEL_NOT_FOUND(3510, USER_INPUT),
    /** Two names (regions, reference specs and issues) that become the same metric key or column name. */
    NAME_COLLISION(3511, USER_INPUT),
    /** A model file that does not follow its format (no features, a null name, no regions). */
    INVALID_MODEL(3512, USER_INPUT),
    /** An input file's format (by its name's ending) is not one cropcast reads. */
    UNSUPPORTED_FORMAT(3513, USER_INPUT),
    /** No region of the features file matches a region of the target file. */
    FEATURES_MATCH_NO_REGION(3514, USER_INPUT),
    /** A forecast for a year that the features file has no rows for (without --allow-trend-only). */
    NO_FEATURES_FOR_YEAR(3515, USER_INPUT),
    /** include_regions / exclude_regions / min_years_per_region name or leave no usable region. */
    BAD_REGION_SELECTION(3516, USER_INPUT),
    /** A forecast's production model has no model of the features observable on its init date (format version 1). */
    NO_MODEL_FOR_INIT_DATE(3517, USER_INPUT),
    /** Writing an output file failed for a reason that is a bug rather than the storage's fault. */
    OUTPUT_FAILURE(3900, INTERNAL),
    /** The tree learner's native library (XGBoost) failed to load, train, predict or (de)serialise. */
    LEARNER_FAILURE(3910, INTERNAL);

    private final int number;
    private final ErrorCategory category;

    PipelineErrorCode(int number, ErrorCategory category) {
        this.number = number;
        this.category = category;
    }

    @Override
    public int number() {
        return number;
    }

    @Override
    public ErrorCategory category() {
        return category;
    }
}
