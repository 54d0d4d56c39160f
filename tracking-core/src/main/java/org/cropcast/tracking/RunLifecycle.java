package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of one open run, shared by {@link TrackedRun} (the pipeline's runs) and
 * {@link EmbeddedRun} (runs another tool opens through {@link Tracking}): a daemon thread (the
 * run's own, or one a {@link Tracking} shares among its runs) refreshes the {@value RunTags#HEARTBEAT} tag, an optional shutdown hook ends the run KILLED on
 * SIGINT/SIGTERM, and the run ends exactly once. Thread-safe.
 */
final class RunLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(RunLifecycle.class);

    private final RunStore runStore;
    private final Clock clock;
    private final RunId runId;
    private final Object endLock = new Object();
    private volatile boolean ended;
    private ScheduledExecutorService ownHeartbeat;
    private ScheduledFuture<?> heartbeat;
    private Thread shutdownHook;

    RunLifecycle(RunStore runStore, Clock clock, RunId runId) {
        this.runStore = requireNonNull(runStore, "runStore is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.runId = requireNonNull(runId, "runId is null");
    }

    /** Starts the heartbeat on a thread of its own and, if {@code endOnShutdown}, installs the shutdown hook. */
    void start(Duration heartbeatInterval, boolean endOnShutdown) {
        ownHeartbeat = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "cropcast-heartbeat-" + runId);
            thread.setDaemon(true);
            return thread;
        });
        start(heartbeatInterval, endOnShutdown, ownHeartbeat);
    }

    /** Starts the heartbeat on {@code scheduler} (shared with other runs) and, if {@code endOnShutdown}, installs the shutdown hook. */
    void start(Duration heartbeatInterval, boolean endOnShutdown, ScheduledExecutorService scheduler) {
        if (endOnShutdown) {
            shutdownHook = new Thread(this::endOnShutdown, "cropcast-run-" + runId + "-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        long interval = heartbeatInterval.toMillis();
        heartbeat = scheduler.scheduleWithFixedDelay(this::beat, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** One heartbeat; under the end lock, so no beat is written once the run has ended. */
    private void beat() {
        synchronized (endLock) {
            if (ended) {
                return;
            }
            try {
                runStore.logBatch(runId, List.of(), List.of(), List.of(new Tag(RunTags.HEARTBEAT, Long.toString(clock.millis()))));
            } catch (RuntimeException e) {
                LOG.warn("heartbeat of run {} not recorded: {}", runId, Redactor.redact(e.getMessage()));
            }
        }
    }

    boolean isOpen() {
        return !ended;
    }

    void requireOpen() {
        if (ended) {
            throw new CropcastException(TrackingErrorCode.INVALID_RUN_STATE, "run " + runId + " has already ended");
        }
    }

    private void endOnShutdown() {
        try {
            end(RunStatus.KILLED, Map.of(RunTags.END_REASON, "signal"), true);
        } catch (RuntimeException e) {
            System.err.println("cropcast: could not mark run " + runId + " KILLED: " + Redactor.redact(e.getMessage()));
        }
    }

    /**
     * Ends the run with {@code status} and {@code tags} (redacted, truncated), unless it has ended
     * already. The status is written even when the tags cannot be; the tags' failure is then thrown.
     */
    void end(RunStatus status, Map<String, String> tags) {
        end(status, tags, false);
    }

    private void end(RunStatus status, Map<String, String> tags, boolean fromShutdownHook) {
        synchronized (endLock) {
            if (ended) {
                return;
            }
            ended = true;
            // a beat in progress holds the end lock, so none is running now, and none writes after this
            if (heartbeat != null) {
                heartbeat.cancel(false);
            }
            if (ownHeartbeat != null) {
                ownHeartbeat.shutdownNow();
            }
            if (shutdownHook != null && !fromShutdownHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException e) {
                    // the JVM is already shutting down; the hook finds the run ended
                }
            }
            List<Tag> list = new ArrayList<>();
            tags.forEach((k, v) -> list.add(new Tag(k, TrackingLimits.truncateTagValue(Redactor.redact(v)))));
            list.add(new Tag(RunTags.HEARTBEAT, Long.toString(clock.millis())));
            RuntimeException tagFailure = null;
            try {
                runStore.logBatch(runId, List.of(), List.of(), list);
            } catch (RuntimeException e) {
                tagFailure = e;
            }
            // the status matters more than the tags: end the run even if the tags could not be written
            runStore.endRun(runId, status, clock.millis());
            if (tagFailure != null) {
                throw tagFailure;
            }
        }
    }

    /** The failure as recorded in {@value RunTags#ERROR}: class and message, redacted. */
    static String describe(Throwable failure) {
        String message = failure.getMessage();
        String text = message == null || message.isBlank() ? failure.getClass().getName()
                : failure.getClass().getSimpleName() + ": " + message;
        return Redactor.redact(text);
    }
}
