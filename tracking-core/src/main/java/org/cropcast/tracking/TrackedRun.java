package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The open run of one invocation, as {@link RunScope#open} returns it. Ends exactly once: FINISHED
 * by {@link #finish()}, FAILED by {@link #fail(Throwable)} or by {@link #close()} without a prior
 * finish, KILLED by the shutdown hook (SIGINT, SIGTERM). While open, the heartbeat thread of its
 * {@link RunScope} refreshes the {@value RunTags#HEARTBEAT} tag. Thread-safe.
 */
public final class TrackedRun implements ActiveRun, AutoCloseable {
    private final RunScope scope;
    private final RunInfo info;
    private final RunRequest request;
    private final RunLifecycle lifecycle;

    TrackedRun(RunScope scope, RunInfo info, RunRequest request) {
        this.scope = scope;
        this.info = info;
        this.request = request;
        this.lifecycle = new RunLifecycle(scope.runStore, scope.clock, info.runId());
    }

    void start() {
        lifecycle.start(scope.live);
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

    public boolean isOpen() {
        return lifecycle.isOpen();
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
        return FoldReports.logger(() -> !lifecycle.isOpen() ? Optional.empty() : Optional.of(this));
    }

    /** Ends the run FINISHED. Idempotent; a no-op once the run has ended otherwise. */
    public void finish() {
        lifecycle.end(RunStatus.FINISHED, Map.of());
    }

    /** Ends the run FAILED, with the failure's redacted message in {@value RunTags#ERROR}. */
    public void fail(Throwable failure) {
        lifecycle.end(RunStatus.FAILED, Map.of(RunTags.ERROR, RunLifecycle.describe(failure)));
    }

    /** Ends the run FAILED unless {@link #finish()} or {@link #fail} already ended it. */
    @Override
    public void close() {
        lifecycle.end(RunStatus.FAILED, Map.of(RunTags.ERROR, "the run scope was closed without finish(): the stage did not complete"));
    }

    private void requireOpen() {
        lifecycle.requireOpen();
    }
}
