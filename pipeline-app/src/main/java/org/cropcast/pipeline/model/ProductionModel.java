package org.cropcast.pipeline.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import org.cropcast.pipeline.config.Detrend;
import org.cropcast.pipeline.config.Regression;

/**
 * The production model as saved in {@code model/model.json} (format version {@link #VERSION}).
 * Everything needed to forecast without the training data: per-region trend coefficients, the
 * feature schema with its standardisation and coefficients, the training years and a hash of the
 * configuration that produced it.
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
        @JsonProperty("gbt") @JsonInclude(JsonInclude.Include.NON_NULL) Trees gbt) {
    public static final String FORMAT = "cropcast-production-model";
    public static final int VERSION = 1;

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
        if ("gbt".equals(regression) != (gbt != null)) {
            return java.util.Optional.of("regression '" + regression + "' " + (gbt == null ? "without its 'gbt' trees" : "with 'gbt' trees"));
        }
        if (gbt != null && (!TreeEnsemble.FORMAT.equals(gbt.format()) || gbt.model() == null || gbt.model().isBlank())) {
            return java.util.Optional.of("its gbt trees are not " + TreeEnsemble.FORMAT + " (format '" + gbt.format() + "')");
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
        for (int i = 0; i < features.size(); i++) {
            Feature f = features.get(i);
            if (f == null || f.name() == null || f.name().isBlank()) {
                return java.util.Optional.of("feature " + i + " has no name");
            }
            if (f.period() < 0 || f.period() > 12) {
                return java.util.Optional.of("feature '" + f.name() + "' has period " + f.period() + " (expected 0-12)");
            }
            if (!Double.isFinite(f.mean()) || !Double.isFinite(f.coefficient()) || !Double.isFinite(f.sd()) || f.sd() <= 0) {
                return java.util.Optional.of("feature '" + f.name() + "' needs a finite mean and coefficient and a positive standard deviation");
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
     * The trees of a gbt model: the hyperparameters they were grown with and XGBoost's model.
     *
     * @param format {@value TreeEnsemble#FORMAT}
     * @param model XGBoost's UBJSON model, base64
     */
    public record Trees(
            @JsonProperty("library") String library,
            @JsonProperty("trees") int trees,
            @JsonProperty("max_depth") int maxDepth,
            @JsonProperty("learning_rate") double learningRate,
            @JsonProperty("subsample") double subsample,
            @JsonProperty("min_child_weight") double minChildWeight,
            @JsonProperty("seed") long seed,
            @JsonProperty("format") String format,
            @JsonProperty("model") String model) {}

    /** The library that grows and reads the trees, as named in {@code gbt.library}. */
    public static final String TREE_LIBRARY = "xgboost4j";

    /** @param gbt the trees' hyperparameters (required when the fitted model has trees) */
    public static ProductionModel of(FittedModel fitted, int[] regionIndexes, int[] featurePeriods, int[] trainingYears,
            double ridgeAlpha, java.util.Optional<org.cropcast.pipeline.config.GbtSettings> gbt, String configHash, String runId,
            String unit, String weighting) {
        int k = fitted.detrend().coefficients();
        List<RegionTrend> regions = new ArrayList<>();
        for (int r : regionIndexes) {
            List<Double> coefficients = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                coefficients.add(fitted.trendCoefficients()[r * k + i]);
            }
            regions.add(new RegionTrend(fitted.regions().get(r), coefficients));
        }
        List<Feature> features = new ArrayList<>();
        for (int f = 0; f < fitted.beta().length; f++) {
            features.add(new Feature(fitted.featureNames().get(f), featurePeriods[f], fitted.means()[f], fitted.sds()[f],
                    fitted.beta()[f]));
        }
        List<Integer> years = new ArrayList<>();
        for (int year : trainingYears) {
            years.add(year);
        }
        return new ProductionModel(FORMAT, VERSION, configHash, runId, unit, fitted.detrend().configName(),
                fitted.regression().configName(), ridgeAlpha, fitted.trendOrigin(), FittedModel.TREND_SCALE, years,
                fitted.trainingRows(), weighting, regions, fitted.intercept(), features,
                fitted.trees().map(t -> {
                    org.cropcast.pipeline.config.GbtSettings g = gbt.orElseThrow(
                            () -> new IllegalArgumentException("a gbt model needs its gbt settings"));
                    return new Trees(TREE_LIBRARY, g.trees(), g.maxDepth(), g.learningRate(), g.subsample(), g.minChildWeight(),
                            g.seed(), TreeEnsemble.FORMAT, t.base64());
                }).orElse(null));
    }

    /** The model as a {@link FittedModel} over its own regions (in the order saved). */
    public FittedModel toFitted() {
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
        return new FittedModel(d, Regression.of(regression), trendOrigin, names, coefficients, featureNames, intercept,
                beta, means, sds, trainingRows, trees);
    }
}
