package org.cropcast.pipeline.stages;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.cropcast.tracking.ArtifactStore;
import org.cropcast.tracking.LoggedModel;
import org.cropcast.tracking.ModelStore;

/**
 * What a stage uses for MLflow 3 models and lineage: the model store of the run's tracking backend
 * (logged models, registry, run inputs/outputs), the artifact store for model files (written to
 * the model's own artifact location), and, for a forecast from the registry, the logged model it
 * uses.
 */
public record StageModels(ModelStore store, ArtifactStore artifacts, Optional<LoggedModel> forecastModel) {
    public StageModels {
        requireNonNull(store, "store is null");
        requireNonNull(artifacts, "artifacts is null");
        requireNonNull(forecastModel, "forecastModel is null");
    }
}
