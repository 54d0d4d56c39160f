package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A version of a registered model: its source ({@code models:/<model id>} for an MLflow 3 logged
 * model), the run that produced it, the logged model, where its files are, and its aliases.
 */
public record ModelVersion(String name, int version, long creationTimeMillis, long lastUpdatedTimeMillis, String source,
        Optional<RunId> runId, Optional<ModelId> modelId, String status, String storageLocation, List<String> aliases) {
    public ModelVersion {
        requireNonNull(name, "name is null");
        requireNonNull(source, "source is null");
        requireNonNull(runId, "runId is null");
        requireNonNull(modelId, "modelId is null");
        requireNonNull(status, "status is null");
        requireNonNull(storageLocation, "storageLocation is null");
        aliases = List.copyOf(aliases);
        if (version < 1) {
            throw new CropcastException(ModelErrorCode.INVALID_MODEL_ARGUMENT, "model version numbers start at 1, not " + version);
        }
    }

    /** {@code models:/NAME/VERSION}. */
    public String uri() {
        return ModelUri.PREFIX + name + "/" + version;
    }
}
