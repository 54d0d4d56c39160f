package org.cropcast.tracking.mlflow;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.cropcast.tracking.CreateRunRequest;
import org.cropcast.tracking.Experiment;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.Param;
import org.cropcast.tracking.RunInfo;
import org.cropcast.tracking.RunStatus;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pinned Python MLflow client and cropcast against the same {@code mlflow server}: what
 * cropcast logs (artifacts through the proxy included) Python lists and downloads byte-identical,
 * and what Python logs cropcast reads.
 */
class MlflowRestPythonInteropTest {
    private static final String LIST_AND_DOWNLOAD = String.join("\n",
            "import hashlib, os, sys",
            "import mlflow",
            "from mlflow import MlflowClient",
            "uri, run_id, dst = sys.argv[1], sys.argv[2], sys.argv[3]",
            "client = MlflowClient(tracking_uri=uri)",
            "run = client.get_run(run_id)",
            "print('status', run.info.status)",
            "for k, v in sorted(run.data.params.items()): print('param', k, v)",
            "for k, v in sorted(run.data.metrics.items()): print('metric', k, repr(v))",
            "print('history', len(client.get_metric_history(run_id, 'loss')))",
            "def walk(path):",
            "    for f in client.list_artifacts(run_id, path):",
            "        if f.is_dir: walk(f.path)",
            "        else: print('listed', f.path, f.file_size)",
            "walk(None)",
            "local = mlflow.artifacts.download_artifacts(run_id=run_id, dst_path=dst, tracking_uri=uri)",
            "for root, _, files in os.walk(local):",
            "    for name in files:",
            "        p = os.path.join(root, name)",
            "        print('file', os.path.relpath(p, local).replace(os.sep, '/'), hashlib.sha256(open(p, 'rb').read()).hexdigest())",
            "");

    private static final String LOG_FROM_PYTHON = String.join("\n",
            "import sys",
            "from mlflow import MlflowClient",
            "uri, experiment_id, src = sys.argv[1], sys.argv[2], sys.argv[3]",
            "client = MlflowClient(tracking_uri=uri)",
            "run = client.create_run(experiment_id, run_name='from-python')",
            "client.log_param(run.info.run_id, 'alpha', '0.5')",
            "client.log_metric(run.info.run_id, 'rmse', 1.25, step=3)",
            "client.log_artifact(run.info.run_id, src, 'inputs')",
            "client.set_terminated(run.info.run_id)",
            "print('run_id', run.info.run_id)",
            "");

    private final MlflowServerProcess server = SharedMlflowServer.get();

    @TempDir
    Path dir;

    @Test
    void pythonListsAndDownloadsWhatCropcastLoggedByteIdentical() throws Exception {
        MlflowRestConnections connections = new MlflowRestConnections(MlflowRestSettings.defaults());
        RunStore store = new MlflowRestRunStoreFactory(connections).create(server.trackingUri());
        MlflowArtifactsArtifactStore artifacts = new MlflowArtifactsArtifactStore(connections);

        Experiment experiment = store.getOrCreateExperiment("interop-artifacts");
        RunInfo run = store.createRun(new CreateRunRequest(experiment.id(), "cropcast-run", "cropcast", System.currentTimeMillis(),
                List.of(new Tag("stage", "hindcast"))));
        store.logBatch(run.runId(), List.of(new Metric("loss", 0.5, 1, 0), new Metric("loss", 0.25, 2, 1)),
                List.of(new Param("model", "ridge")), List.of());

        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve("config_resolved.yaml"), "stage: hindcast\nalpha: 0.5\n", UTF_8);
        byte[] binary = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(binary);
        Files.write(out.resolve("model.bin"), binary);
        Path reports = Files.createDirectories(dir.resolve("reports/folds/2019"));
        Files.write(reports.resolve("fold 1.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2});
        Files.write(dir.resolve("reports/empty.txt"), new byte[0]);

        artifacts.logFile(run.artifactUri(), out.resolve("config_resolved.yaml"), "");
        artifacts.logFile(run.artifactUri(), out.resolve("model.bin"), "models/ridge");
        artifacts.logDirectoryContents(run.artifactUri(), dir.resolve("reports"), "reports");
        store.endRun(run.runId(), RunStatus.FINISHED, System.currentTimeMillis());

        Map<String, String> expected = new TreeMap<>();
        expected.put("config_resolved.yaml", sha256(out.resolve("config_resolved.yaml")));
        expected.put("models/ridge/model.bin", sha256(out.resolve("model.bin")));
        expected.put("reports/folds/2019/fold 1.png", sha256(reports.resolve("fold 1.png")));
        expected.put("reports/empty.txt", sha256(dir.resolve("reports/empty.txt")));

        Path dst = Files.createDirectories(dir.resolve("downloaded"));
        MlflowPython.Result result = MlflowPython.runScript(LIST_AND_DOWNLOAD,
                List.of(server.trackingUri(), run.runId().value(), dst.toString()), Map.of(), Duration.ofMinutes(3)).requireSuccess();
        List<String> lines = result.stdout().lines().toList();

        assertThat(lines).contains("status FINISHED", "param model ridge", "metric loss 0.25", "history 2",
                "listed models/ridge/model.bin " + binary.length, "listed reports/folds/2019/fold 1.png 7");
        // the server leaves file_size 0 out of its JSON, so Python lists an empty file's size as None
        assertThat(lines).anyMatch(l -> l.startsWith("listed reports/empty.txt "));
        Map<String, String> downloaded = new TreeMap<>();
        lines.stream().filter(l -> l.startsWith("file ")).forEach(l -> {
            int last = l.lastIndexOf(' ');
            downloaded.put(l.substring(5, last), l.substring(last + 1));
        });
        assertThat(downloaded).isEqualTo(expected);
    }

    @Test
    void cropcastReadsWhatPythonLogged() throws Exception {
        MlflowRestConnections connections = new MlflowRestConnections(MlflowRestSettings.defaults());
        RunStore store = new MlflowRestRunStoreFactory(connections).create(server.trackingUri());
        Experiment experiment = store.getOrCreateExperiment("interop-python");
        byte[] content = new byte[200_003];
        new Random(11).nextBytes(content);
        Path src = dir.resolve("features.parquet");
        Files.write(src, content);

        String runId = MlflowPython.runScript(LOG_FROM_PYTHON, List.of(server.trackingUri(), experiment.id().value(), src.toString()),
                Map.of(), Duration.ofMinutes(2)).requireSuccess().stdout().lines()
                .filter(l -> l.startsWith("run_id ")).map(l -> l.substring(7).strip()).findFirst().orElseThrow();

        var run = store.getRun(org.cropcast.tracking.RunId.of(runId)).orElseThrow();
        assertThat(run.info().status()).isEqualTo(RunStatus.FINISHED);
        assertThat(run.info().runName()).isEqualTo("from-python");
        assertThat(run.data().params()).containsEntry("alpha", "0.5");
        assertThat(run.data().latestMetrics().get("rmse")).isEqualTo(new Metric("rmse", 1.25, run.data().latestMetrics().get("rmse").timestampMillis(), 3));
        MlflowArtifactsArtifactStore artifacts = new MlflowArtifactsArtifactStore(connections);
        assertThat(artifacts.list(run.info().artifactUri(), "inputs"))
                .containsExactly(new org.cropcast.tracking.ArtifactEntry("inputs/features.parquet", false, java.util.Optional.of((long) content.length)));
        try (InputStream in = artifacts.open(run.info().artifactUri(), "inputs/features.parquet")) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
