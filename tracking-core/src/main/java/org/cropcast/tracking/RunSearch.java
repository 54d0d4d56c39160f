package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A search over the runs of one experiment, newest first (by start time, then run id).
 *
 * @param status only runs with this status, when present
 * @param maxResults at most this many runs (1 to 50,000, as MLflow allows)
 */
public record RunSearch(ExperimentId experimentId, Optional<RunStatus> status, int maxResults) {
    public static final int MAX_RESULTS_LIMIT = 50_000;

    public RunSearch {
        requireNonNull(experimentId, "experimentId is null");
        requireNonNull(status, "status is null");
        if (maxResults < 1 || maxResults > MAX_RESULTS_LIMIT) {
            throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT,
                    "maxResults must be in [1, " + MAX_RESULTS_LIMIT + "], got " + maxResults);
        }
    }

    public static RunSearch all(ExperimentId experimentId) {
        return new RunSearch(experimentId, Optional.empty(), 1000);
    }
}
