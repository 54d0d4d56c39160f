package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open runs of one owner (a {@link Tracking}, a {@link RunScope}) and what keeps them honest
 * while they are open, made once per owner rather than once per run:
 * <ul>
 *   <li>one daemon thread, started with the first run, refreshes the {@value RunTags#HEARTBEAT}
 *       tag of every open run each interval (a run's first refresh comes at most one interval after
 *       it starts; its creation wrote the first heartbeat);</li>
 *   <li>one JVM shutdown hook, installed with the first run when the owner handles signals, ends
 *       every run still open KILLED on SIGINT/SIGTERM ({@link RunLifecycle#killOnShutdown}).</li>
 * </ul>
 * Starting and ending a run is then adding it to and removing it from a set: no thread, no
 * scheduled task and no shutdown hook per run. With {@code releaseWhenIdle} the thread and the
 * hook go when the last open run ends (an owner that is never closed leaves nothing behind);
 * otherwise they stay until {@link #close()}.
 *
 * <p>{@link #close()} is the first step of closing the owner, before its store closes: no beat
 * starts after it returns, and a beat in progress has finished (or {@link #CLOSE_WAIT} has passed),
 * so no heartbeat ever reaches a closed store. Runs still open stay RUNNING (they go stale, as when
 * their process ends); ending them is the owner's decision. Thread-safe.
 */
final class LiveRuns implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveRuns.class);
    /** How long {@link #close()} waits for a beat in progress before it lets the owner close the store anyway. */
    static final Duration CLOSE_WAIT = RunLifecycle.SHUTDOWN_WRITE_BOUND;

    private final Duration interval;
    private final boolean endOnShutdown;
    private final boolean releaseWhenIdle;
    private final Set<RunLifecycle> runs = ConcurrentHashMap.newKeySet();
    // guarded by this
    private ScheduledExecutorService heartbeats;
    private Thread shutdownHook;
    private volatile boolean closed;

    LiveRuns(Duration interval, boolean endOnShutdown, boolean releaseWhenIdle) {
        this.interval = requireNonNull(interval, "interval is null");
        this.endOnShutdown = endOnShutdown;
        this.releaseWhenIdle = releaseWhenIdle;
    }

    /** Fails with {@link TrackingErrorCode#INVALID_RUN_STATE} once {@link #close()} has been called. */
    void requireOpen() {
        if (closed) {
            throw new CropcastException(TrackingErrorCode.INVALID_RUN_STATE, "cannot start a run: its tracking has been closed");
        }
    }

    /** Adds an open run: from now on it is beaten and, if signals are handled, ended KILLED on shutdown. */
    synchronized void add(RunLifecycle run) {
        requireOpen();
        runs.add(run);
        if (heartbeats == null) {
            heartbeats = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "cropcast-heartbeats");
                thread.setDaemon(true);
                return thread;
            });
            long millis = interval.toMillis();
            heartbeats.scheduleWithFixedDelay(this::beatAll, millis, millis, TimeUnit.MILLISECONDS);
        }
        if (endOnShutdown && shutdownHook == null) {
            shutdownHook = new Thread(this::killAllOnShutdown, "cropcast-runs-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /** Removes a run that has ended (called by {@link RunLifecycle#end} once, after it has marked itself ended). */
    void remove(RunLifecycle run) {
        runs.remove(run);
        if (releaseWhenIdle) {
            synchronized (this) {
                if (runs.isEmpty()) {
                    // no waiting here: the caller may hold a run's end lock, which a beat takes too
                    release(heartbeats, shutdownHook);
                    heartbeats = null;
                    shutdownHook = null;
                }
            }
        }
    }

    /** The runs open now. */
    List<RunLifecycle> open() {
        return List.copyOf(runs);
    }

    /** True while the heartbeat thread runs (a test's window on {@link #close()}'s promise). */
    synchronized boolean beating() {
        return heartbeats != null && !heartbeats.isTerminated();
    }

    private void beatAll() {
        for (RunLifecycle run : runs) {
            if (closed) {
                return;
            }
            run.beat();
        }
    }

    /**
     * The shutdown hook: ends every open run KILLED, each on a writer thread of its own, all
     * within one {@link RunLifecycle#SHUTDOWN_WRITE_BOUND}, and says on standard error what it did.
     */
    void killAllOnShutdown() {
        long deadline = System.nanoTime() + RunLifecycle.SHUTDOWN_WRITE_BOUND.toNanos();
        List<RunLifecycle> open = open();
        List<CompletableFuture<Void>> kills = open.stream().map(RunLifecycle::killOnShutdown).toList();
        for (int i = 0; i < open.size(); i++) {
            open.get(i).reportKill(kills.get(i), deadline);
        }
        System.err.flush();
    }

    /**
     * Stops the heartbeats (no beat starts after this returns; one in progress is waited for, at
     * most {@link #CLOSE_WAIT}) and removes the shutdown hook. Open runs stay open in the store.
     * Idempotent; later {@link #add} calls fail.
     */
    @Override
    public void close() {
        ScheduledExecutorService stopping;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            stopping = heartbeats;
            release(heartbeats, shutdownHook);
            heartbeats = null;
            shutdownHook = null;
        }
        // outside the lock: a beat in progress may wait for a run's end lock, whose holder calls remove()
        if (stopping != null) {
            try {
                if (!stopping.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("a heartbeat write did not finish within {} s of closing the tracking", CLOSE_WAIT.toSeconds());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Cancels the periodic beat (a beat in progress completes: no interrupt) and removes the hook. */
    private static void release(ScheduledExecutorService heartbeats, Thread shutdownHook) {
        if (heartbeats != null) {
            heartbeats.shutdown();
        }
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is running, or about to, and ends what is still open
            }
        }
    }
}
