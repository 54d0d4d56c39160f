package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An MLflow 3 logged model: an entity of an experiment with its own artifact location
 * ({@code <experiment artifact location>/models/<model id>/artifacts}), usually produced by a
 * source run, with params, tags and metrics of its own.
 */
public record LoggedModel(ModelId modelId, ExperimentId experimentId, String name, String artifactLocation,
        long creationTimeMillis, long lastUpdatedTimeMillis, LoggedModelStatus status, Optional<RunId> sourceRunId,
        Optional<String> modelType, Map<String, String> params, Map<String, String> tags, List<ModelMetric> metrics) {
    public LoggedModel {
        requireNonNull(modelId, "modelId is null");
        requireNonNull(experimentId, "experimentId is null");
        requireNonNull(name, "name is null");
        requireNonNull(artifactLocation, "artifactLocation is null");
        requireNonNull(status, "status is null");
        requireNonNull(sourceRunId, "sourceRunId is null");
        requireNonNull(modelType, "modelType is null");
        params = Map.copyOf(params);
        tags = Map.copyOf(tags);
        metrics = List.copyOf(metrics);
    }

    public LoggedModel withStatus(LoggedModelStatus newStatus, long updatedMillis) {
        return new LoggedModel(modelId, experimentId, name, artifactLocation, creationTimeMillis, updatedMillis, newStatus,
                sourceRunId, modelType, params, tags, metrics);
    }

    public LoggedModel withTags(Map<String, String> newTags) {
        return new LoggedModel(modelId, experimentId, name, artifactLocation, creationTimeMillis, lastUpdatedTimeMillis, status,
                sourceRunId, modelType, params, newTags, metrics);
    }

    public LoggedModel withMetrics(List<ModelMetric> newMetrics) {
        return new LoggedModel(modelId, experimentId, name, artifactLocation, creationTimeMillis, lastUpdatedTimeMillis, status,
                sourceRunId, modelType, params, tags, newMetrics);
    }

    /** The model's {@code models:/<model id>} URI. */
    public String uri() {
        return ModelUri.PREFIX + modelId.value();
    }
}
