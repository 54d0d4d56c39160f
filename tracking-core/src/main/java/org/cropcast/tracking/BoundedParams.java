package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * The few configuration values logged as run params, so MLflow's run comparison view can line
 * runs up. Exactly {@link #KEYS}, each prefixed by the stage ({@code hindcast/random_seed}) so
 * stages sharing a run never collide. The full configuration is logged beside them as
 * {@code config_resolved.yaml}. A golden test pins the key set: renaming a configuration field
 * must not silently change what the comparison view shows.
 */
public record BoundedParams(
        long randomSeed,
        String dataRoot,
        int featureStartYear,
        int featureEndYear,
        String experimentName,
        String experimentKey,
        String detrend,
        String regression,
        double productionCumulativeThreshold) {
    /** The param names, in logging order, before the stage prefix. */
    public static final List<String> KEYS = List.of(
            "random_seed",
            "data_root",
            "feature_start_year",
            "feature_end_year",
            "experiment_name",
            "experiment_key",
            "detrend",
            "regression",
            "production_cumulative_threshold");

    public BoundedParams {
        requireNonNull(dataRoot, "dataRoot is null");
        requireNonNull(experimentName, "experimentName is null");
        requireNonNull(experimentKey, "experimentKey is null");
        requireNonNull(detrend, "detrend is null");
        requireNonNull(regression, "regression is null");
    }

    /** The params for one stage, in {@link #KEYS} order; the data root is redacted. */
    public List<Param> toParams(String stage) {
        TrackingLimits.validateKey("stage", stage);
        List<String> values = List.of(
                Long.toString(randomSeed),
                Redactor.redact(dataRoot),
                Integer.toString(featureStartYear),
                Integer.toString(featureEndYear),
                experimentName,
                experimentKey,
                detrend,
                regression,
                Double.toString(productionCumulativeThreshold));
        List<Param> params = new ArrayList<>(KEYS.size());
        for (int i = 0; i < KEYS.size(); i++) {
            params.add(new Param(stage + "/" + KEYS.get(i), values.get(i)));
        }
        return List.copyOf(params);
    }
}
