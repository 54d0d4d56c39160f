package org.cropcast.pipeline.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.cropcast.pipeline.errors.AppErrorCode;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.Redactor;

/**
 * The rules a bound configuration must satisfy beyond its types. Each failure is a one-line
 * {@link CropcastException} of category USER_INPUT: {@code <file>: key '<key>': <rule> (got ...)}.
 */
public final class ConfigValidator {
    public static final List<String> DETRENDS = ConfigEnums.names(Detrend.class);
    public static final List<String> REGRESSIONS = ConfigEnums.names(Regression.class);
    public static final List<String> CV_SCHEMES = ConfigEnums.names(CvScheme.class);
    public static final List<String> FEATURE_LAYOUTS = List.of("wide", "long");
    public static final List<String> REFERENCE_LAYOUTS = List.of("long", "wide");
    public static final int MIN_YEAR = 1800;
    public static final int MAX_YEAR = 2200;
    /** A directory name: the run directories live under {@code runs/<experiment_key>/}. */
    public static final Pattern EXPERIMENT_KEY = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    /** Reference spec names become directories under {@code datasets/}. */
    public static final Pattern SPEC_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** MLflow's limit on experiment names in its SQL schema. */
    public static final int MAX_EXPERIMENT_NAME = 256;

    private final String source;

    private ConfigValidator(String source) {
        this.source = source;
    }

    static void validate(String source, PipelineConfig config) {
        new ConfigValidator(source).validate(config);
    }

    private void validate(PipelineConfig c) {
        String name = required("experiment_name", c.experimentName());
        if (name.length() > MAX_EXPERIMENT_NAME) {
            throw invalid("experiment_name", "must be at most " + MAX_EXPERIMENT_NAME + " characters", name.length() + " characters");
        }
        String key = required("experiment_key", c.experimentKey());
        if (!EXPERIMENT_KEY.matcher(key).matches()) {
            throw invalid("experiment_key", "must be 1-64 characters of a-z, 0-9, '.', '_', '-' starting with a letter or digit", quote(key));
        }
        if (key.equals(".") || key.contains("..")) {
            throw invalid("experiment_key", "must not contain '..'", quote(key));
        }
        String modelName = required("model_name", c.modelName());
        try {
            org.cropcast.tracking.ModelRegistries.validateName(modelName);
        } catch (CropcastException e) {
            throw invalid("model_name", "must be a registered model name: non-empty, no '/' or ':', at most "
                    + org.cropcast.tracking.ModelRegistries.MAX_NAME_LENGTH + " characters", quote(modelName));
        }
        String dataRoot = c.dataRoot();
        if (dataRoot == null || dataRoot.isBlank()) {
            throw new CropcastException(AppErrorCode.CONFIG_MISSING_KEY, source
                    + ": key 'data_root' is required: set it in the file or in the INPUT_DATA_DIR environment variable");
        }
        try {
            Location.of(dataRoot);
        } catch (CropcastException e) {
            throw new CropcastException(AppErrorCode.CONFIG_INVALID_VALUE, source + ": key 'data_root': " + e.getMessage(), e);
        }
        required("random_seed", c.randomSeed());
        int start = required("feature_start_year", c.featureStartYear());
        int end = required("feature_end_year", c.featureEndYear());
        year("feature_start_year", start);
        year("feature_end_year", end);
        if (start > end) {
            throw new CropcastException(AppErrorCode.CONFIG_INVALID_VALUE, source + ": keys 'feature_start_year' and 'feature_end_year': "
                    + "the years are reversed: start " + start + " is after end " + end);
        }
        oneOf("detrend", c.detrend(), DETRENDS);
        String regression = oneOf("regression", c.regression(), REGRESSIONS);
        double alpha = required("ridge_alpha", c.ridgeAlpha());
        if (!(alpha >= 0) || Double.isInfinite(alpha)) {
            throw invalid("ridge_alpha", "must be a finite number >= 0", String.valueOf(alpha));
        }
        if (c.gbt() != null) {
            gbt(c.gbt());
        }
        double threshold = required("production_cumulative_threshold", c.productionCumulativeThreshold());
        if (!(threshold > 0 && threshold <= 1)) {
            throw invalid("production_cumulative_threshold", "must be in (0, 1]", String.valueOf(threshold));
        }
        oneOf("cv_scheme", c.cvScheme(), CV_SCHEMES);
        int minTrain = required("min_train_years", c.minTrainYears());
        if (minTrain < 1) {
            throw invalid("min_train_years", "must be at least 1", String.valueOf(minTrain));
        }
        if (minTrain > end - start) {
            throw invalid("min_train_years", "must leave at least one test year in [feature_start_year, feature_end_year] ("
                    + (end - start + 1) + " years)", String.valueOf(minTrain));
        }
        required("mlflow_tracking_uri", c.mlflowTrackingUri());
        target(c.target());
        if (c.features() != null) {
            features(c.features());
        } else if (Regression.of(regression) != Regression.NONE) {
            throw new CropcastException(AppErrorCode.CONFIG_MISSING_KEY, source
                    + ": key 'features' is required when regression is '" + regression + "' (use regression: none for a trend-only model)");
        }
        references(c.referenceData() == null ? List.of() : c.referenceData());
        if (c.includeRegions() != null) {
            noBlanks("include_regions", c.includeRegions());
        }
        if (c.excludeRegions() != null) {
            noBlanks("exclude_regions", c.excludeRegions());
        }
        if (c.minYearsPerRegion() != null && c.minYearsPerRegion() < 0) {
            throw invalid("min_years_per_region", "must be >= 0", String.valueOf(c.minYearsPerRegion()));
        }
        if (c.initDates() != null) {
            Set<String> seen = new HashSet<>();
            for (String date : c.initDates()) {
                monthDay("init_dates", date);
                if (!seen.add(date)) {
                    throw invalid("init_dates", "must not repeat a date", quote(date));
                }
            }
        }
    }

