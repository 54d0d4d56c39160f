package org.cropcast.pipeline.model;

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
        @JsonProperty("features") List<Feature> features) {
    public static final String FORMAT = "cropcast-production-model";
    public static final int VERSION = 1;

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

    public static ProductionModel of(FittedModel fitted, int[] regionIndexes, int[] featurePeriods, int[] trainingYears,
            double ridgeAlpha, String configHash, String runId, String unit, String weighting) {
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
                fitted.trainingRows(), weighting, regions, fitted.intercept(), features);
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
        return new FittedModel(d, Regression.of(regression), trendOrigin, names, coefficients, featureNames, intercept,
                beta, means, sds, trainingRows);
    }
}
