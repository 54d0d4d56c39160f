package org.cropcast.tracking.mlflow;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cropcast.tracking.ArtifactEntry;
import org.cropcast.tracking.ArtifactStore;
import org.cropcast.tracking.LocalStorage;
import org.cropcast.tracking.StorageArtifactStore;
import org.cropcast.tracking.CreateRunRequest;
import org.cropcast.tracking.Experiment;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.Param;
import org.cropcast.tracking.Run;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunInfo;
import org.cropcast.tracking.RunStatus;
import org.cropcast.tracking.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cropcast and the pinned Python MLflow read each other's runs in one SQLite database. */
class SqlitePythonInteropTest {
    private static final Duration PYTHON_TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    /** Prints what Python MLflow's client sees of the given runs, one fact per line. */
    private static final String READ_RUNS = """
            import hashlib, os, sys, tempfile
            import mlflow
            from mlflow import MlflowClient
            client = MlflowClient(tracking_uri="sqlite:///" + sys.argv[1])
            exp = client.get_experiment_by_name(sys.argv[2])
            print("experiment", exp.experiment_id, exp.artifact_location)
            found = client.search_runs([exp.experiment_id], order_by=["attributes.start_time ASC"])
            print("search", " ".join(r.info.run_id for r in found))
            for run_id in sys.argv[3:]:
                run = client.get_run(run_id)
                i = run.info
                print("info", i.run_id, i.run_name, i.user_id, i.status, i.start_time, i.end_time, i.lifecycle_stage, i.artifact_uri)
                for k in sorted(run.data.params): print("param", k, run.data.params[k])
                for k in sorted(run.data.tags): print("tag", k, run.data.tags[k])
                for k in sorted(run.data.metrics): print("latest", k, repr(run.data.metrics[k]))
                for k in sorted(run.data.metrics):
                    for m in client.get_metric_history(run_id, k):
                        print("history", k, repr(m.value), m.timestamp, m.step)
                def walk(path):
                    for f in client.list_artifacts(run_id, path):
                        print("artifact", f.path, f.is_dir, f.file_size)
                        if f.is_dir:
                            walk(f.path)
                walk(None)
                out = tempfile.mkdtemp()
                local = client.download_artifacts(run_id, "", out)
                digests = []
                for root, _, files in os.walk(local):
                    for name in files:
                        p = os.path.join(root, name)
                        digests.append((os.path.relpath(p, local), hashlib.sha256(open(p, "rb").read()).hexdigest()))
                for path, digest in sorted(digests):
                    print("bytes", path, digest)
            """;