    private void gbt(PipelineConfig.GbtSpec g) {
        int trees = required("gbt.trees", g.trees());
        if (trees < 1 || trees > 100_000) {
            throw invalid("gbt.trees", "must be 1-100000", String.valueOf(trees));
        }
        int depth = required("gbt.max_depth", g.maxDepth());
        if (depth < 1 || depth > 16) {
            throw invalid("gbt.max_depth", "must be 1-16", String.valueOf(depth));
        }
        double rate = required("gbt.learning_rate", g.learningRate());
        if (!(rate > 0 && rate <= 1)) {
            throw invalid("gbt.learning_rate", "must be in (0, 1]", String.valueOf(rate));
        }
        double subsample = required("gbt.subsample", g.subsample());
        if (!(subsample > 0 && subsample <= 1)) {
            throw invalid("gbt.subsample", "must be in (0, 1]", String.valueOf(subsample));
        }
        double weight = required("gbt.min_child_weight", g.minChildWeight());
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw invalid("gbt.min_child_weight", "must be a finite number >= 0", String.valueOf(weight));
        }
    }

    /** A month-day "MM-DD" (as in init_dates and issue_dates). */
    public static final Pattern MONTH_DAY = Pattern.compile("(\\d{2})-(\\d{2})");

    private void monthDay(String key, String value) {
        if (value == null || !MONTH_DAY.matcher(value).matches()) {
            throw invalid(key, "must be month-day strings \"MM-DD\" (e.g. \"08-01\")", value == null ? "an empty entry" : quote(value));
        }
        try {
            java.time.MonthDay.parse("--" + value);
        } catch (java.time.format.DateTimeParseException e) {
            throw invalid(key, "is not a day of the year", quote(value));
        }
    }

    private void target(PipelineConfig.TargetSpec target) {
        if (target == null) {
            throw missing("target");
        }
        required("target.path", target.path());
        required("target.region_column", target.regionColumn());
        required("target.year_column", target.yearColumn());
        required("target.yield_column", target.yieldColumn());
        pairedFilter("target", target.filterColumn(), target.filterValue());
    }

    private void features(PipelineConfig.FeatureSpec features) {
        required("features.path", features.path());
        String layout = oneOf("features.layout", features.layout(), FEATURE_LAYOUTS);
        required("features.region_column", features.regionColumn());
        required("features.year_column", features.yearColumn());
        if (features.variables() == null || features.variables().isEmpty()) {
            throw missing("features.variables");
        }
        noBlanks("features.variables", features.variables());
        if (layout.equals("long") && (features.period() != null || features.columnPeriods() != null)) {
            throw invalid(features.period() != null ? "features.period" : "features.column_periods", "applies to the wide layout only (long features take their "
                    + "period from features.period_column)", "layout 'long'");
        }
        if (features.period() != null && (features.period() < 0 || features.period() > 12)) {
            throw invalid("features.period", "must be a month 1-12 (0 = no period)", String.valueOf(features.period()));
        }
        if (features.columnPeriods() != null) {
            for (var entry : features.columnPeriods().entrySet()) {
                if (!features.variables().contains(entry.getKey())) {
                    throw invalid("features.column_periods", "must name columns of features.variables " + features.variables(),
                            quote(entry.getKey()));
                }
                Integer period = entry.getValue();
                if (period == null || period < 0 || period > 12) {
                    throw invalid("features.column_periods." + entry.getKey(), "must be a month 1-12 (0 = no period)", String.valueOf(period));
                }
            }
        }
        if (features.squared() != null) {
            for (String variable : features.squared()) {
                if (!features.variables().contains(variable)) {
                    throw invalid("features.squared", "must name variables of features.variables " + features.variables(), quote(variable));
                }
            }
        }
        if (layout.equals("long")) {
            required("features.period_column", features.periodColumn());
            if (features.periods() == null || features.periods().isEmpty()) {
                throw new CropcastException(AppErrorCode.CONFIG_MISSING_KEY,
                        source + ": key 'features.periods' is required when features.layout is 'long'");
            }
            for (Integer period : features.periods()) {
                if (period == null || period < 0) {
                    throw invalid("features.periods", "must be integers >= 0", String.valueOf(period));
                }
            }
        }
    }

    private void references(List<PipelineConfig.ReferenceSpec> specs) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < specs.size(); i++) {
            PipelineConfig.ReferenceSpec spec = specs.get(i);
            String prefix = "reference_data." + i;
            if (spec == null) {
                throw invalid(prefix, "must be a mapping", "an empty entry");
            }
            String name = required(prefix + ".name", spec.name());
            if (!SPEC_NAME.matcher(name).matches()) {
                throw invalid(prefix + ".name", "must be 1-64 characters of letters, digits, '.', '_', '-' (it names the directory datasets/<name>/)", quote(name));
            }
            if (!names.add(name)) {
                throw invalid(prefix + ".name", "must be unique among reference_data (their artefacts would collide under datasets/" + name + "/)", quote(name));
            }
            required(prefix + ".path", spec.path());
            String layout = oneOf(prefix + ".layout", spec.layout(), REFERENCE_LAYOUTS);
            required(prefix + ".region_column", spec.regionColumn());
            required(prefix + ".year_column", spec.yearColumn());
            if (layout.equals("long")) {
                required(prefix + ".value_column", spec.valueColumn());
                required(prefix + ".issue_column", spec.issueColumn());
            } else {
                if (spec.valueColumns() == null || spec.valueColumns().isEmpty()) {
                    throw new CropcastException(AppErrorCode.CONFIG_MISSING_KEY,
                            source + ": key '" + prefix + ".value_columns' is required when layout is 'wide'");
                }
                noBlanks(prefix + ".value_columns", spec.valueColumns());
            }
            pairedFilter(prefix, spec.filterColumn(), spec.filterValue());
            if (spec.issueDates() != null) {
                for (var entry : spec.issueDates().entrySet()) {
                    if (layout.equals("wide") && !spec.valueColumns().contains(entry.getKey())) {
                        throw invalid(prefix + ".issue_dates", "must name issues of value_columns " + spec.valueColumns(),
                                quote(entry.getKey()));
                    }
                    monthDay(prefix + ".issue_dates." + entry.getKey(), entry.getValue());
                }
            }
        }
    }

    private void pairedFilter(String prefix, String column, String value) {
        if ((column == null) != (value == null)) {
            throw new CropcastException(AppErrorCode.CONFIG_MISSING_KEY, source + ": keys '" + prefix + ".filter_column' and '"
                    + prefix + ".filter_value' go together: set both or neither");
        }
    }

    private void year(String key, int year) {
        if (year < MIN_YEAR || year > MAX_YEAR) {
            throw invalid(key, "must be a year in [" + MIN_YEAR + ", " + MAX_YEAR + "]", String.valueOf(year));
        }
    }

    private String oneOf(String key, String value, List<String> allowed) {
        String v = required(key, value);
        if (!allowed.contains(v)) {
            throw invalid(key, "must be one of " + String.join(", ", allowed),
                    quote(v) + Suggestions.closest(v, allowed).map(s -> ", did you mean '" + s + "'?").orElse(""));
        }
        return v;
    }

    private void noBlanks(String key, List<String> values) {
        for (String value : values) {
            if (value == null || value.isBlank()) {
                throw invalid(key, "must not contain empty entries", "an empty entry");
            }
        }
    }

    private <T> T required(String key, T value) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw missing(key);
        }
        return value;
    }

    private CropcastException missing(String key) {
        return new CropcastException(AppErrorCode.CONFIG_MISSING_KEY, source + ": key '" + key + "' is required");
    }

    private CropcastException invalid(String key, String rule, String got) {
        return new CropcastException(AppErrorCode.CONFIG_INVALID_VALUE, source + ": key '" + key + "': " + rule + " (got " + got + ")");
    }

    private static String quote(String value) {
        return "'" + Redactor.truncateForMessage(Redactor.redact(value)) + "'";
    }
}
