package org.cropcast.pipeline.stages;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cropcast.tracking.ActiveRun;
import org.cropcast.tracking.CreateRunRequest;
import org.cropcast.tracking.Experiment;
import org.cropcast.tracking.ExperimentId;
import org.cropcast.tracking.FoldReportLogger;
import org.cropcast.tracking.LocalStorage;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.MemoryRunStore;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunInfo;
import org.cropcast.tracking.StagedPath;
import org.cropcast.tracking.Storage;
import org.cropcast.tracking.StorageArtifactStore;
import org.cropcast.tracking.Tag;

/**
 * An {@link ActiveRun} for stage tests, backed by core's real {@link MemoryRunStore} and a
 * {@link StorageArtifactStore} on local files (the app's RunScope is the production one). It
 * records the order of fold report callbacks so tests can check they arrive as each PNG is saved.
 */
final class StoreBackedActiveRun implements ActiveRun {
    final MemoryRunStore store;
    final StorageArtifactStore artifacts;
    final Storage storage;
    final RunInfo info;
    final Location runDirectory;
    final String stage;
    final Path artifactRoot;
    final List<String> foldReports = new CopyOnWriteArrayList<>();

    private StoreBackedActiveRun(MemoryRunStore store, RunInfo info, Location runDirectory, String stage, Path artifactRoot,
            Storage storage) {
        this.store = store;
        this.storage = storage;
        this.artifacts = new StorageArtifactStore(storage);
        this.info = info;
        this.runDirectory = runDirectory;
        this.stage = stage;
        this.artifactRoot = artifactRoot;
    }

    static StoreBackedActiveRun open(Path artifactBase, Location runDirectory, String stage) {
        return open(artifactBase, runDirectory, stage, new LocalStorage());
    }

    /** With {@code storage} to read logged locations (e.g. a switching storage for memory:// run directories). */
    static StoreBackedActiveRun open(Path artifactBase, Location runDirectory, String stage, Storage storage) {
        MemoryRunStore store = new MemoryRunStore(Clock.systemUTC(), new Random(7), artifactBase.toUri().toString());
        Experiment experiment = store.getOrCreateExperiment("stage-test");
        RunInfo info = store.createRun(new CreateRunRequest(experiment.id(), stage + "-run", "tester",
                System.currentTimeMillis(), List.of(new Tag("stage", stage))));
        Path root = Path.of(java.net.URI.create(info.artifactUri()));
        return new StoreBackedActiveRun(store, info, runDirectory, stage, root, storage);
    }

    @Override
    public RunId runId() {
        return info.runId();
    }

    @Override
    public ExperimentId experimentId() {
        return info.experimentId();
    }

    @Override
    public Location runDirectory() {
        return runDirectory;
    }

    @Override
    public String stage() {
        return stage;
    }

    @Override
    public void logMetrics(List<Metric> metrics) {
        store.logBatch(info.runId(), metrics, List.of(), List.of());
    }

    @Override
    public void logMetric(String key, double value, long step) {
        logMetrics(List.of(new Metric(key, value, System.currentTimeMillis(), step)));
    }

    @Override
    public void setTags(Map<String, String> tags) {
        List<Tag> list = new ArrayList<>();
        tags.forEach((k, v) -> list.add(new Tag(k, v)));
        store.logBatch(info.runId(), List.of(), List.of(), list);
    }

    @Override
    public void logArtifact(Path localFile, String artifactPath) {
        artifacts.logFile(info.artifactUri(), localFile, artifactPath);
    }

    @Override
    public void logArtifact(Location source, String artifactPath) {
        try (StagedPath staged = storage.stage(source)) {
            artifacts.logFile(info.artifactUri(), staged.path(), artifactPath);
        }
    }

    @Override
    public FoldReportLogger foldReportLogger() {
        return (foldKey, file) -> {
            foldReports.add(foldKey);
            logArtifact(file, "reports/folds/" + foldKey);
        };
    }

    List<Metric> history(String key) {
        return store.getMetricHistory(info.runId(), key);
    }

    double latest(String key) {
        Metric metric = store.getRun(info.runId()).orElseThrow().data().latestMetrics().get(key);
        if (metric == null) {
            throw new AssertionError("metric " + key + " was not logged");
        }
        return metric.value();
    }

    Map<String, Metric> latestMetrics() {
        return store.getRun(info.runId()).orElseThrow().data().latestMetrics();
    }

    Path artifact(String path) {
        return artifactRoot.resolve(path);
    }
}
