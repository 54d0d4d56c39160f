package org.cropcast.tracking.mlflow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cropcast.storage.s3.S3StorageFactory;
import org.cropcast.tracking.ArtifactStore;
import org.cropcast.tracking.CreateRunRequest;
import org.cropcast.tracking.Experiment;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.Param;
import org.cropcast.tracking.RunInfo;
import org.cropcast.tracking.RunStatus;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.StorageArtifactStore;
import org.cropcast.tracking.SwitchingArtifactStore;
import org.cropcast.tracking.Tag;

/**
 * One process of the team-scale test: the tracking footprint of a pipeline invocation (experiment
 * lookup, run with 20 tags, 9 params, 200 metrics, 2 YAML + 10 PNG + 2 Parquet-sized artifacts,
 * end run) against a tracking server, artifacts by the run's artifact root (S3 through the storage
 * port, or the server's proxy). {@code MlflowTeamWorkloadMain TRACKING_URI WORKER WORK_DIR};
 * credentials and S3 settings from the environment. Prints {@code run <id>}.
 */
public final class MlflowTeamWorkloadMain {
    static final int METRICS = 200;
    static final int ARTIFACTS = 14;

    private MlflowTeamWorkloadMain() {}

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        int worker = Integer.parseInt(args[1]);
        Path work = Files.createDirectories(Path.of(args[2]).resolve("worker-" + worker));
        Map<String, String> env = Map.copyOf(System.getenv());
        MlflowRestConnections connections = new MlflowRestConnections(MlflowRestSettings.fromEnvironment(env));
        RunStore store = new MlflowRestRunStoreFactory(connections).create(uri);
        ArtifactStore artifacts = new SwitchingArtifactStore(Map.of(
                "s3", new StorageArtifactStore(S3StorageFactory.fromEnvironment(env).createStorage()),
                MlflowArtifactsArtifactStore.SCHEME, new MlflowArtifactsArtifactStore(connections)));

        Experiment experiment = store.getOrCreateExperiment("team-scale");
        List<Tag> tags = new ArrayList<>();
        for (int t = 0; t < 20; t++) {
            tags.add(new Tag("cropcast.tag" + t, "worker-" + worker));
        }
        long now = System.currentTimeMillis();
        RunInfo run = store.createRun(new CreateRunRequest(experiment.id(), "hindcast-" + worker, "team", now, tags));
        List<Param> params = new ArrayList<>();
        for (int p = 0; p < 9; p++) {
            params.add(new Param("param" + p, Integer.toString(p * worker)));
        }
        store.logBatch(run.runId(), List.of(), params, List.of());
        for (int batch = 0; batch < 4; batch++) {
            List<Metric> metrics = new ArrayList<>();
            for (int m = 0; m < METRICS / 4; m++) {
                metrics.add(new Metric("rmse", worker + m * 0.001, now + batch * 100 + m, batch * 50L + m));
            }
            store.logBatch(run.runId(), metrics, List.of(), List.of());
        }
        Random random = new Random(worker);
        for (String yaml : List.of("config_resolved.yaml", "metadata.yaml")) {
            artifacts.logFile(run.artifactUri(), Files.writeString(work.resolve(yaml), "worker: " + worker + "\n"), "");
        }
        Path folds = Files.createDirectories(work.resolve("folds"));
        for (int f = 0; f < 10; f++) {
            byte[] png = new byte[20_000 + f];
            random.nextBytes(png);
            Files.write(folds.resolve("fold_" + (2010 + f) + ".png"), png);
        }
        artifacts.logDirectoryContents(run.artifactUri(), folds, "reports/folds");
        for (String parquet : List.of("features.parquet", "predictions.parquet")) {
            byte[] bytes = new byte[256 * 1024];
            random.nextBytes(bytes);
            artifacts.logFile(run.artifactUri(), Files.write(work.resolve(parquet), bytes), "datasets");
        }
        store.endRun(run.runId(), RunStatus.FINISHED, System.currentTimeMillis());
        System.out.println("run " + run.runId());
    }
}
