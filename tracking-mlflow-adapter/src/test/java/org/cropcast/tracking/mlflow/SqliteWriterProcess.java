package org.cropcast.tracking.mlflow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cropcast.tracking.CreateRunRequest;
import org.cropcast.tracking.Experiment;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.Param;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunStatus;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.Tag;

/**
 * A pipeline-like writer run as a separate OS process by the concurrency tests: waits for a
 * start file (so all processes hit the database at the same moment), opens the store (creating
 * the database if it is missing), creates a run, logs params, tags and metric batches, ends it.
 *
 * <p>Arguments: database, start file, writer index, batches, metrics per batch, end ("end" or
 * "keep-running" to leave the run open and loop until killed).
 */
public final class SqliteWriterProcess {
    private SqliteWriterProcess() {}

    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        Path start = Path.of(args[1]);
        int index = Integer.parseInt(args[2]);
        int batches = Integer.parseInt(args[3]);
        int perBatch = Integer.parseInt(args[4]);
        boolean end = args[5].equals("end");
        System.out.println("ready");
        System.out.flush();
        while (!Files.exists(start)) {
            Thread.sleep(1);
        }
        try (RunStore store = new SqliteRunStoreFactory().create("sqlite:///" + db)) {
            Experiment experiment = store.getOrCreateExperiment("concurrency");
            List<Tag> tags = new ArrayList<>();
            for (int t = 0; t < 20; t++) {
                tags.add(new Tag("tag" + t, "value " + t + " of writer " + index));
            }
            RunId run = store.createRun(new CreateRunRequest(experiment.id(), "writer-" + index, "writer", System.currentTimeMillis(), tags))
                    .runId();
            System.out.println("run " + run);
            System.out.flush();
            List<Param> params = new ArrayList<>();
            for (int p = 0; p < 9; p++) {
                params.add(new Param("param" + p, Integer.toString(p * index)));
            }
            store.logBatch(run, List.of(), params, List.of());
            for (int b = 0; end ? b < batches : true; b++) {
                List<Metric> metrics = new ArrayList<>(perBatch);
                for (int m = 0; m < perBatch; m++) {
                    metrics.add(new Metric("metric" + m, b * 0.5 + m, 1_700_000_000_000L + b, b));
                }
                store.logBatch(run, metrics, List.of(), List.of(new Tag("progress", Integer.toString(b))));
                if (!end && b == 2) {
                    System.out.println("logging");
                    System.out.flush();
                }
            }
            store.endRun(run, RunStatus.FINISHED, System.currentTimeMillis());
        }
        System.out.println("done");
    }
}
