package org.cropcast.pipeline.stages;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Optional;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.pipeline.config.PipelineSettings;
import org.cropcast.tracking.ActiveRun;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.Storage;

/**
 * What a stage gets from the launcher.
 *
 * @param config the resolved, validated configuration (its sections: target, features, reference data)
 * @param settings the same configuration typed once (enums, numbers, the data root)
 * @param runDirectory this invocation's run directory (local or s3://)
 * @param workDirectory a local scratch directory for files before they are uploaded (removed afterwards)
 * @param initDate the forecast's init date (forecast stage only)
 * @param clock the process's clock: metric timestamps
 * @param models the model store, model files and the forecast's registry model (see {@link StageModels})
 * @param allowTrendOnly forecast only: accept a forecast for a year without any feature values
 *     (the trend alone) instead of refusing it
 */
public record StageContext(
        PipelineConfig config,
        PipelineSettings settings,
        ActiveRun run,
        Storage storage,
        Location runDirectory,
        Path workDirectory,
        Optional<LocalDate> initDate,
        Clock clock,
        ProgressListener progress,
        StageModels models,
        boolean allowTrendOnly) {
    public StageContext(PipelineConfig config, PipelineSettings settings, ActiveRun run, Storage storage, Location runDirectory,
            Path workDirectory, Optional<LocalDate> initDate, Clock clock, ProgressListener progress, StageModels models) {
        this(config, settings, run, storage, runDirectory, workDirectory, initDate, clock, progress, models, false);
    }

    public StageContext {
        requireNonNull(config, "config is null");
        requireNonNull(settings, "settings is null");
        requireNonNull(run, "run is null");
        requireNonNull(storage, "storage is null");
        requireNonNull(runDirectory, "runDirectory is null");
        requireNonNull(workDirectory, "workDirectory is null");
        requireNonNull(initDate, "initDate is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(progress, "progress is null");
        requireNonNull(models, "models is null");
    }

    /** Where relative input paths resolve (local or s3://). */
    public Location dataRoot() {
        return settings.dataRoot();
    }

    /** The master seed (config random_seed). */
    public long seed() {
        return settings.randomSeed();
    }
}
