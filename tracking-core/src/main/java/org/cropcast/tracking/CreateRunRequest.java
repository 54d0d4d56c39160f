package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What a new run starts with. The store sets the {@code mlflow.runName} and {@code mlflow.user}
 * tags from {@code runName} and {@code userId}, as MLflow does.
 */
public record CreateRunRequest(
        ExperimentId experimentId,
        String runName,
        String userId,
        long startTimeMillis,
        List<Tag> tags) {
    public CreateRunRequest {
        requireNonNull(experimentId, "experimentId is null");
        requireNonNull(runName, "runName is null");
        requireNonNull(userId, "userId is null");
        tags = List.copyOf(requireNonNull(tags, "tags is null"));
    }
}
