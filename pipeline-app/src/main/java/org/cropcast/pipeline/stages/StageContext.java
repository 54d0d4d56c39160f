package org.cropcast.pipeline.stages;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Optional;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.tracking.ActiveRun;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.Storage;

/**
 * What a stage gets from the command line.
 *
 * @param config the resolved, validated configuration
 * @param dataRoot where relative input paths resolve (local or s3://)
 * @param runDirectory this invocation's run directory (local or s3://)
 * @param workDirectory a local scratch directory for files before they are uploaded (removed afterwards)
 * @param initDate the forecast's init date (forecast stage only)
 * @param seed the master seed (config random_seed)
 * @param models the model store, model files and the forecast's registry model (see {@link StageModels})
 * @param allowTrendOnly forecast only: accept a forecast for a year without any feature values
 *     (the trend alone) instead of refusing it
 */
public record StageContext(
        PipelineConfig config,
        ActiveRun run,
        Storage storage,
        Location dataRoot,
        Location runDirectory,
        Path workDirectory,
        Optional<LocalDate> initDate,
        long seed,
        ProgressListener progress,
        StageModels models,
        boolean allowTrendOnly) {
    public StageContext(PipelineConfig config, ActiveRun run, Storage storage, Location dataRoot, Location runDirectory,
            Path workDirectory, Optional<LocalDate> initDate, long seed, ProgressListener progress, StageModels models) {
        this(config, run, storage, dataRoot, runDirectory, workDirectory, initDate, seed, progress, models, false);
    }

    public StageContext {
        requireNonNull(config, "config is null");
        requireNonNull(run, "run is null");
        requireNonNull(storage, "storage is null");
        requireNonNull(dataRoot, "dataRoot is null");
        requireNonNull(runDirectory, "runDirectory is null");
        requireNonNull(workDirectory, "workDirectory is null");
        requireNonNull(initDate, "initDate is null");
        requireNonNull(progress, "progress is null");
        requireNonNull(models, "models is null");
    }
}
