package org.cropcast.pipeline.config;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.UriSchemes;

/**
 * The configuration typed once: enums, numbers and locations, from a {@link PipelineConfig} that
 * {@link ConfigLoader} has filled with {@link ConfigDefaults} and checked with
 * {@link ConfigValidator}. Stages read these instead of parsing strings again; they keep only the
 * checks that depend on the data.
 *
 * @param dataRoot where relative input paths resolve (local or an object store)
 * @param featureStartYear first year of the window
 * @param featureEndYear last year of the window
 * @param productionCumulativeThreshold in (0, 1]: the largest producers whose cumulative share reaches it
 * @param minTrainYears the fewest training years of a fold
 * @param fitDatasetFeatures whether {@code datasets/fit.parquet} repeats the features in every fold's rows
 * @param unit the target's unit for plot axes and summaries
 * @param gbt the trees' hyperparameters; present when regression is gbt (or a gbt section is given)
 */
public record PipelineSettings(
        Location dataRoot,
        long randomSeed,
        int featureStartYear,
        int featureEndYear,
        Detrend detrend,
        Regression regression,
        double ridgeAlpha,
        Optional<GbtSettings> gbt,
        double productionCumulativeThreshold,
        CvScheme cvScheme,
        int minTrainYears,
        boolean fitDatasetFeatures,
        String unit) {
    public PipelineSettings {
        requireNonNull(dataRoot, "dataRoot is null");
        requireNonNull(detrend, "detrend is null");
        requireNonNull(regression, "regression is null");
        requireNonNull(cvScheme, "cvScheme is null");
        requireNonNull(gbt, "gbt is null");
        if (regression == Regression.GBT && gbt.isEmpty()) {
            throw new IllegalArgumentException("regression gbt needs its gbt settings");
        }
        requireNonNull(unit, "unit is null");
    }

    /** The typed settings of a loaded configuration (one that went through {@link ConfigLoader}). */
    public static PipelineSettings of(PipelineConfig config) {
        requireNonNull(config, "config is null");
        return new PipelineSettings(
                dataRoot(config),
                config.randomSeed(),
                config.featureStartYear(),
                config.featureEndYear(),
                Detrend.of(config.detrend()),
                Regression.of(config.regression()),
                config.ridgeAlpha(),
                GbtSettings.of(config),
                config.productionCumulativeThreshold(),
                CvScheme.of(config.cvScheme()),
                config.minTrainYears(),
                !Boolean.FALSE.equals(config.fitDatasetFeatures()),
                Optional.ofNullable(config.target()).map(PipelineConfig.TargetSpec::unit).orElse(ConfigDefaults.DEFAULT_UNIT));
    }

    /** The data root of a loaded configuration as a location: the one place {@code data_root} is parsed. */
    public static Location dataRoot(PipelineConfig config) {
        return Location.of(requireNonNull(config.dataRoot(), "data_root is null"));
    }

    /**
     * A path the configuration names (target, features, reference data): a URI or an absolute path
     * as is, otherwise relative to the data root.
     */
    public static Location resolve(Location dataRoot, String configured) {
        if (UriSchemes.hasScheme(configured) || configured.startsWith("/")) {
            return Location.of(configured);
        }
        return dataRoot.resolve(configured);
    }
}
