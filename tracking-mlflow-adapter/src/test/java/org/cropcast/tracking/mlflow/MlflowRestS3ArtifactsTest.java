package org.cropcast.tracking.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cropcast.storage.s3.FaultInjectingProxy;
import org.cropcast.storage.s3.S3MockServer;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.CreateRunRequest;
import org.cropcast.tracking.Experiment;
import org.cropcast.tracking.RunInfo;
import org.cropcast.tracking.RunStatus;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.StorageArtifactStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tracking server whose artifacts live in S3 (the S3-compatible test server of the S3 adapter):
 * with an {@code s3://} artifact root cropcast writes straight to S3 through the storage port, and
 * with an S3 {@code --artifacts-destination} behind the proxy large files go up in multipart parts
 * through the presigned URLs the server hands out. The Python client reads both byte-identical.
 */
class MlflowRestS3ArtifactsTest {
    private static final String DOWNLOAD = String.join("\n",
            "import hashlib, os, sys",
            "import mlflow",
            "uri, run_id, dst = sys.argv[1], sys.argv[2], sys.argv[3]",
            "local = mlflow.artifacts.download_artifacts(run_id=run_id, dst_path=dst, tracking_uri=uri)",
            "for root, _, files in os.walk(local):",
            "    for name in sorted(files):",
            "        p = os.path.join(root, name)",
            "        print('file', os.path.relpath(p, local).replace(os.sep, '/'), hashlib.sha256(open(p, 'rb').read()).hexdigest())",
            "");

    private final S3MockServer s3 = S3MockServer.shared();

    @TempDir
    Path dir;

    private static Path randomFile(Path file, int size, long seed) throws Exception {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }

    private void assertPythonDownloads(MlflowServerProcess server, RunInfo run, Map<String, Path> expected) throws Exception {
        MlflowPython.Result result = MlflowPython.runScript(DOWNLOAD,
                List.of(server.trackingUri(), run.runId().value(), Files.createDirectories(dir.resolve("dl-" + run.runId())).toString()),
                s3.environment(), Duration.ofMinutes(3)).requireSuccess();
        for (Map.Entry<String, Path> e : expected.entrySet()) {
            assertThat(result.stdout()).contains("file " + e.getKey() + " " + MlflowRestPythonInteropTest.sha256(e.getValue()));
        }
    }

    @Test
    void s3ArtifactRootIsWrittenThroughTheStoragePort() throws Exception {
        String bucket = s3.createBucket("mlflow-root");
        try (MlflowServerProcess server = MlflowServerProcess.builder(dir.resolve("server")).serveArtifacts(false)
                .extraArgs("--default-artifact-root", "s3://" + bucket + "/mlruns").environment(s3.environment()).start()) {
            RunStore store = MlflowRestRunStore.open(server.trackingUri(), MlflowRestSettings.defaults());
            Experiment experiment = store.getOrCreateExperiment("s3-root");
            RunInfo run = store.createRun(new CreateRunRequest(experiment.id(), "r", "u", System.currentTimeMillis(), List.of()));
            assertThat(run.artifactUri()).startsWith("s3://" + bucket + "/mlruns/");

            StorageArtifactStore artifacts = new StorageArtifactStore(s3.storage());
            Path model = randomFile(dir.resolve("src/model.bin"), 2 * 1024 * 1024 + 5, 3);
            Path png = randomFile(dir.resolve("reports/folds/2019/fold.png"), 4_096, 4);
            artifacts.logFile(run.artifactUri(), model, "models");
            artifacts.logDirectoryContents(run.artifactUri(), dir.resolve("reports"), "reports");
            store.endRun(run.runId(), RunStatus.FINISHED, System.currentTimeMillis());

            assertPythonDownloads(server, run, Map.of("models/model.bin", model, "reports/folds/2019/fold.png", png));
        }
    }

    @Test
    void largeFilesGoUpInPartsThroughTheProxyToS3() throws Exception {
        String bucket = s3.createBucket("mlflow-proxy");
        try (MlflowServerProcess server = MlflowServerProcess.builder(dir.resolve("server"))
                .extraArgs("--artifacts-destination", "s3://" + bucket + "/proxied").environment(s3.environment()).start()) {
            Map<String, String> env = new HashMap<>();
            env.put("MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD", "true");
            env.put("MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE", Long.toString(5L << 20));
            env.put("MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE", Long.toString(5L << 20));
            MlflowRestConnections connections = new MlflowRestConnections(MlflowRestSettings.fromEnvironment(env));
            RunStore store = new MlflowRestRunStoreFactory(connections).create(server.trackingUri());
            Experiment experiment = store.getOrCreateExperiment("s3-proxy");
            RunInfo run = store.createRun(new CreateRunRequest(experiment.id(), "r", "u", System.currentTimeMillis(), List.of()));
            assertThat(run.artifactUri()).startsWith("mlflow-artifacts:/");

            MlflowArtifactsArtifactStore artifacts = new MlflowArtifactsArtifactStore(connections);
            Path big = randomFile(dir.resolve("big.bin"), (12 << 20) + 123, 5);
            Path small = randomFile(dir.resolve("small.txt"), 100, 6);
            artifacts.logFile(run.artifactUri(), big, "data");
            artifacts.logFile(run.artifactUri(), small, "data");
            store.endRun(run.runId(), RunStatus.FINISHED, System.currentTimeMillis());

            String key = "proxied/" + experiment.id() + "/" + run.runId() + "/artifacts/data/big.bin";
            String etag = s3.client().headObject(b -> b.bucket(bucket).key(key)).eTag();
            assertThat(etag).as("a multipart object's ETag names its part count").contains("-3");
            try (InputStream in = artifacts.open(run.artifactUri(), "data/big.bin")) {
                assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(big));
            }
            assertPythonDownloads(server, run, Map.of("data/big.bin", big, "data/small.txt", small));
        }
    }

    /**
     * Presigned part uploads through a faulty S3 endpoint: a part whose connection drops after S3
     * stored it is sent again and the object is intact; when parts keep failing the upload is
     * aborted, leaving no object and no pending multipart upload behind.
     */
    @Test
    void multipartPartsAreRetriedAndFailedUploadsAborted() throws Exception {
        String bucket = s3.createBucket("mlflow-faulty");
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(s3.endpoint());
                MlflowServerProcess server = MlflowServerProcess.builder(dir.resolve("server"))
                        .extraArgs("--artifacts-destination", "s3://" + bucket + "/proxied")
                        .environment(S3MockServer.environment(proxy.endpoint())).start()) {
            Map<String, String> env = new HashMap<>();
            env.put("MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD", "true");
            env.put("MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE", Long.toString(5L << 20));
            env.put("MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE", Long.toString(5L << 20));
            MlflowRestConnections connections = new MlflowRestConnections(MlflowRestSettings.fromEnvironment(env)
                    .withRetries(2, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(60)));
            RunStore store = new MlflowRestRunStoreFactory(connections).create(server.trackingUri());
            Experiment experiment = store.getOrCreateExperiment("s3-faulty");
            RunInfo run = store.createRun(new CreateRunRequest(experiment.id(), "r", "u", System.currentTimeMillis(), List.of()));
            MlflowArtifactsArtifactStore artifacts = new MlflowArtifactsArtifactStore(connections);
            Path big = randomFile(dir.resolve("big.bin"), (11 << 20) + 7, 8);
            String prefix = "proxied/" + experiment.id() + "/" + run.runId() + "/artifacts/";

            proxy.dropNext(1, "PUT", 0);
            artifacts.logFile(run.artifactUri(), big, "retried");
            assertThat(proxy.faultsInjected()).isEqualTo(1);
            try (InputStream in = artifacts.open(run.artifactUri(), "retried/big.bin")) {
                assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(big));
            }

            proxy.dropNext(1_000, "PUT", 0);
            assertThatThrownBy(() -> artifacts.logFile(run.artifactUri(), big, "failed"))
                    .isInstanceOf(CropcastException.class)
                    .hasMessageContaining("upload part 1 of 'failed/big.bin'");
            proxy.dropNext(0, "PUT", 0);
            assertThat(s3.client().listObjectsV2(b -> b.bucket(bucket).prefix(prefix + "failed/")).contents()).isEmpty();
            assertThat(s3.client().listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
        }
    }
}
