package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open run of one invocation, as {@link RunScope#open} returns it. Ends exactly once: FINISHED
 * by {@link #finish()}, FAILED by {@link #fail(Throwable)} or by {@link #close()} without a prior
 * finish, KILLED by the shutdown hook (SIGINT, SIGTERM). While open, a daemon thread refreshes the
 * {@value RunTags#HEARTBEAT} tag. Thread-safe.
 */
public final class TrackedRun implements ActiveRun, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrackedRun.class);

    private final RunScope scope;
    private final RunInfo info;
    private final RunRequest request;
    private final Seeds seeds;
    private final Object endLock = new Object();
    private volatile boolean ended;
    private ScheduledExecutorService heartbeat;
    private Thread shutdownHook;

    TrackedRun(RunScope scope, RunInfo info, RunRequest request) {
        this.scope = scope;
        this.info = info;
        this.request = request;
        this.seeds = new Seeds(request.params().randomSeed());
    }

    void start() {
        if (scope.settings.endOnShutdown()) {
            shutdownHook = new Thread(this::endOnShutdown, "cropcast-run-" + info.runId() + "-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        heartbeat = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "cropcast-heartbeat-" + info.runId());
            thread.setDaemon(true);
            return thread;
        });
        long interval = scope.settings.heartbeatInterval().toMillis();
        heartbeat.scheduleWithFixedDelay(this::beat, interval, interval, TimeUnit.MILLISECONDS);
    }

    private void beat() {
        if (ended) {
            return;
        }
        try {
            scope.runStore.logBatch(info.runId(), List.of(), List.of(),
                    List.of(new Tag(RunTags.HEARTBEAT, Long.toString(scope.clock.millis()))));
        } catch (RuntimeException e) {
            LOG.warn("heartbeat of run {} not recorded: {}", info.runId(), Redactor.redact(e.getMessage()));
        }
    }

    @Override
    public RunId runId() {
        return info.runId();
    }

    @Override
    public ExperimentId experimentId() {
        return info.experimentId();
    }

    /** The run's artifact root URI. */
    public String artifactUri() {
        return info.artifactUri();
    }

    @Override
    public Location runDirectory() {
        return request.runDirectory();
    }

    @Override
    public String stage() {
        return request.stage();
    }

    /** Independent, reproducible random generators per component, from {@code random_seed}. */
    public Seeds seeds() {
        return seeds;
    }

    public boolean isOpen() {
        return !ended;
    }

    @Override
    public void logMetrics(List<Metric> metrics) {
        requireOpen();
        scope.runStore.logBatch(info.runId(), metrics, List.of(), List.of());
    }

    @Override
    public void logMetric(String key, double value, long step) {
        logMetrics(List.of(new Metric(key, value, scope.clock.millis(), step)));
    }

    @Override
    public void setTags(Map<String, String> tags) {
        requireOpen();
        List<Tag> list = new ArrayList<>();
        tags.forEach((k, v) -> list.add(new Tag(k, Redactor.redact(requireNonNull(v, "tag value is null")))));
        scope.runStore.logBatch(info.runId(), List.of(), List.of(), list);
    }

    @Override
    public void logArtifact(Path localFile, String artifactPath) {
        requireOpen();
        scope.artifactStore.logFile(info.artifactUri(), localFile, artifactPath);
    }

    @Override
    public void logArtifact(Location source, String artifactPath) {
        requireOpen();
        ArtifactPaths.validate(artifactPath);
        if (source.isLocal()) {
            scope.artifactStore.logFile(info.artifactUri(), source.localPath(), artifactPath);
            return;
        }
        if (scope.artifactStore.canCopyDirectly(source, info.artifactUri())) {
            scope.artifactStore.copyDirectly(source, info.artifactUri(), artifactPath);
            return;
        }
        try (StagedPath staged = scope.storage.stage(source)) {
            if (scope.storage.exists(source)) {
                scope.artifactStore.logFile(info.artifactUri(), staged.path(), artifactPath);
            } else {
                scope.artifactStore.logDirectoryContents(info.artifactUri(), staged.path(),
                        ArtifactPaths.join(artifactPath, source.fileName()));
            }
        }
    }

    @Override
    public FoldReportLogger foldReportLogger() {
        return FoldReports.logger(() -> ended ? Optional.empty() : Optional.of(this));
    }

    /** Ends the run FINISHED. Idempotent; a no-op once the run has ended otherwise. */
    public void finish() {
        end(RunStatus.FINISHED, Map.of(), false);
    }

    /** Ends the run FAILED, with the failure's redacted message in {@value RunTags#ERROR}. */
    public void fail(Throwable failure) {
        end(RunStatus.FAILED, Map.of(RunTags.ERROR, describe(failure)), false);
    }

    /** Ends the run FAILED unless {@link #finish()} or {@link #fail} already ended it. */
    @Override
    public void close() {
        end(RunStatus.FAILED, Map.of(RunTags.ERROR, "the run scope was closed without finish(): the stage did not complete"), false);
    }

    private void endOnShutdown() {
        try {
            end(RunStatus.KILLED, Map.of(RunTags.END_REASON, "signal"), true);
        } catch (RuntimeException e) {
            System.err.println("cropcast: could not mark run " + info.runId() + " KILLED: " + Redactor.redact(e.getMessage()));
        }
    }

    private void end(RunStatus status, Map<String, String> tags, boolean fromShutdownHook) {
        synchronized (endLock) {
            if (ended) {
                return;
            }
            ended = true;
            if (heartbeat != null) {
                heartbeat.shutdownNow();
                try {
                    heartbeat.awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
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
            list.add(new Tag(RunTags.HEARTBEAT, Long.toString(scope.clock.millis())));
            RuntimeException tagFailure = null;
            try {
                scope.runStore.logBatch(info.runId(), List.of(), List.of(), list);
            } catch (RuntimeException e) {
                tagFailure = e;
            }
            // the status matters more than the tags: end the run even if the tags could not be written
            scope.runStore.endRun(info.runId(), status, scope.clock.millis());
            if (tagFailure != null) {
                throw tagFailure;
            }
        }
    }

    private void requireOpen() {
        if (ended) {
            throw new CropcastException(TrackingErrorCode.INVALID_RUN_STATE, "run " + info.runId() + " has already ended");
        }
    }

    static String describe(Throwable failure) {
        String message = failure.getMessage();
        String text = message == null || message.isBlank() ? failure.getClass().getName()
                : failure.getClass().getSimpleName() + ": " + message;
        return Redactor.redact(text);
    }
}
