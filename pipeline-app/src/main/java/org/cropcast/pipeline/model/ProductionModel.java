package org.cropcast.pipeline.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.ArrayList;
import java.util.List;
import org.cropcast.pipeline.config.Detrend;
import org.cropcast.pipeline.config.Regression;

/**
 * The production model as saved in {@code model/model.json} (format version {@link #VERSION}).
 * Everything needed to forecast without the training data: per-region trend coefficients, the
 * feature schema with its standardisation and coefficients, the training years and a hash of the
 * configuration that produced it.
 *
 * <p>The top-level learner is the all-features model (every feature observable: init dates in
 * {@code init_months}). Since version 2, {@code init_models} holds one model per other observable
 * feature set of the init months January-December, fitted on exactly those features (the trend is
 * the same for all and saved once): a forecast uses the model of the features observable on its
 * init date. A version 1 model has none and serves only init dates that observe every feature.
 */
public record ProductionModel(
        @JsonProperty("format") String format,
        @JsonProperty("version") int version,
        @JsonProperty("config_hash") String configHash,
        @JsonProperty("created_by_run") String createdByRun,
        @JsonProperty("target_unit") String targetUnit,
        @JsonProperty("detrend") String detrend,
        @JsonProperty("regression") String regression,
        @JsonProperty("ridge_alpha") double ridgeAlpha,
        @JsonProperty("trend_origin") int trendOrigin,
        @JsonProperty("trend_scale") double trendScale,
        @JsonProperty("training_years") List<Integer> trainingYears,
        @JsonProperty("training_rows") long trainingRows,
        @JsonProperty("national_weighting") String nationalWeighting,
        @JsonProperty("regions") List<RegionTrend> regions,
        @JsonProperty("intercept") double intercept,
        @JsonProperty("features") List<Feature> features,
        @JsonProperty("gbt") @JsonInclude(JsonInclude.Include.NON_NULL) Trees gbt,
        @JsonProperty("init_months") @JsonInclude(JsonInclude.Include.NON_NULL) List<Integer> initMonths,
        @JsonProperty("init_models") @JsonInclude(JsonInclude.Include.NON_NULL) List<InitModel> initModels) {
    public static final String FORMAT = "cropcast-production-model";
    /** The version written; {@link #READABLE_VERSIONS} are read. */
    public static final int VERSION = 2;
    /** Version 1 (no init models) is still read. */
    public static final java.util.Set<Integer> READABLE_VERSIONS = java.util.Set.of(1, 2);

    /**
     * The model of one observable feature set.
     *
     * @param initMonths the months (1-12) whose init dates observe exactly {@code features}
     * @param regression the learner ({@code none}, {@code ols}, {@code ridge} or {@code gbt}; for
     *     regression auto the one chosen for this set)
     * @param features the observable features (empty when none is), with their standardisation
     */
    public record InitModel(
            @JsonProperty("init_months") List<Integer> initMonths,
            @JsonProperty("regression") String regression,
            @JsonProperty("ridge_alpha") double ridgeAlpha,
            @JsonProperty("training_rows") long trainingRows,
            @JsonProperty("intercept") double intercept,
            @JsonProperty("features") List<Feature> features,
            @JsonProperty("gbt") @JsonInclude(JsonInclude.Include.NON_NULL) Trees gbt) {}

    /** A fitted model of an observable feature set, for {@link #of}. */
    public record InitFit(List<Integer> initMonths, FittedModel model, int[] featurePeriods) {}

    /**
     * The first way this model departs from its format, if any: at least one region, each named
     * once with as many finite trend coefficients as the detrend needs; features (at least one
     * unless the regression is {@code none}) each named, of period 0-12, with finite mean and
     * coefficient and a positive finite standard deviation; training years; finite scalars.
     */
    public java.util.Optional<String> formatProblem() {
        if (regions == null || regions.isEmpty()) {
            return java.util.Optional.of("it has no regions");
        }
        if (features == null) {
            return java.util.Optional.of("it has no 'features' list");
        }
        if (features.isEmpty() && !"none".equals(regression)) {
            return java.util.Optional.of("it has no features but its regression is '" + regression + "'");
        }
        java.util.Optional<String> learner = learnerProblem(regression, gbt, features, "");
        if (learner.isPresent()) {
            return learner;
        }
        if (initModels != null) {
            java.util.Set<Integer> months = new java.util.HashSet<>(initMonths == null ? List.of() : initMonths);
            for (int i = 0; i < initModels.size(); i++) {
                InitModel m = initModels.get(i);
                String name = "init model " + i + " ";
                if (m == null || m.initMonths() == null || m.initMonths().isEmpty() || m.features() == null) {
                    return java.util.Optional.of(name + "has no init months or no features list");
                }
                for (Integer month : m.initMonths()) {
                    if (month == null || month < 1 || month > 12 || !months.add(month)) {
                        return java.util.Optional.of(name + "has init month " + month + " (expected 1-12, each in one model)");
                    }
                }
                if (!Double.isFinite(m.intercept())) {
                    return java.util.Optional.of(name + "has a non-finite intercept");
                }
                if (m.features().isEmpty() && !"none".equals(m.regression())) {
                    return java.util.Optional.of(name + "has no features but its regression is '" + m.regression() + "'");
                }
                java.util.Optional<String> problem = learnerProblem(m.regression(), m.gbt(), m.features(), name);
                if (problem.isPresent()) {
                    return problem;
                }
            }
        }
        if (trainingYears == null || trainingYears.isEmpty() || trainingYears.contains(null)) {
            return java.util.Optional.of("it has no training years");
        }
        if (!Double.isFinite(intercept) || !Double.isFinite(trendScale) || trendScale == 0) {
            return java.util.Optional.of("its intercept or trend scale is not a finite number (trend scale must not be 0)");
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        int coefficients = regions.get(0) == null || regions.get(0).coefficients() == null ? 0 : regions.get(0).coefficients().size();
        for (RegionTrend region : regions) {
            if (region == null || region.region() == null || region.region().isBlank()) {
                return java.util.Optional.of("a region has no name");
            }
            if (!names.add(region.region())) {
                return java.util.Optional.of("region '" + region.region() + "' appears twice");
            }
            if (region.coefficients() == null || region.coefficients().isEmpty() || region.coefficients().size() != coefficients
                    || region.coefficients().stream().anyMatch(c -> c == null || !Double.isFinite(c))) {
                return java.util.Optional.of("region '" + region.region() + "' has missing, non-finite or a different number of trend coefficients");
            }
        }
        return java.util.Optional.empty();
    }

    /** The first problem of a learner: its regression's name, trees iff gbt, each feature valid. */
    private static java.util.Optional<String> learnerProblem(String regression, Trees gbt, List<Feature> features, String name) {
        if (!java.util.Set.of("none", "ols", "ridge", "gbt").contains(String.valueOf(regression))) {
            return java.util.Optional.of(name + "has regression '" + regression + "' (expected none, ols, ridge or gbt)");
        }
        if ("gbt".equals(regression) != (gbt != null)) {
            return java.util.Optional.of(name + "regression '" + regression + "' " + (gbt == null ? "without its 'gbt' trees" : "with 'gbt' trees"));
        }
        if (gbt != null && (!TreeEnsemble.FORMAT.equals(gbt.format()) || gbt.model() == null || gbt.model().isBlank())) {
            return java.util.Optional.of(name + "its gbt trees are not " + TreeEnsemble.FORMAT + " (format '" + gbt.format() + "')");
        }
        for (int i = 0; i < features.size(); i++) {
            Feature f = features.get(i);
            if (f == null || f.name() == null || f.name().isBlank()) {
                return java.util.Optional.of(name + "feature " + i + " has no name");
            }
            if (f.period() < 0 || f.period() > 12) {
                return java.util.Optional.of(name + "feature '" + f.name() + "' has period " + f.period() + " (expected 0-12)");
            }
            if (!Double.isFinite(f.mean()) || !Double.isFinite(f.coefficient()) || !Double.isFinite(f.sd()) || f.sd() <= 0) {
                return java.util.Optional.of(name + "feature '" + f.name()
                        + "' needs a finite mean and coefficient and a positive standard deviation");
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * @param coefficients trend polynomial coefficients in {@code t = (year - trend_origin) / trend_scale},
     *     constant first
     */
    public record RegionTrend(@JsonProperty("region") String region, @JsonProperty("coefficients") List<Double> coefficients) {}

    /**
     * @param period month 1-12 of a long-form feature, 0 for a wide feature
     * @param coefficient on the standardised feature {@code (x - mean) / sd}
     */
    public record Feature(
            @JsonProperty("name") String name,
            @JsonProperty("period") int period,
            @JsonProperty("mean") double mean,
            @JsonProperty("sd") double sd,
            @JsonProperty("coefficient") double coefficient) {}

    /**
     * The trees of a gbt model: the hyperparameters they were grown with and XGBoost's model. On
     * disk the settings are unwrapped beside the other keys: {@code library, trees, max_depth,
     * learning_rate, subsample, min_child_weight, seed, format, model}, the keys and values of the
     * files written before the settings were one type, which still read.
     *
     * @param settings the hyperparameters and seed ({@link org.cropcast.pipeline.config.GbtSettings}, validated on read)
     * @param format {@value TreeEnsemble#FORMAT}
     * @param model XGBoost's UBJSON model, base64
     */
    public record Trees(
            @JsonProperty("library") String library,
            @JsonUnwrapped org.cropcast.pipeline.config.GbtSettings settings,
            @JsonProperty("format") String format,
            @JsonProperty("model") String model) {
        /** Reads the settings as their own type (an unknown or missing key refused), which {@code @JsonUnwrapped} alone would not. */
        private static final com.fasterxml.jackson.databind.ObjectMapper SETTINGS = com.fasterxml.jackson.databind.json.JsonMapper.builder()
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .build();

        /** From {@code model.json}'s flat {@code gbt} object: library, format and model, the rest the settings. */
        @com.fasterxml.jackson.annotation.JsonCreator(mode = com.fasterxml.jackson.annotation.JsonCreator.Mode.DELEGATING)
        static Trees fromJson(java.util.Map<String, Object> json) {
            java.util.Map<String, Object> settings = new java.util.LinkedHashMap<>(json);
            Object library = settings.remove("library");
            Object format = settings.remove("format");
            Object model = settings.remove("model");
            return new Trees(library == null ? null : library.toString(),
                    SETTINGS.convertValue(settings, org.cropcast.pipeline.config.GbtSettings.class),
                    format == null ? null : format.toString(), model == null ? null : model.toString());
        }
    }

    /** The library that grows and reads the trees, as named in {@code gbt.library}. */
    public static final String TREE_LIBRARY = "xgboost4j";

    /**
     * @param initMonths the months whose init dates observe every feature (the top-level model's)
     * @param initFits the models of the other observable feature sets
     * @param gbt the trees' hyperparameters (required when a fitted model has trees)
     */
    public static ProductionModel of(FittedModel fitted, int[] regionIndexes, int[] featurePeriods, int[] trainingYears,
            double ridgeAlpha, java.util.Optional<org.cropcast.pipeline.config.GbtSettings> gbt, String configHash, String runId,
            String unit, String weighting, List<Integer> initMonths, List<InitFit> initFits) {
        int k = fitted.detrend().coefficients();
        List<RegionTrend> regions = new ArrayList<>();
        for (int r : regionIndexes) {
            List<Double> coefficients = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                coefficients.add(fitted.trendCoefficients()[r * k + i]);
            }
            regions.add(new RegionTrend(fitted.regions().get(r), coefficients));
        }
        List<Integer> years = new ArrayList<>();
        for (int year : trainingYears) {
            years.add(year);
        }
        List<InitModel> initModels = new ArrayList<>();
        for (InitFit fit : initFits) {
            FittedModel m = fit.model();
            initModels.add(new InitModel(List.copyOf(fit.initMonths()), m.regression().configName(),
                    m.regression() == Regression.RIDGE ? m.ridgeAlpha() : ridgeAlpha, m.trainingRows(), m.intercept(),
                    features(m, fit.featurePeriods()), trees(m, gbt)));
        }
        return new ProductionModel(FORMAT, VERSION, configHash, runId, unit, fitted.detrend().configName(),
                fitted.regression().configName(), fitted.regression() == Regression.RIDGE ? fitted.ridgeAlpha() : ridgeAlpha,
                fitted.trendOrigin(), FittedModel.TREND_SCALE, years, fitted.trainingRows(), weighting, regions, fitted.intercept(),
                features(fitted, featurePeriods), trees(fitted, gbt), List.copyOf(initMonths), initModels);
    }

    private static List<Feature> features(FittedModel fitted, int[] periods) {
        List<Feature> features = new ArrayList<>();
        for (int f = 0; f < fitted.means().length; f++) {
            features.add(new Feature(fitted.featureNames().get(f), periods[f], fitted.means()[f], fitted.sds()[f],
                    fitted.beta().length == 0 ? 0 : fitted.beta()[f]));
        }
        return features;
    }

    private static Trees trees(FittedModel fitted, java.util.Optional<org.cropcast.pipeline.config.GbtSettings> gbt) {
        return fitted.trees().map(t -> {
            org.cropcast.pipeline.config.GbtSettings g = gbt.orElseThrow(
                    () -> new IllegalArgumentException("a gbt model needs its gbt settings"));
            return new Trees(TREE_LIBRARY, g, TreeEnsemble.FORMAT, t.base64());
        }).orElse(null);
    }

    /**
     * The model to use when exactly the features named {@code observable} (in the model's feature
     * order) are observable: the top-level model when they are all of its features (or it has none),
     * else the init model of those features; empty if this model has none for them.
     */
    public java.util.Optional<FittedModel> modelFor(List<String> observable) {
        List<String> all = features.stream().map(Feature::name).toList();
        if (all.isEmpty() || all.equals(observable)) {
            return java.util.Optional.of(toFitted());
        }
        for (InitModel m : initModels == null ? List.<InitModel>of() : initModels) {
            if (m.features().stream().map(Feature::name).toList().equals(observable)) {
                return java.util.Optional.of(fitted(m.regression(), m.ridgeAlpha(), m.intercept(), m.trainingRows(), m.features(), m.gbt()));
            }
        }
        return java.util.Optional.empty();
    }

    /** The init months each model serves, for messages: "months 9-12: all 6 features; months 1-6: 0 features; months 7: 2 features". */
    public String initMonthsText() {
        List<String> parts = new ArrayList<>();
        if (initMonths != null && !initMonths.isEmpty()) {
            parts.add("months " + ranges(initMonths) + ": all " + features.size() + " features");
        }
        for (InitModel m : initModels == null ? List.<InitModel>of() : initModels) {
            parts.add("months " + ranges(m.initMonths()) + ": " + m.features().size() + " features");
        }
        return parts.isEmpty() ? "only the all-features model (format version " + version + ")" : String.join("; ", parts);
    }

    /** Ascending months as runs: [1, 2, 3, 7, 9, 10] is "1-3, 7, 9-10". */
    private static String ranges(List<Integer> months) {
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < months.size(); i++) {
            int first = months.get(i);
            while (i + 1 < months.size() && months.get(i + 1) == months.get(i) + 1) {
                i++;
            }
            runs.add(first == months.get(i) ? String.valueOf(first) : first + "-" + months.get(i));
        }
        return String.join(", ", runs);
    }

    /** The model as a {@link FittedModel} over its own regions (in the order saved). */
    public FittedModel toFitted() {
        return fitted(regression, ridgeAlpha, intercept, trainingRows, features, gbt);
    }

    private FittedModel fitted(String regression, double ridgeAlpha, double intercept, long trainingRows, List<Feature> features,
            Trees gbt) {
        Detrend d = Detrend.of(detrend);
        int k = d.coefficients();
        double[] coefficients = new double[regions.size() * k];
        List<String> names = new ArrayList<>();
        for (int r = 0; r < regions.size(); r++) {
            names.add(regions.get(r).region());
            for (int i = 0; i < k; i++) {
                coefficients[r * k + i] = regions.get(r).coefficients().get(i);
            }
        }
        int p = features.size();
        double[] beta = new double[p];
        double[] means = new double[p];
        double[] sds = new double[p];
        List<String> featureNames = new ArrayList<>();
        for (int f = 0; f < p; f++) {
            Feature feature = features.get(f);
            featureNames.add(feature.name());
            beta[f] = feature.coefficient();
            means[f] = feature.mean();
            sds[f] = feature.sd();
        }
        java.util.Optional<TreeEnsemble> trees = gbt == null ? java.util.Optional.empty()
                : java.util.Optional.of(TreeEnsemble.fromBase64(gbt.model(), p));
        Regression learner = Regression.of(regression);
        return new FittedModel(d, learner, trendOrigin, names, coefficients, featureNames, intercept,
                beta, means, sds, trainingRows, trees, learner == Regression.RIDGE ? ridgeAlpha : 0);
    }
}
