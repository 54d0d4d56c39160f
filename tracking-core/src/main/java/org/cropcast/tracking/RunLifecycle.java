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

    /**
     * The shutdown hook: ends the run KILLED, waiting at most {@link #SHUTDOWN_WRITE_BOUND} for the
     * store (another process may hold the database lock, or the server may not answer), and says
     * on standard error what it did: {@code run ... is marked KILLED} only once the store has
     * recorded it, else that it could not, and that the run goes stale (its heartbeat stops).
     */
    private void endOnShutdown() {
        java.util.concurrent.CompletableFuture<Void> ending = new java.util.concurrent.CompletableFuture<>();
        Thread writer = new Thread(() -> {
            try {
                end(RunStatus.KILLED, Map.of(RunTags.END_REASON, "signal"), true);
                ending.complete(null);
            } catch (Throwable t) {
                ending.completeExceptionally(t);
            }
        }, "cropcast-run-" + runId + "-kill");
        writer.setDaemon(true);
        writer.start();
        String unfinished = " KILLED: {0}; it stays RUNNING and `cropcast runs list` shows it stale once its heartbeat is older than"
                + " --stale-after (resume it with --resume --run-dir)";
        try {
            ending.get(SHUTDOWN_WRITE_BOUND.toMillis(), TimeUnit.MILLISECONDS);
            System.err.println("cropcast: run " + runId + " is marked KILLED");
        } catch (java.util.concurrent.TimeoutException e) {
            System.err.println("cropcast: could not mark run " + runId + java.text.MessageFormat.format(unfinished,
                    "the tracking store did not answer within " + SHUTDOWN_WRITE_BOUND.toSeconds() + " s"));
        } catch (java.util.concurrent.ExecutionException e) {
            System.err.println("cropcast: could not mark run " + runId + java.text.MessageFormat.format(unfinished,
                    Redactor.truncateForMessage(Redactor.redact(String.valueOf(e.getCause().getMessage())))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.err.flush();
    }

    /**
     * How long the shutdown hook waits for the store to record the KILLED end: a signal is a request
     * to stop soon, and a store another process keeps locked would otherwise hold the exit for the
     * store's whole lock timeout (a minute for SQLite).
     */
    static final Duration SHUTDOWN_WRITE_BOUND = Duration.ofSeconds(10);

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
