package org.cropcast.tracking.mlflow;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.cropcast.tracking.CreateRunRequest;
import org.cropcast.tracking.Experiment;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.Param;
import org.cropcast.tracking.Run;
import org.cropcast.tracking.RunInfo;
import org.cropcast.tracking.RunStatus;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tracking server crashes (SIGKILL of its process tree) in the middle of a run and comes back
 * on the same port after a pause; the run goes on through the retries (metric batches and artifact
 * uploads alike) and completes with every metric, param, tag and artifact present, byte-identical.
 */
class MlflowRestServerRestartTest {
    private static final int BATCHES = 120;
    private static final int METRICS_PER_BATCH = 5;

    @TempDir
    Path dir;

    private MlflowServerProcess server;

    @AfterEach
    void stopServer() throws InterruptedException {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void aRunSurvivesAServerRestartWithEveryMetric() throws Exception {
        server = MlflowServerProcess.builder(dir.resolve("server")).start();
        MlflowRestConnections connections = new MlflowRestConnections(MlflowRestSettings.defaults());
        RunStore store = new MlflowRestRunStoreFactory(connections).create(server.trackingUri());
        MlflowArtifactsArtifactStore artifacts = new MlflowArtifactsArtifactStore(connections);
        Experiment experiment = store.getOrCreateExperiment("restart");
        RunInfo run = store.createRun(new CreateRunRequest(experiment.id(), "survivor", "cropcast", 1_700_000_000_000L, List.of()));

        CountDownLatch halfway = new CountDownLatch(1);
        List<Metric> logged = new ArrayList<>();
        CompletableFuture<Void> logging = CompletableFuture.runAsync(() -> {
            for (int b = 0; b < BATCHES; b++) {
                List<Metric> batch = new ArrayList<>();
                for (int m = 0; m < METRICS_PER_BATCH; m++) {
                    int step = b * METRICS_PER_BATCH + m;
                    batch.add(new Metric("loss", 1.0 / (step + 1), 1_700_000_000_000L + step, step));
                }
                store.logBatch(run.runId(), batch, List.of(new Param("p" + b, "v" + b)), List.of(new Tag("progress", Integer.toString(b))));
                if (b % 10 == 0) {
                    // artifacts too, some of them while the server is away
                    try {
                        byte[] content = new byte[100_000 + b];
                        new java.util.Random(b).nextBytes(content);
                        Path file = Files.write(dir.resolve("part-" + b + ".bin"), content);
                        artifacts.logFile(run.artifactUri(), file, "parts");
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                synchronized (logged) {
                    logged.addAll(batch);
                }
                if (b == BATCHES / 3) {
                    halfway.countDown();
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        });

        assertThat(halfway.await(2, TimeUnit.MINUTES)).isTrue();
        long down = System.nanoTime();
        server.kill();
        Thread.sleep(20_000);
        server.startAgain();
        long awaySeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - down);
        assertThat(awaySeconds).as("the server was away (20 s pause plus its start-up)").isGreaterThanOrEqualTo(20);

        logging.get(5, TimeUnit.MINUTES);
        Path report = Files.writeString(dir.resolve("report.txt"), "done\n", UTF_8);
        artifacts.logFile(run.artifactUri(), report, "reports");
        store.endRun(run.runId(), RunStatus.FINISHED, 1_700_000_100_000L);

        Run finished = store.getRun(run.runId()).orElseThrow();
        assertThat(finished.info().status()).isEqualTo(RunStatus.FINISHED);
        assertThat(finished.data().params()).hasSize(BATCHES);
        assertThat(finished.data().tags()).containsEntry("progress", Integer.toString(BATCHES - 1));
        assertThat(store.getMetricHistory(run.runId(), "loss")).hasSize(BATCHES * METRICS_PER_BATCH).isEqualTo(logged);
        try (InputStream in = artifacts.open(run.artifactUri(), "reports/report.txt")) {
            assertThat(new String(in.readAllBytes(), UTF_8)).isEqualTo("done\n");
        }
        for (int b = 0; b < BATCHES; b += 10) {
            try (InputStream in = artifacts.open(run.artifactUri(), "parts/part-" + b + ".bin")) {
                assertThat(in.readAllBytes()).as("parts/part-%d.bin", b).isEqualTo(Files.readAllBytes(dir.resolve("part-" + b + ".bin")));
            }
        }
    }
}
