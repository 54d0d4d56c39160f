import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cropcast.tracking.ArtifactFile;
import org.cropcast.tracking.CreateRunRequest;
import org.cropcast.tracking.Experiment;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.Param;
import org.cropcast.tracking.RunInfo;
import org.cropcast.tracking.RunStatus;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.Tag;
import org.cropcast.tracking.mlflow.MlflowArtifactsArtifactStore;
import org.cropcast.tracking.mlflow.MlflowRestConnections;
import org.cropcast.tracking.mlflow.MlflowRestRunStoreFactory;
import org.cropcast.tracking.mlflow.MlflowRestSettings;

/**
 * cropcast's side of bench/rest (see run.sh): the tracking footprint of one pipeline invocation
 * against an MLflow tracking server, and a large artifact upload. Prints one line per repetition:
 * {@code footprint <millis>} or {@code upload <bytes> <millis>}. footprint.py is the Python peer.
 *
 * Usage: RestFootprintBench footprint TRACKING_URI FIXTURES_DIR REPS
 *        RestFootprintBench upload TRACKING_URI FILE
 */
public final class RestFootprintBench {
    public static void main(String[] args) throws Exception {
        String uri = args[1];
        MlflowRestSettings settings = MlflowRestSettings.fromEnvironment(System.getenv());
        if (args[0].equals("footprint")) {
            Path fixtures = Path.of(args[2]);
            int reps = Integer.parseInt(args[3]);
            // one set of connections per process, as footprint.py makes one MlflowClient (whose HTTP session
            // Python MLflow keeps for the process): a warm repetition reuses the kept-alive connections
            MlflowRestConnections connections = new MlflowRestConnections(settings);
            for (int i = 0; i < reps; i++) {
                long start = System.nanoTime();
                footprint(uri, connections, fixtures, i);
                System.out.println("footprint " + (System.nanoTime() - start) / 1_000_000.0);
            }
        } else {
            Path file = Path.of(args[2]);
            MlflowRestConnections connections = new MlflowRestConnections(settings);
            RunStore store = new MlflowRestRunStoreFactory(connections).create(uri);
            Experiment experiment = store.getOrCreateExperiment("bench-upload");
            RunInfo run = store.createRun(new CreateRunRequest(experiment.id(), "cropcast-upload", "bench", System.currentTimeMillis(), List.of()));
            long start = System.nanoTime();
            new MlflowArtifactsArtifactStore(connections).logFile(run.artifactUri(), file, "data");
            long millis = (System.nanoTime() - start) / 1_000_000;
            store.endRun(run.runId(), RunStatus.FINISHED, System.currentTimeMillis());
            System.out.println("upload " + Files.size(file) + " " + millis);
        }
    }

    /**
     * Experiment lookup, run create with 20 tags, 9 params, 200 metrics in 4 batches, 2 YAML + 10 PNG +
     * 2 Parquet artifacts (one {@code logFiles} batch per kind, whose PUTs go up to 4 at once), end run.
     */
    static void footprint(String uri, MlflowRestConnections connections, Path fixtures, int rep) throws Exception {
        RunStore store = new MlflowRestRunStoreFactory(connections).create(uri);
        MlflowArtifactsArtifactStore artifacts = new MlflowArtifactsArtifactStore(connections);
        Experiment experiment = store.getOrCreateExperiment("bench-footprint-cropcast");
        List<Tag> tags = new ArrayList<>();
        for (int t = 0; t < 20; t++) {
            tags.add(new Tag("cropcast.tag" + t, "value-" + t + "-" + rep));
        }
        long now = System.currentTimeMillis();
        RunInfo run = store.createRun(new CreateRunRequest(experiment.id(), "hindcast-" + rep, "bench", now, tags));
        List<Param> params = new ArrayList<>();
        for (int p = 0; p < 9; p++) {
            params.add(new Param("param" + p, "value-" + p));
        }
        store.logBatch(run.runId(), List.of(), params, List.of());
        for (int batch = 0; batch < 4; batch++) {
            List<Metric> metrics = new ArrayList<>();
            for (int m = 0; m < 50; m++) {
                metrics.add(new Metric("fold" + batch + ".metric" + (m % 10), m * 0.01, now + m, m / 10));
            }
            store.logBatch(run.runId(), metrics, List.of(), List.of());
        }
        artifacts.logFiles(run.artifactUri(), List.of(new ArtifactFile(fixtures.resolve("config_resolved.yaml"), ""),
                new ArtifactFile(fixtures.resolve("run_summary.yaml"), "")));
        try (Stream<Path> pngs = Files.list(fixtures.resolve("folds"))) {
            artifacts.logFiles(run.artifactUri(), pngs.sorted().map(png -> new ArtifactFile(png, "reports/folds")).toList());
        }
        artifacts.logFiles(run.artifactUri(), List.of(new ArtifactFile(fixtures.resolve("features.parquet"), "datasets"),
                new ArtifactFile(fixtures.resolve("predictions.parquet"), "datasets")));
        store.endRun(run.runId(), RunStatus.FINISHED, System.currentTimeMillis());
    }
}
