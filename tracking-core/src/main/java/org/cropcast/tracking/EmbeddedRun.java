package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An open MLflow run, as {@link Tracking#startRun} and {@link Tracking#resumeRun} return it: the
 * everyday calls of a tool that tracks its work, named as in MLflow's fluent API and the official
 * Java client's {@code ActiveRun}.
 *
 * <ul>
 *   <li>Params are write-once: the same value again is a no-op, another value fails with
 *       {@link TrackingErrorCode#PARAM_CONFLICT} before anything of the call is written.</li>
 *   <li>Each call is one batch, all or nothing; large batches are split as the backend requires.</li>
 *   <li>Metric timestamps come from the {@link Tracking.Builder#clock clock}; the step defaults to 0.</li>
 *   <li>Param and tag values are redacted (credentials in URIs are masked) before they are written.</li>
 * </ul>
 * The run ends exactly once: FINISHED by {@link #finish()}, FAILED by {@link #fail(Throwable)} or
 * by {@link #close()} without a prior finish (so a try-with-resources block left by an exception
 * records a failed run), KILLED on SIGINT/SIGTERM. While it is open the one heartbeat thread of its {@link Tracking}
 * refreshes its {@value RunTags#HEARTBEAT} tag. Thread-safe.
 */
public final class EmbeddedRun implements AutoCloseable {
    private final RunInfo info;
    private final RunStore runStore;
    private final ArtifactStore artifactStore;
    private final Supplier<ModelStore> modelStore;
    private final Clock clock;
    private final RunLifecycle lifecycle;

    EmbeddedRun(RunInfo info, RunStore runStore, ArtifactStore artifactStore, Supplier<ModelStore> modelStore, Clock clock) {
        this.info = requireNonNull(info, "info is null");
        this.runStore = requireNonNull(runStore, "runStore is null");
        this.artifactStore = requireNonNull(artifactStore, "artifactStore is null");
        this.modelStore = requireNonNull(modelStore, "modelStore is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.lifecycle = new RunLifecycle(runStore, clock, info.runId());
    }

    /** Joins the open runs of its {@link Tracking}: heartbeat, and KILLED on SIGINT/SIGTERM if it handles signals. */
    void start(LiveRuns live) {
        lifecycle.start(live);
    }

    public RunId runId() {
        return info.runId();
    }

    public ExperimentId experimentId() {
        return info.experimentId();
    }

    /** The run's name, as the store recorded it (generated when none was given). */
    public String runName() {
        return info.runName();
    }

    /** The run's artifact root URI ({@code <experiment artifact location>/<run id>/artifacts}). */
    public String artifactUri() {
        return info.artifactUri();
    }

    public boolean isOpen() {
        return lifecycle.isOpen();
    }

    /** Logs one param (MLflow's {@code log_param}). */
    public void logParam(String key, String value) {
        logBatch(List.of(), List.of(param(key, value)), List.of());
    }

    /** Logs params in one batch (MLflow's {@code log_params}). */
    public void logParams(Map<String, String> params) {
        List<Param> list = new ArrayList<>();
        requireNonNull(params, "params is null").forEach((k, v) -> list.add(param(k, v)));
        logBatch(List.of(), list, List.of());
    }

    /** Logs a metric at step 0 (MLflow's {@code log_metric(key, value)}). */
    public void logMetric(String key, double value) {
        logMetric(key, value, 0);
    }

    /** Logs a metric at {@code step}, timestamped now (MLflow's {@code log_metric(key, value, step=...)}). */
    public void logMetric(String key, double value, long step) {
        logBatch(List.of(new Metric(key, value, clock.millis(), step)), List.of(), List.of());
    }

    /** Logs metrics at step 0, in one batch (MLflow's {@code log_metrics}). */
    public void logMetrics(Map<String, Double> metrics) {
        logMetrics(metrics, 0);
    }

    /** Logs metrics at {@code step}, all with one timestamp, in one batch. */
    public void logMetrics(Map<String, Double> metrics, long step) {
        long now = clock.millis();
        List<Metric> list = new ArrayList<>();
        requireNonNull(metrics, "metrics is null").forEach((k, v) -> list.add(new Metric(k, requireNonNull(v, "metric value is null"), now, step)));
        logBatch(list, List.of(), List.of());
    }

    /** Sets one tag (MLflow's {@code set_tag}); a later value replaces an earlier one. */
    public void setTag(String key, String value) {
        logBatch(List.of(), List.of(), List.of(tag(key, value)));
    }

    /** Sets tags in one batch (MLflow's {@code set_tags}). */
    public void setTags(Map<String, String> tags) {
        List<Tag> list = new ArrayList<>();
        requireNonNull(tags, "tags is null").forEach((k, v) -> list.add(tag(k, v)));
        logBatch(List.of(), List.of(), list);
    }

    /**
     * Logs metrics, params and tags in one call, all or nothing (MLflow's {@code log_batch}).
     * Param and tag values are redacted.
     */
    public void logBatch(List<Metric> metrics, List<Param> params, List<Tag> tags) {
        requireNonNull(metrics, "metrics is null");
        requireNonNull(params, "params is null");
        requireNonNull(tags, "tags is null");
        lifecycle.requireOpen();
        runStore.logBatch(info.runId(), metrics, redacted(params, Param::value, (p, v) -> new Param(p.key(), v)),
                redacted(tags, Tag::value, (t, v) -> new Tag(t.key(), v)));
    }

    /** Uploads a local file to the root of the run's artifacts (MLflow's {@code log_artifact(path)}). */
    public void logArtifact(Path localFile) {
        logArtifact(localFile, "");
    }

    /** Uploads a local file as {@code artifactPath/<file name>} (MLflow's {@code log_artifact(path, artifact_path)}). */
    public void logArtifact(Path localFile, String artifactPath) {
        requireNonNull(localFile, "localFile is null");
        requireNonNull(artifactPath, "artifactPath is null");
        lifecycle.requireOpen();
        if (!Files.isRegularFile(localFile)) {
            throw new CropcastException(TrackingErrorCode.LOCATION_NOT_FOUND, "cannot log artifact " + localFile
                    + ": it is not a file (use logArtifacts for a directory)");
        }
        artifactStore.logFile(info.artifactUri(), localFile, artifactPath);
    }

    /** Uploads the contents of a local directory to the root of the run's artifacts (MLflow's {@code log_artifacts(dir)}). */
    public void logArtifacts(Path localDirectory) {
        logArtifacts(localDirectory, "");
    }

    /** Uploads the contents of a local directory under {@code artifactPath} (MLflow's {@code log_artifacts(dir, artifact_path)}). */
    public void logArtifacts(Path localDirectory, String artifactPath) {
        requireNonNull(localDirectory, "localDirectory is null");
        requireNonNull(artifactPath, "artifactPath is null");
        lifecycle.requireOpen();
        if (!Files.isDirectory(localDirectory)) {
            throw new CropcastException(TrackingErrorCode.LOCATION_NOT_FOUND, "cannot log artifacts from " + localDirectory
                    + ": it is not a directory");
        }
        artifactStore.logDirectoryContents(info.artifactUri(), localDirectory, artifactPath);
    }

    /** Records the datasets this run reads (MLflow's {@code log_input(s)}), through {@link Tracking#modelStore()}. */
    public void logInputs(List<DatasetInput> datasets) {
        requireNonNull(datasets, "datasets is null");
        lifecycle.requireOpen();
        modelStore.get().logInputs(info.runId(), datasets, List.of());
    }

    /**
     * Creates a logged model produced by this run, in the run's experiment (MLflow 3's
     * {@code initialize_logged_model(name, source_run_id=...)}), linked as the run's output as MLflow's
     * {@code log_model} links it; finalize it, register it or log
     * its metrics through {@link Tracking#modelStore()}.
     */
    public LoggedModel createLoggedModel(String name) {
        lifecycle.requireOpen();
        LoggedModel model = modelStore.get().createLoggedModel(LoggedModelRequest.of(info.experimentId(), name, info.runId()));
        modelStore.get().logOutputs(info.runId(), List.of(new ModelOutput(model.modelId(), 0)));
        return model;
    }

    /** Ends the run FINISHED. Idempotent; a no-op once the run has ended otherwise. */
    public void finish() {
        end(RunStatus.FINISHED, Map.of());
    }

    /** Ends the run FAILED, with the failure's redacted message in {@value RunTags#ERROR}. */
    public void fail(Throwable failure) {
        end(RunStatus.FAILED, Map.of(RunTags.ERROR, RunLifecycle.describe(requireNonNull(failure, "failure is null"))));
    }

    /** Ends the run with a terminal status (MLflow's {@code end_run(status)}); a no-op once it has ended. */
    public void end(RunStatus status) {
        end(status, Map.of());
    }

    void end(RunStatus status, Map<String, String> tags) {
        RunStores.requireTerminal(requireNonNull(status, "status is null"));
        lifecycle.end(status, tags);
    }

    /** Ends the run FAILED unless it has ended already (a try-with-resources block left without {@link #finish()}). */
    @Override
    public void close() {
        end(RunStatus.FAILED, Map.of(RunTags.ERROR, "the run was closed without finish()"));
    }

    /**
     * The items with their values redacted; the same list when nothing needed masking (the common
     * case, so no copy is made).
     */
    private static <T> List<T> redacted(List<T> items, Function<T, String> value, BiFunction<T, String, T> withValue) {
        List<T> out = null;
        for (int i = 0; i < items.size(); i++) {
            T item = items.get(i);
            String redacted = Redactor.redact(value.apply(item));
            if (out == null && !redacted.equals(value.apply(item))) {
                out = new ArrayList<>(items.subList(0, i));
            }
            if (out != null) {
                out.add(withValue.apply(item, redacted));
            }
        }
        return out == null ? items : out;
    }

    private static Param param(String key, String value) {
        return new Param(key, requireNonNull(value, "param value is null"));
    }

    private static Tag tag(String key, String value) {
        return new Tag(key, requireNonNull(value, "tag value is null"));
    }

    @Override
    public String toString() {
        return "EmbeddedRun[" + info.runId() + ", experiment " + info.experimentId() + (isOpen() ? ", open" : ", ended") + "]";
    }
}
