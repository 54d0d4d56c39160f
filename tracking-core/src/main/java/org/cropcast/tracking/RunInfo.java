package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A run's identity and state.
 *
 * @param artifactUri the run's artifact root as MLflow records it ({@code file:///...},
 *     {@code s3://...}, {@code mlflow-artifacts:/...}, {@code memory:/...})
 * @param startTimeMillis milliseconds since the epoch
 * @param endTimeMillis present once the run has ended
 */
public record RunInfo(
        RunId runId,
        ExperimentId experimentId,
        String runName,
        String userId,
        RunStatus status,
        long startTimeMillis,
        Optional<Long> endTimeMillis,
        String artifactUri,
        LifecycleStage lifecycleStage) {
    public RunInfo {
        requireNonNull(runId, "runId is null");
        requireNonNull(experimentId, "experimentId is null");
        requireNonNull(runName, "runName is null");
        requireNonNull(userId, "userId is null");
        requireNonNull(status, "status is null");
        requireNonNull(endTimeMillis, "endTimeMillis is null");
        requireNonNull(artifactUri, "artifactUri is null");
        requireNonNull(lifecycleStage, "lifecycleStage is null");
    }
}
