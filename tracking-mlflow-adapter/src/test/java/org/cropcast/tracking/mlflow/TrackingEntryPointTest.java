package org.cropcast.tracking.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cropcast.storage.s3.S3MockServer;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.DatasetInput;
import org.cropcast.tracking.EmbeddedRun;
import org.cropcast.tracking.LoggedModel;
import org.cropcast.tracking.LoggedModelStatus;
import org.cropcast.tracking.ModelStore;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunStatus;
import org.cropcast.tracking.Tracking;
import org.cropcast.tracking.TrackingAdapters;
import org.cropcast.tracking.TrackingErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Core's {@link Tracking} entry point with this module's adapters found through ServiceLoader:
 * SQLite and a real {@code mlflow server} (with its artifact proxy), each checked by the pinned
 * Python MLflow, plus an S3 artifact root beside a SQLite database.
 */
class TrackingEntryPointTest {
    private static final Duration PYTHON_TIMEOUT = Duration.ofMinutes(3);

    /** What Python MLflow's client sees of one run: status, params, metric history, tags, artifact files. */
    private static final String READ_RUN = """
            import sys
            from mlflow import MlflowClient
            client = MlflowClient(tracking_uri=sys.argv[1])
            run = client.get_run(sys.argv[2])
            print("status", run.info.status, run.info.run_name, run.info.user_id)
            for k in sorted(run.data.params): print("param", k, run.data.params[k])
            for k in sorted(run.data.tags):
                if not k.startswith("cropcast.heartbeat"): print("tag", k, run.data.tags[k])
            for k in sorted(run.data.metrics):
                for m in client.get_metric_history(run.info.run_id, k): print("metric", k, repr(m.value), m.step)
            def walk(path):
                for f in client.list_artifacts(run.info.run_id, path):
                    if f.is_dir: walk(f.path)
                    else: print("artifact", f.path, f.file_size)
            walk(None)
            """;

    @TempDir
    Path dir;

    @Test
    void theAdaptersOfThisModuleAreFoundOnTheClassPath() {
        TrackingAdapters found = TrackingAdapters.discover(getClass().getClassLoader());
        assertThat(found.trackingSchemes()).containsExactly("http", "https", "memory", "sqlite");
        // s3 comes from storage-s3-adapter, a test dependency of this module
        assertThat(found.artifactSchemes()).containsExactly("file", "memory", "mlflow-artifacts", "s3");
    }

    @Test
    void sqliteThroughTheEntryPointIsReadByPythonMlflow() throws Exception {
        Path db = dir.resolve("mlruns.db");
        String uri = "sqlite:///" + db.toAbsolutePath();
        RunId id;
        try (Tracking tracking = Tracking.builder(uri).user("embedder").environment(Map.of()).endRunsOnShutdown(false).open();
                EmbeddedRun run = tracking.startRun("embedded", "sqlite-run")) {
            id = run.runId();
            logTheEverydayCalls(run);
            run.finish();
            assertThat(run.artifactUri()).startsWith("file://" + dir.resolve("mlartifacts").toAbsolutePath() + "/");
        }
        String out = MlflowPython.runScript(READ_RUN, List.of(uri, id.value()), Map.of(), PYTHON_TIMEOUT).requireSuccess().stdout();
        assertEverydayCallsSeen(out, "sqlite-run");
        assertThat(out).contains("status FINISHED sqlite-run embedder");
    }

    @Test
    void trackingServerThroughTheEntryPointWithArtifactsThroughItsProxy() throws Exception {
        MlflowServerProcess server = SharedMlflowServer.get();
        RunId id;
        try (Tracking tracking = Tracking.builder(server.trackingUri()).user("embedder").environment(Map.of())
                .endRunsOnShutdown(false).open();
                EmbeddedRun run = tracking.startRun("embedded-http", "http-run")) {
            id = run.runId();
            assertThat(run.artifactUri()).startsWith("mlflow-artifacts:");
            logTheEverydayCalls(run);
            run.finish();
        }
        String out = MlflowPython.runScript(READ_RUN, List.of(server.trackingUri(), id.value()), Map.of(), PYTHON_TIMEOUT)
                .requireSuccess().stdout();
        assertEverydayCallsSeen(out, "http-run");
        assertThat(out).contains("status FINISHED http-run embedder");
    }

    @Test
    void resumingAServerRunThroughTheEntryPoint() {
        MlflowServerProcess server = SharedMlflowServer.get();
        try (Tracking tracking = Tracking.builder(server.trackingUri()).environment(Map.of()).endRunsOnShutdown(false).open()) {
            RunId id;
            try (EmbeddedRun run = tracking.startRun("embedded-http")) {
                id = run.runId();
                assertThat(run.runName()).isNotEmpty();
                run.logMetric("loss", 2, 0);
                run.end(RunStatus.KILLED);
            }
            try (EmbeddedRun run = tracking.resumeRun(id)) {
                run.logMetric("loss", 1, 1);
                run.finish();
            }
            assertThat(tracking.runStore().getMetricHistory(id, "loss")).hasSize(2);
            assertThat(tracking.runStore().getRun(id).orElseThrow().info().status()).isEqualTo(RunStatus.FINISHED);
        }
    }

