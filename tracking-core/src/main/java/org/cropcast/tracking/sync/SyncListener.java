package org.cropcast.tracking.sync;

import org.cropcast.tracking.Run;
import org.cropcast.tracking.RunId;

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

    /**
     * What a run's copy is about to get, once the sync has compared both sides (not called in a dry
     * run, nor for an unchanged run): metric points, files (the run's and its new models') and their bytes.
     */
    default void runPlanned(RunId run, long metricPoints, int files, long bytes) {}

    /** Metric points of the run written (or, in a dry run, that would be). */
    default void metricPoints(RunId run, long count) {}

    /** Artifact bytes of the run copied so far, reported while a file streams (or, in a dry run, that would be). */
    default void bytes(RunId run, long count) {}

    default void runFinished(RunSyncResult result) {}
}
