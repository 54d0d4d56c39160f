package org.cropcast.tracking.sync;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.cropcast.tracking.RunId;

/**
 * What a sync did to one run.
 *
 * @param destinationRunId the copy's id (empty when it failed before the copy existed, or in a
 *     dry run that would create it)
 * @param metricPoints, params, tags, artifactFiles, artifactBytes what was written (or would be, in a dry run)
 * @param filesCopiedInStorage how many of the files were copied inside the storage service
 *     (server-side), not streamed through the sync
 * @param datasets dataset inputs linked to the copy
 * @param models logged models created or brought up to date (their files count in {@code artifactFiles}
 *     and {@code artifactBytes})
 * @param modelVersions registered model versions created
 * @param stale the source run is RUNNING but its heartbeat stopped
 * @param finalized the stale source run was ended KILLED ({@code --finalize-stale})
 * @param problems one line each: a conflicting param with both values, a failure, a parent
 *     that could not be mapped, a tag that could not be written to the source
 */
public record RunSyncResult(
        RunId sourceRunId,
        String experimentName,
        String runName,
        Outcome outcome,
        Optional<RunId> destinationRunId,
        long metricPoints,
        int params,
        int tags,
        int artifactFiles,
        long artifactBytes,
        int filesCopiedInStorage,
        int datasets,
        int models,
        int modelVersions,
        boolean stale,
        boolean finalized,
        List<String> problems) {
    /** What happened to the run as a whole. */
    public enum Outcome {
        /** The copy did not exist and was made. */
        CREATED,
        /** The copy existed and got what was new. */
        UPDATED,
        /** The copy was complete: nothing written. */
        UNCHANGED,
        /** A param differs at the destination: it was refused, the rest copied. */
        CONFLICT,
        /** The run could not be synced (the message is in {@code problems}). */
        FAILED
    }

    public RunSyncResult {
        requireNonNull(sourceRunId, "sourceRunId is null");
        requireNonNull(experimentName, "experimentName is null");
        requireNonNull(runName, "runName is null");
        requireNonNull(outcome, "outcome is null");
        requireNonNull(destinationRunId, "destinationRunId is null");
        problems = List.copyOf(requireNonNull(problems, "problems is null"));
    }
}
