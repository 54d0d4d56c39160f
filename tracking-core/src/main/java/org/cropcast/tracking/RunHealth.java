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
    /** RUNNING without a readable heartbeat (not written by cropcast): cannot tell. */
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
            return UNKNOWN;
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
