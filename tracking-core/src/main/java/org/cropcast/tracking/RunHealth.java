package org.cropcast.tracking;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether a run is alive, judged by its heartbeat tag ({@value RunTags#HEARTBEAT}, epoch millis),
 * which the run scope refreshes while the run is open. A RUNNING run whose heartbeat is older
 * than the threshold was most likely killed (SIGKILL, power loss) and is {@link #STALE}; it can be
 * resumed.
 */
public enum RunHealth {
    /** RUNNING with a fresh heartbeat. */
    ALIVE,
    /** RUNNING with a heartbeat older than the threshold: the process is gone. */
    STALE,
    /** RUNNING without a readable heartbeat and not made by cropcast (no {@value RunTags#STAGE} tag): cannot tell. */
    UNKNOWN,
    /** Not RUNNING: finished, failed, killed or scheduled. */
    ENDED;

    /** The heartbeat interval the run scope uses by default. */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(30);
    /** Four missed heartbeats. */
    public static final Duration DEFAULT_STALE_AFTER = DEFAULT_HEARTBEAT_INTERVAL.multipliedBy(4);

    public static RunHealth of(Run run, Instant now, Duration staleAfter) {
        if (run.info().status() != RunStatus.RUNNING) {
            return ENDED;
        }
        String heartbeat = run.data().tags().get(RunTags.HEARTBEAT);
        if (heartbeat == null) {
            // a cropcast run without a heartbeat (made before the heartbeat went in with the run
            // itself): its start time is its last sign of life
            if (!run.data().tags().containsKey(RunTags.STAGE)) {
                return UNKNOWN;
            }
            heartbeat = Long.toString(run.info().startTimeMillis());
        }
        long millis;
        try {
            millis = Long.parseLong(heartbeat.strip());
        } catch (NumberFormatException e) {
            return UNKNOWN;
        }
        return now.toEpochMilli() - millis > staleAfter.toMillis() ? STALE : ALIVE;
    }
}
