package org.cropcast.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cropcast.storage.s3.TestS3StorageFaults.randomBytes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.StorageArtifactStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pinned Python MLflow (and its boto3) against the same S3-compatible server, configured only
 * through {@link S3MockServer#environment()}: MLflow downloads artifacts cropcast wrote to an
 * {@code s3://} artifact root (a multipart object included) byte-identically, and cropcast reads
 * what boto3 wrote. The venv comes from the system property {@code cropcast.mlflow.venv}; the
 * test fails if it is missing.
 */
class TestS3PythonInterop {
    private static final S3MockServer SERVER = S3MockServer.shared();
    private static final int MIB = 1024 * 1024;

    @TempDir
    Path temp;

    private S3Storage storage;
    private String bucket;

    @BeforeEach
    void start() {
        bucket = SERVER.createBucket("python");
        storage = SERVER.storage(SERVER.config().withMultipartPartSize(5 * MIB));
    }

    @AfterEach
    void stop() {
        storage.close();
    }

    @Test
    void mlflowDownloadsOurS3ArtifactsAndWeReadWhatBoto3Wrote() throws Exception {
        byte[] model = randomBytes(11 * MIB + 7, 31); // three parts
        Path local = Files.createDirectories(temp.resolve("outputs/reports"));
        Files.write(local.resolve("model.bin"), model);
        Files.writeString(local.resolve("summary.csv"), "fold,rmse\n2019,0.42\n");
        String root = "s3://" + bucket + "/mlartifacts/1/0123456789abcdef/artifacts";
        new StorageArtifactStore(storage).logFile(root, local, "");

        String script = String.join("\n",
                "import hashlib, json, os, sys, boto3, mlflow.artifacts",
                "root, dst, bucket = sys.argv[1], sys.argv[2], sys.argv[3]",
                "path = mlflow.artifacts.download_artifacts(artifact_uri=root + '/reports', dst_path=dst)",
                "digests = {}",
                "for name in sorted(os.listdir(path)):",
                "    with open(os.path.join(path, name), 'rb') as f:",
                "        digests[name] = hashlib.sha256(f.read()).hexdigest()",
                "s3 = boto3.client('s3')",
                "s3.put_object(Bucket=bucket, Key='from-python/data.txt', Body=b'written by boto3\\n')",
                "print(json.dumps(digests, sort_keys=True))");
        Path scriptFile = Files.writeString(temp.resolve("interop.py"), script);
        String out = runPython(scriptFile, root, temp.resolve("download").toString(), bucket);

        assertThat(out.trim()).isEqualTo("{\"model.bin\": \"" + sha256(model) + "\", \"summary.csv\": \""
                + sha256("fold,rmse\n2019,0.42\n".getBytes(StandardCharsets.UTF_8)) + "\"}");
        try (InputStream in = storage.newInputStream(Location.of("s3://" + bucket + "/from-python/data.txt"))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("written by boto3\n");
        }
    }

    private static String runPython(Path script, String... args) throws IOException, InterruptedException {
        String venv = System.getProperty("cropcast.mlflow.venv");
        assertThat(venv).as("system property cropcast.mlflow.venv (set by the root pom)").isNotBlank();
        Path python = Path.of(venv, "bin", "python");
        assertThat(python).as("the pinned MLflow venv (the build's ensure-mlflow-venv step installs it)").isExecutable();
        List<String> command = new ArrayList<>(List.of(python.toString(), script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("MLFLOW_"));
        env.putAll(SERVER.environment());
        Path stderr = Files.createTempFile("cropcast-python-", ".err");
        builder.redirectError(stderr.toFile());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean done = process.waitFor(180, TimeUnit.SECONDS);
        String err = Files.readString(stderr);
        Files.deleteIfExists(stderr);
        assertThat(done).as("python finished").isTrue();
        assertThat(process.exitValue()).as("python failed: %s", err).isZero();
        return out;
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

}