    @Test
    void aTrackingServerRefusesAnArtifactRootChosenByTheClient() {
        assertThatThrownBy(() -> Tracking.builder(SharedMlflowServer.get().trackingUri()).environment(Map.of())
                .artifactRoot(dir.toString()).open())
                .isInstanceOfSatisfying(CropcastException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("--default-artifact-root");
                });
    }

    @Test
    void sqliteWithAnS3ArtifactRootFromTheEnvironment() throws Exception {
        S3MockServer s3 = S3MockServer.shared();
        String bucket = s3.createBucket("embedded");
        Path db = dir.resolve("s3.db");
        String uri = "sqlite:///" + db.toAbsolutePath();
        RunId id;
        try (Tracking tracking = Tracking.builder(uri).environment(s3.environment()).artifactRoot("s3://" + bucket + "/mlruns")
                .endRunsOnShutdown(false).open();
                EmbeddedRun run = tracking.startRun("embedded-s3")) {
            id = run.runId();
            assertThat(run.artifactUri()).startsWith("s3://" + bucket + "/mlruns/");
            run.logArtifact(Files.writeString(dir.resolve("model.txt"), "weights"), "model");
            run.finish();
        }
        Map<String, String> env = new HashMap<>(s3.environment());
        String out = MlflowPython.runScript(READ_RUN, List.of(uri, id.value()), env, PYTHON_TIMEOUT).requireSuccess().stdout();
        assertThat(out).contains("status FINISHED", "artifact model/model.txt 7");
    }

    @Test
    void datasetsAndModelsThroughTheEntryPointAreReadByPythonMlflow() throws Exception {
        String uri = "sqlite:///" + dir.resolve("models.db").toAbsolutePath();
        RunId id;
        String modelId;
        try (Tracking tracking = Tracking.builder(uri).environment(Map.of()).endRunsOnShutdown(false).open();
                EmbeddedRun run = tracking.startRun("embedded-models", "train")) {
            id = run.runId();
            run.logInputs(List.of(DatasetInput.withContext(ModelLineageScenario.TARGET, "training")));
            LoggedModel model = run.createLoggedModel("yield-model");
            modelId = model.modelId().value();
            ModelStore models = tracking.modelStore();
            models.finalizeLoggedModel(model.modelId(), LoggedModelStatus.READY);
            models.createRegisteredModel("yield");
            models.createModelVersion("yield", model.modelId());
            run.finish();
        }
        String script = """
                import sys
                from mlflow import MlflowClient
                client = MlflowClient(tracking_uri=sys.argv[1])
                run = client.get_run(sys.argv[2])
                for d in run.inputs.dataset_inputs:
                    print("dataset", d.dataset.name, d.dataset.digest, [t.value for t in d.tags])
                for o in run.outputs.model_outputs: print("output", o.model_id)
                m = client.get_logged_model(sys.argv[3])
                print("model", m.name, m.status, m.source_run_id)
                v = client.get_model_version("yield", "1")
                print("version", v.version, v.source)
                """;
        String out = MlflowPython.runScript(script, List.of(uri, id.value(), modelId), Map.of(), PYTHON_TIMEOUT)
                .requireSuccess().stdout();
        assertThat(out).contains("dataset target " + ModelLineageScenario.TARGET.digest() + " ['training']", "output " + modelId,
                "model yield-model READY " + id.value(), "version 1 models:/" + modelId);
    }

    private void logTheEverydayCalls(EmbeddedRun run) throws Exception {
        run.logParam("alpha", "0.5");
        run.logParams(Map.of("beta", "2"));
        run.logMetric("rmse", 0.5, 0);
        run.logMetric("rmse", 0.25, 1);
        run.logMetrics(Map.of("mae", 0.125), 1);
        run.setTag("team", "crops");
        Path file = Files.writeString(dir.resolve("report.txt"), "hello");
        Path plots = Files.createDirectories(dir.resolve("plots/png"));
        Files.writeString(plots.resolve("a.png"), "aa");
        run.logArtifact(file);
        run.logArtifacts(dir.resolve("plots"), "figures");
    }

    private static void assertEverydayCallsSeen(String out, String runName) {
        assertThat(out).contains("param alpha 0.5", "param beta 2", "metric rmse 0.5 0", "metric rmse 0.25 1", "metric mae 0.125 1",
                "tag team crops", "tag mlflow.runName " + runName, "artifact report.txt 5", "artifact figures/png/a.png 2");
    }
}
