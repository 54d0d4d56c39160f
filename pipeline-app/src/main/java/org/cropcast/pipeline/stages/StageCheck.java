package org.cropcast.pipeline.stages;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.Optional;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.pipeline.config.PipelineSettings;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.Storage;

/**
 * What {@link Stage#check} sees before any run exists: the configuration, the storage, the chosen
 * run directory (which may not exist yet), the model store with the forecast's registry model and
 * the forecast's init date.
 */
public record StageCheck(PipelineConfig config, PipelineSettings settings, Storage storage, Location runDirectory,
        StageModels models, Optional<LocalDate> initDate) {
    public StageCheck {
        requireNonNull(config, "config is null");
        requireNonNull(settings, "settings is null");
        requireNonNull(storage, "storage is null");
        requireNonNull(runDirectory, "runDirectory is null");
        requireNonNull(models, "models is null");
        requireNonNull(initDate, "initDate is null");
    }
}
