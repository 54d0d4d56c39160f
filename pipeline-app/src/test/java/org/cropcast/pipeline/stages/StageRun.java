package org.cropcast.pipeline.stages;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cropcast.tracking.ArtifactEntry;
import org.cropcast.tracking.ArtifactStore;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.Run;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunStore;

/**
 * A run a stage test opened through the application's run scope ({@link StageHarness}), read back
 * through the ports the application wrote it with: metrics, tags and status from the
 * {@link RunStore}, artifacts from the {@link ArtifactStore}.
 */
final class StageRun {
    private final RunId runId;
    private final RunStore store;
    private final ArtifactStore artifacts;
    private final Optional<StageResult> result;

    StageRun(RunId runId, RunStore store, ArtifactStore artifacts, Optional<StageResult> result) {
        this.runId = requireNonNull(runId, "runId is null");
        this.store = requireNonNull(store, "store is null");
        this.artifacts = requireNonNull(artifacts, "artifacts is null");
        this.result = requireNonNull(result, "result is null");
    }

    RunId runId() {
        return runId;
    }

    /** What the stage returned; an assertion error if it failed. */
    StageResult result() {
        return result.orElseThrow(() -> new AssertionError("the stage of run " + runId + " failed: it has no result"));
    }

    /** The run as the store has it now. */
    Run stored() {
        return store.getRun(runId).orElseThrow(() -> new AssertionError("run " + runId + " is not in the store"));
    }

    List<Metric> history(String key) {
        return store.getMetricHistory(runId, key);
    }

    Map<String, Metric> latestMetrics() {
        return stored().data().latestMetrics();
    }

    double latest(String key) {
        Metric metric = latestMetrics().get(key);
        if (metric == null) {
            throw new AssertionError("metric " + key + " was not logged to run " + runId);
        }
        return metric.value();
    }

    /** The names of the entries directly under {@code path} of the artifact root. */
    List<String> artifactNames(String path) {
        String prefix = path.isEmpty() ? "" : path + "/";
        return artifacts.list(artifactUri(), path).stream().map(e -> e.path().substring(prefix.length())).toList();
    }

    /** Every artifact file of the run, as paths relative to its artifact root. */
    List<String> artifactFiles() {
        List<String> files = new ArrayList<>();
        collect("", files);
        return files;
    }

    private void collect(String path, List<String> files) {
        for (ArtifactEntry entry : artifacts.list(artifactUri(), path)) {
            if (entry.directory()) {
                collect(entry.path(), files);
            } else {
                files.add(entry.path());
            }
        }
    }

    /** One artifact file's content as UTF-8 text. */
    String artifactText(String path) {
        try (java.io.InputStream in = artifacts.open(artifactUri(), path)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private String artifactUri() {
        return stored().info().artifactUri();
    }
}
