package org.cropcast.tracking.sync;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.RunHealth;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.TrackingErrorCode;

/**
 * What to sync.
 *
 * @param experiments source experiments by name (all their active runs); with {@code runs}, the
 *     union of both; both empty means every active experiment
 * @param runs source runs by id (active or deleted)
 * @param dryRun report what would be copied, write nothing on either side
 * @param finalizeStale end RUNNING source runs whose heartbeat stopped as KILLED, on both sides
 * @param staleAfter a RUNNING run's heartbeat older than this makes it stale ({@link RunHealth})
 * @param parallelism how many runs are synced at once (1 to {@value #MAX_PARALLELISM}); a child
 *     always after its parent
 */
public record SyncRequest(List<String> experiments, List<RunId> runs, boolean dryRun, boolean finalizeStale, Duration staleAfter,
        int parallelism) {
    public static final int MAX_PARALLELISM = 64;

    /** One run at a time. */
    public SyncRequest(List<String> experiments, List<RunId> runs, boolean dryRun, boolean finalizeStale, Duration staleAfter) {
        this(experiments, runs, dryRun, finalizeStale, staleAfter, 1);
    }

    public SyncRequest {
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT,
                    "parallelism must be in [1, " + MAX_PARALLELISM + "], got " + parallelism);
        }
        experiments = List.copyOf(requireNonNull(experiments, "experiments is null"));
        runs = List.copyOf(requireNonNull(runs, "runs is null"));
        requireNonNull(staleAfter, "staleAfter is null");
        if (staleAfter.isNegative() || staleAfter.isZero()) {
            throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT, "staleAfter must be positive, got " + staleAfter);
        }
        if (dryRun && finalizeStale) {
            throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT,
                    "--dry-run writes nothing, so it cannot --finalize-stale: choose one");
        }
    }

    /** Every active run of every experiment. */
    public static SyncRequest everything() {
        return new SyncRequest(List.of(), List.of(), false, false, RunHealth.DEFAULT_STALE_AFTER);
    }

    public SyncRequest withDryRun(boolean dryRun) {
        return new SyncRequest(experiments, runs, dryRun, finalizeStale, staleAfter, parallelism);
    }

    public SyncRequest withFinalizeStale(boolean finalizeStale) {
        return new SyncRequest(experiments, runs, dryRun, finalizeStale, staleAfter, parallelism);
    }

    public SyncRequest withExperiments(List<String> experiments) {
        return new SyncRequest(experiments, runs, dryRun, finalizeStale, staleAfter, parallelism);
    }

    public SyncRequest withParallelism(int parallelism) {
        return new SyncRequest(experiments, runs, dryRun, finalizeStale, staleAfter, parallelism);
    }

    public SyncRequest withRuns(List<RunId> runs) {
        return new SyncRequest(experiments, runs, dryRun, finalizeStale, staleAfter, parallelism);
    }
}
