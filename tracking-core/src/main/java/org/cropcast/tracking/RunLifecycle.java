package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of one open run, shared by {@link TrackedRun} (the pipeline's runs) and
 * {@link EmbeddedRun} (runs another tool opens through {@link Tracking}): while it is open its
 * owner's {@link LiveRuns} refreshes its {@value RunTags#HEARTBEAT} tag ({@link #beat}) and, if
 * the owner handles signals, ends it KILLED on SIGINT/SIGTERM ({@link #killOnShutdown}); it ends
 * exactly once. Thread-safe.
 */
final class RunLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(RunLifecycle.class);

    private final RunStore runStore;
    private final Clock clock;
    private final RunId runId;
    private final Object endLock = new Object();
    private volatile boolean ended;
    private volatile LiveRuns live;

    RunLifecycle(RunStore runStore, Clock clock, RunId runId) {
        this.runStore = requireNonNull(runStore, "runStore is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.runId = requireNonNull(runId, "runId is null");
    }

    /** Joins {@code live}: beaten from now on, ended KILLED on shutdown if it handles signals, left when the run ends. */
    void start(LiveRuns live) {
        this.live = requireNonNull(live, "live is null");
        live.add(this);
    }

    /** One heartbeat; under the end lock, so no beat is written once the run has ended. */
    void beat() {
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
     * The shutdown hook's write for this run: ends it KILLED on a daemon thread of its own (another
     * process may hold the database lock, or the server may not answer: the hook waits only so long,
     * {@link #reportKill}).
     */
    CompletableFuture<Void> killOnShutdown() {
        CompletableFuture<Void> ending = new CompletableFuture<>();
        Thread writer = new Thread(() -> {
            try {
                end(RunStatus.KILLED, Map.of(RunTags.END_REASON, "signal"));
                ending.complete(null);
            } catch (Throwable t) {
                ending.completeExceptionally(t);
            }
        }, "cropcast-run-" + runId + "-kill");
        writer.setDaemon(true);
        writer.start();
        return ending;
    }

    /**
     * Waits for {@link #killOnShutdown}'s write until {@code deadlineNanos} ({@link System#nanoTime})
     * and says on standard error what became of the run: {@code run ... is marked KILLED} only once
     * the store has recorded it, else that it could not, and that the run goes stale (its heartbeat stops).
     */
    void reportKill(CompletableFuture<Void> ending, long deadlineNanos) {
        String unfinished = " KILLED: {0}; it stays RUNNING and `cropcast runs list` shows it stale once its heartbeat is older than"
                + " --stale-after (resume it with --resume --run-dir)";
        try {
            ending.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
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
        synchronized (endLock) {
            if (ended) {
                return;
            }
            ended = true;
            // a beat in progress holds the end lock, so none is running now, and none writes after this
            LiveRuns owner = live;
            if (owner != null) {
                owner.remove(this);
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