    @Test
    void pythonMlflowReadsWhatCropcastWrote() throws Exception {
        Path db = dir.resolve("data/mlruns.db");
        Path report = dir.resolve("report");
        Files.createDirectories(report.resolve("plots"));
        Files.writeString(report.resolve("summary.txt"), "rmse 0.42\n", UTF_8);
        Files.write(report.resolve("plots/yield.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, (byte) 0xff});
        RunId first;
        RunId second;
        ArtifactStore artifacts = new StorageArtifactStore(new LocalStorage());
        try (SqliteRunStore store = SqliteSchemaParityTest.openStore(db)) {
            Experiment experiment = store.getOrCreateExperiment("maize hindcast");
            RunInfo run = store.createRun(new CreateRunRequest(experiment.id(), "fold-0", "alice", 1_700_000_000_000L,
                    List.of(new Tag("stage", "hindcast"))));
            first = run.runId();
            store.logBatch(first, List.of(new Metric("rmse", 0.5, 1_700_000_000_100L, 0), new Metric("rmse", 0.25, 1_700_000_000_200L, 1),
                    new Metric("rmse", Double.NaN, 1_700_000_000_300L, 2), new Metric("bias", Double.POSITIVE_INFINITY, 1_700_000_000_100L, 0),
                    new Metric("skill", Double.NEGATIVE_INFINITY, 1_700_000_000_100L, 3)),
                    List.of(new Param("alpha", "0.1"), new Param("model", "ridge")), List.of(new Tag("crop", "maize")));
            artifacts.logFile(run.artifactUri(), report.resolve("summary.txt"), "");
            artifacts.logDirectoryContents(run.artifactUri(), report.resolve("plots"), "figures");
            store.endRun(first, RunStatus.FINISHED, 1_700_000_001_000L);
            second = store.createRun(new CreateRunRequest(experiment.id(), "fold-1", "bob", 1_700_000_002_000L, List.of())).runId();
            store.logBatch(second, List.of(new Metric("rmse", 3.0, 1_700_000_002_100L, 0)), List.of(), List.of());
            store.endRun(second, RunStatus.FAILED, 1_700_000_003_000L);
        }
        String root = SqliteRunStore.defaultArtifactRoot(SqliteTrackingUri.parse("sqlite:///" + db));
        assertThat(root).isEqualTo("file://" + dir.resolve("data/mlartifacts"));
        String hash = sha256(Files.readAllBytes(report.resolve("summary.txt")));
        String pngHash = sha256(Files.readAllBytes(report.resolve("plots/yield.png")));

        MlflowPython.Result result = MlflowPython.run(pythonCommand(READ_RUNS, db.toString(), "maize hindcast", first.value(),
                second.value()), Map.of(), PYTHON_TIMEOUT, dir).requireSuccess();

        assertThat(result.stdout().lines().toList()).containsExactly(
                "experiment 1 " + root + "/1",
                "search " + first + " " + second,
                "info " + first + " fold-0 alice FINISHED 1700000000000 1700000001000 active " + root + "/1/" + first + "/artifacts",
                "param alpha 0.1",
                "param model ridge",
                "tag crop maize",
                "tag mlflow.runName fold-0",
                "tag mlflow.user alice",
                "tag stage hindcast",
                "latest bias 1.7976931348623157e+308",
                "latest rmse nan",
                "latest skill -1.7976931348623157e+308",
                "history bias 1.7976931348623157e+308 1700000000100 0",
                "history rmse 0.5 1700000000100 0",
                "history rmse 0.25 1700000000200 1",
                "history rmse nan 1700000000300 2",
                "history skill -1.7976931348623157e+308 1700000000100 3",
                "artifact figures True None",
                "artifact figures/yield.png False 8",
                "artifact summary.txt False 10",
                "bytes figures/yield.png " + pngHash,
                "bytes summary.txt " + hash,
                "info " + second + " fold-1 bob FAILED 1700000002000 1700000003000 active " + root + "/1/" + second + "/artifacts",
                "tag mlflow.runName fold-1",
                "tag mlflow.user bob",
                "latest rmse 3.0",
                "history rmse 3.0 1700000002100 0");

        serveOverRest(db, first);
    }

    /** An `mlflow server` on the database serves the run and its artifacts over REST. */
    private void serveOverRest(Path db, RunId run) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path log = dir.resolve("server.log");
        Process server = new ProcessBuilder(MlflowPython.mlflowCli().toString(), "server", "--backend-store-uri", "sqlite:///" + db,
                "--host", "127.0.0.1", "--port", Integer.toString(port), "--workers", "1")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            String base = "http://127.0.0.1:" + port;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (true) {
                try {
                    if (http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.ofString())
                            .statusCode() == 200) {
                        break;
                    }
                } catch (java.io.IOException notYet) {
                    // still starting
                }
                if (!server.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("mlflow server did not start:\n" + Files.readString(log));
                }
                Thread.sleep(500);
            }
            HttpResponse<String> got = http.send(HttpRequest.newBuilder(URI.create(base + "/api/2.0/mlflow/runs/get?run_id=" + run)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(got.statusCode()).isEqualTo(200);
            assertThat(got.body()).contains("\"run_name\": \"fold-0\"", "\"key\": \"alpha\"", "\"value\": \"0.1\"", "\"status\": \"FINISHED\"");
            HttpResponse<String> listed = http.send(HttpRequest.newBuilder(URI.create(base + "/api/2.0/mlflow/artifacts/list?run_id=" + run))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(listed.statusCode()).isEqualTo(200);
            assertThat(listed.body()).contains("\"path\": \"summary.txt\"", "\"file_size\": 10");
            HttpResponse<String> file = http.send(HttpRequest.newBuilder(URI.create(base + "/get-artifact?path=summary.txt&run_uuid=" + run))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(file.statusCode()).isEqualTo(200);
            assertThat(file.body()).isEqualTo("rmse 0.42\n");
        } finally {
            server.descendants().forEach(ProcessHandle::destroy);
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.descendants().forEach(ProcessHandle::destroyForcibly);
                server.destroyForcibly();
            }
        }
    }

    @Test
    void cropcastResumesARunPythonMlflowCreatedAndPythonReadsTheResult() throws Exception {
        Path db = dir.resolve("mlruns.db");
        Path pyArtifacts = dir.resolve("py-artifacts");
        Files.writeString(dir.resolve("notes.txt"), "from python\n");
        MlflowPython.Result created = MlflowPython.run(pythonCommand("""
                import sys
                import mlflow
                mlflow.set_tracking_uri("sqlite:///" + sys.argv[1])
                exp = mlflow.create_experiment("py-side", artifact_location=sys.argv[2])
                with mlflow.start_run(experiment_id=exp, run_name="py-run") as run:
                    mlflow.log_param("alpha", "0.3")
                    mlflow.log_metric("rmse", 0.9, step=0, timestamp=1700000000000)
                    mlflow.set_tag("origin", "python")
                    mlflow.log_artifact(sys.argv[3])
                print(run.info.run_id)
                """, db.toString(), pyArtifacts.toString(), dir.resolve("notes.txt").toString()), Map.of(), PYTHON_TIMEOUT, dir)
                .requireSuccess();
        RunId runId = RunId.of(created.stdout().strip());

        Files.writeString(dir.resolve("more.txt"), "from cropcast\n");
        try (SqliteRunStore store = SqliteSchemaParityTest.openStore(db)) {
            Run before = store.getRun(runId).orElseThrow();
            assertThat(before.info().status()).isEqualTo(RunStatus.FINISHED);
            assertThat(before.data().params()).containsEntry("alpha", "0.3");
            assertThat(before.info().artifactUri()).isEqualTo(pyArtifacts + "/" + runId + "/artifacts");
            RunInfo reopened = store.reopenRun(runId);
            assertThat(reopened.status()).isEqualTo(RunStatus.RUNNING);
            store.logBatch(runId, List.of(new Metric("rmse", 0.7, 1_700_000_001_000L, 1)), List.of(new Param("beta", "2")),
                    List.of(new Tag("resumed-by", "cropcast")));
            new StorageArtifactStore(new LocalStorage()).logFile(reopened.artifactUri(), dir.resolve("more.txt"), "extra");
            List<ArtifactEntry> listed = new StorageArtifactStore(new LocalStorage()).list(reopened.artifactUri(), "");
            assertThat(listed).extracting(ArtifactEntry::path).containsExactly("extra", "notes.txt");
            try (InputStream in = new StorageArtifactStore(new LocalStorage()).open(reopened.artifactUri(), "notes.txt")) {
                assertThat(new String(in.readAllBytes(), UTF_8)).isEqualTo("from python\n");
            }
            store.endRun(runId, RunStatus.KILLED, 1_700_000_002_000L);
        }

        MlflowPython.Result read = MlflowPython.run(pythonCommand("""
                import sys
                from mlflow import MlflowClient
                client = MlflowClient(tracking_uri="sqlite:///" + sys.argv[1])
                run = client.get_run(sys.argv[2])
                print(run.info.status, run.info.end_time, run.info.run_name)
                print(sorted(run.data.params.items()))
                print(run.data.tags["resumed-by"], run.data.tags["origin"])
                print([(m.value, m.step) for m in client.get_metric_history(sys.argv[2], "rmse")])
                print(sorted(f.path for f in client.list_artifacts(sys.argv[2], "extra")))
                """, db.toString(), runId.value()), Map.of(), PYTHON_TIMEOUT, dir).requireSuccess();
        assertThat(read.stdout().lines().toList()).containsExactly(
                "KILLED 1700000002000 py-run",
                "[('alpha', '0.3'), ('beta', '2')]",
                "cropcast python",
                "[(0.9, 0), (0.7, 1)]",
                "['extra/more.txt']");
    }

    static List<String> pythonCommand(String script, String... args) throws java.io.IOException {
        Path file = Files.createTempFile("cropcast-interop-", ".py");
        Files.writeString(file, script, UTF_8);
        file.toFile().deleteOnExit();
        List<String> command = new ArrayList<>();
        command.add(MlflowPython.python().toString());
        command.add(file.toString());
        command.addAll(List.of(args));
        return command;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
