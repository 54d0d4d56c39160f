package org.cropcast.tracking.mlflow;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.cropcast.tracking.CreateRunRequest;
import org.cropcast.tracking.Experiment;
import org.cropcast.tracking.RunInfo;
import org.cropcast.tracking.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads stream: a child JVM with a small heap uploads a file several times larger than its heap
 * through the artifact proxy, and the bytes arrive intact. Always runs with 64 MiB and
 * {@code -Xmx64m}; the {@code long-tests} profile ({@code mvn -P long-tests}) runs the issue's
 * 1 GiB with {@code -Xmx256m} (system properties {@code cropcast.large.upload.bytes} and
 * {@code cropcast.large.upload.xmx}).
 */
class MlflowArtifactsLargeUploadTest {
    private final MlflowServerProcess server = SharedMlflowServer.get();

    @TempDir
    Path dir;

    @Test
    void aFileLargerThanTheHeapUploadsIntact() throws Exception {
        long size = Long.getLong("cropcast.large.upload.bytes", 64L << 20);
        String xmx = System.getProperty("cropcast.large.upload.xmx", "64m");
        Path file = dir.resolve("big.bin");
        String sha = generate(file, size);

        MlflowRestConnections connections = new MlflowRestConnections(MlflowRestSettings.defaults());
        RunStore store = new MlflowRestRunStoreFactory(connections).create(server.trackingUri());
        Experiment experiment = store.getOrCreateExperiment("large-upload");
        RunInfo run = store.createRun(new CreateRunRequest(experiment.id(), "big", "u", System.currentTimeMillis(), List.of()));

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("child.log");
        Process child = new ProcessBuilder(java, "-Xmx" + xmx, "-cp", System.getProperty("java.class.path"),
                MlflowArtifactsUploadMain.class.getName(), server.trackingUri(), run.artifactUri(), file.toString(), "data")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(child.waitFor(20, TimeUnit.MINUTES)).isTrue();
        String output = Files.readString(log, UTF_8);
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).contains("uploaded " + size);

        Path stored = server.artifactsDestination().resolve(experiment.id().value()).resolve(run.runId().value())
                .resolve("artifacts/data/big.bin");
        assertThat(Files.size(stored)).isEqualTo(size);
        try (InputStream in = new MlflowArtifactsArtifactStore(connections).open(run.artifactUri(), "data/big.bin")) {
            assertThat(sha256(in)).isEqualTo(sha);
        }
    }

    /** Writes {@code size} pseudo-random bytes in 1 MiB blocks and returns their SHA-256. */
    private static String generate(Path file, long size) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] block = new byte[1 << 20];
        Random random = new Random(42);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; ) {
                random.nextBytes(block);
                int n = (int) Math.min(block.length, size - written);
                out.write(block, 0, n);
                digest.update(block, 0, n);
                written += n;
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (DigestInputStream digesting = new DigestInputStream(in, digest)) {
            digesting.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw e;
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
