import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.cropcast.tracking.CreateRunRequest;
import org.cropcast.tracking.Experiment;
import org.cropcast.tracking.LocalStorage;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.Param;
import org.cropcast.tracking.RunInfo;
import org.cropcast.tracking.RunStatus;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.StorageArtifactStore;
import org.cropcast.tracking.Tag;
import org.cropcast.tracking.mlflow.SqliteRunStoreFactory;

/**
 * Fills an embedded cropcast database with the benchmark's source experiment "bench": RUNS FINISHED
 * runs, each with 5 params, 3 tags, POINTS points of one metric (steps 0..POINTS-1, distinct
 * timestamps) and FILES artifacts of FILE_KB KiB.
 * Usage: java -cp cropcast.jar bench/sync/Seed.java DB RUNS POINTS FILES FILE_KB
 */
public class Seed {
    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]).toAbsolutePath();
        int runs = Integer.parseInt(args[1]);
        int points = Integer.parseInt(args[2]);
        int files = Integer.parseInt(args[3]);
        int fileKb = Integer.parseInt(args[4]);
        Path scratch = Files.createTempDirectory("seed");
        Random random = new Random(7);
        long t0 = 1_700_000_000_000L;
        StorageArtifactStore artifacts = new StorageArtifactStore(new LocalStorage());
        try (RunStore store = new SqliteRunStoreFactory().create("sqlite:///" + db)) {
            Experiment experiment = store.getOrCreateExperiment("bench");
            for (int r = 0; r < runs; r++) {
                long start = t0 + r * 100_000L;
                RunInfo run = store.createRun(new CreateRunRequest(experiment.id(), "run-" + r, "bench", start,
                        List.of(new Tag("fold", Integer.toString(r)), new Tag("stage", "hindcast"), new Tag("crop", "maize"))));
                List<Param> params = List.of(new Param("alpha", "0." + r), new Param("detrend", "linear"), new Param("lag", "3"),
                        new Param("region", "US"), new Param("seed", Integer.toString(r)));
                List<Metric> batch = new ArrayList<>();
                for (int i = 0; i < points; i++) {
                    batch.add(new Metric("loss", random.nextDouble(), start + 1 + i, i));
                    if (batch.size() == 1000 || i == points - 1) {
                        store.logBatch(run.runId(), batch, List.of(), List.of());
                        batch.clear();
                    }
                }
                store.logBatch(run.runId(), List.of(), params, List.of());
                for (int f = 0; f < files; f++) {
                    byte[] bytes = new byte[fileKb * 1024];
                    random.nextBytes(bytes);
                    Path file = scratch.resolve("file-" + f + ".bin");
                    Files.write(file, bytes);
                    artifacts.logFile(run.artifactUri(), file, f % 2 == 0 ? "" : "reports");
                }
                store.endRun(run.runId(), RunStatus.FINISHED, start + points + 10);
            }
        }
    }
}
