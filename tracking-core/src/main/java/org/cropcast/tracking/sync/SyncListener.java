package org.cropcast.tracking.sync;

import org.cropcast.tracking.Run;

/**
 * Hears a sync's progress (a progress bar, log lines). With a parallelism above 1 it is called from
 * several threads at once: implementations synchronize.
 */
public interface SyncListener {
    SyncListener NONE = new SyncListener() {};

    /** The runs selected, parents included, before the first is synced. */
    default void planned(int runs) {}

    /** A run is about to be synced ({@code index} from 0). */
    default void runStarted(int index, Run source) {}

    /** Metric points written (or, in a dry run, that would be). */
    default void metricPoints(long count) {}

    /** Artifact bytes copied (or, in a dry run, that would be). */
    default void bytes(long count) {}

    default void runFinished(RunSyncResult result) {}
}
