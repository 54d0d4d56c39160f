package org.cropcast.pipeline.proof;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.cropcast.tracking.CreateRunRequest;
import org.cropcast.tracking.Experiment;
import org.cropcast.tracking.LocalStorage;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunInfo;
import org.cropcast.tracking.RunStatus;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.StorageArtifactStore;
import org.cropcast.tracking.mlflow.SqliteRunStoreFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cropcast runs sync} killed with SIGKILL (no shutdown hook runs) in the middle of a metric
 * history and in the middle of an artifact upload, then started again: the copy completes with no
 * duplicate run, metric row or file, and no partial file was ever visible at the destination.
 */
class SyncKillTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final int POINTS = 200_000;
    private static final int BIG_FILE = 192 * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void killedMidHistoryThenRestartedCompletesWithoutDuplicates() throws Exception {
        String from = "sqlite:///" + dir.resolve("node/mlruns.db");
        String to = "sqlite:///" + dir.resolve("team/mlruns.db");
        RunId run = sourceRun(from, POINTS, 0);
        CropcastProcess sync = CropcastProcess.start(dir, dir.resolve("logs"), "sync-1", Map.of(), args(from, to));
        long seen = awaitRows(dir.resolve("team/mlruns.db"), "select count(*) from metrics", sync);
        sync.kill();
        assertThat(seen).as("killed in the middle of the history").isBetween(1L, POINTS - 1L);
        long afterKill = count(dir.resolve("team/mlruns.db"), "select count(*) from metrics");
        assertThat(afterKill).isLessThan(POINTS);

        CropcastProcess.Exit again = CropcastProcess.run(dir, dir.resolve("logs"), "sync-2", Map.of(), args(from, to), Duration.ofMinutes(5));

        assertThat(again.code()).as(again.toString()).isZero();
        assertThat(again.out()).contains("0 created, 1 updated", String.format("%,d metric points", POINTS - afterKill));
        Path team = dir.resolve("team/mlruns.db");
        assertThat(count(team, "select count(*) from runs")).isEqualTo(1);
        assertThat(count(team, "select count(*) from metrics")).isEqualTo(POINTS);
        assertThat(count(team, "select count(distinct step) from metrics")).isEqualTo(POINTS);
        assertThat(count(team, "select count(*) from runs where status = 'FINISHED'")).isEqualTo(1);
        assertThat(count(team, "select count(*) from tags where key = 'cropcast.sync.source_run_id' and value = '" + run + "'")).isEqualTo(1);
        CropcastProcess.Exit third = CropcastProcess.run(dir, dir.resolve("logs"), "sync-3", Map.of(), args(from, to), Duration.ofMinutes(5));
        assertThat(third.out()).contains("0 created, 0 updated, 1 unchanged");
    }

    @Test
    void killedMidUploadLeavesNoPartialFileAndRestartCompletes() throws Exception {
        String from = "sqlite:///" + dir.resolve("node/mlruns.db");
        String to = "sqlite:///" + dir.resolve("team/mlruns.db");
        sourceRun(from, 10, BIG_FILE);
        Path sourceFile = Files.walk(dir.resolve("node/mlartifacts")).filter(p -> p.getFileName().toString().equals("big.bin")).findFirst()
                .orElseThrow();
        CropcastProcess sync = CropcastProcess.start(dir, dir.resolve("logs"), "sync-1", Map.of(), args(from, to));
        Path teamArtifacts = dir.resolve("team/mlartifacts");
        boolean midUpload = false;
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (sync.isAlive() && System.nanoTime() < deadline) {
            if (files(teamArtifacts).stream().anyMatch(p -> p.getFileName().toString().startsWith(".big.bin.cropcast-tmp-"))) {
                sync.kill();
                midUpload = true;
                break;
            }
            Thread.sleep(1);
        }
        assertThat(midUpload).as("the sync was caught writing big.bin").isTrue();
        // what MLflow (or anyone listing the artifact root) can see: no big.bin, whole or partial
        assertThat(new StorageArtifactStore(new LocalStorage()).list(copyRoot(), ""))
                .noneMatch(e -> e.path().equals("big.bin"));

        CropcastProcess.Exit again = CropcastProcess.run(dir, dir.resolve("logs"), "sync-2", Map.of(), args(from, to), Duration.ofMinutes(5));

        assertThat(again.code()).as(again.toString()).isZero();
        assertThat(count(dir.resolve("team/mlruns.db"), "select count(*) from runs")).isEqualTo(1);
        Path copied = Path.of(java.net.URI.create(copyRoot())).resolve("big.bin");
        assertThat(sha256(copied)).isEqualTo(sha256(sourceFile));
        assertThat(files(teamArtifacts)).as("the leftover of the killed upload is gone")
                .noneMatch(p -> p.getFileName().toString().contains(".cropcast-tmp-"));
    }

    private static List<String> args(String from, String to) {
        return List.of("runs", "sync", "--from", from, "--to", to);
    }

    /** One FINISHED run with a history of {@code points} steps and, if {@code bigFile > 0}, a file of that size. */
    private RunId sourceRun(String uri, int points, int bigFile) throws IOException {
        try (RunStore store = new SqliteRunStoreFactory().create(uri)) {
            Experiment experiment = store.getOrCreateExperiment("field");
            RunInfo run = store.createRun(new CreateRunRequest(experiment.id(), "long-run", "alice", T0, List.of()));
            List<Metric> batch = new ArrayList<>();
            for (int i = 0; i < points; i++) {
                batch.add(new Metric("loss", 1.0 / (i + 1), T0 + i, i));
                if (batch.size() == 1000 || i == points - 1) {
                    store.logBatch(run.runId(), batch, List.of(), List.of());
                    batch.clear();
                }
            }
            if (bigFile > 0) {
                Path file = dir.resolve("files/big.bin");
                Files.createDirectories(file.getParent());
                byte[] block = new byte[1024 * 1024];
                new Random(5).nextBytes(block);
                try (OutputStream out = Files.newOutputStream(file)) {
                    for (int written = 0; written < bigFile; written += block.length) {
                        out.write(block, 0, Math.min(block.length, bigFile - written));
                    }
                }
                new StorageArtifactStore(new LocalStorage()).logFile(run.artifactUri(), file, "");
                Files.delete(file);
            }
            store.endRun(run.runId(), RunStatus.FINISHED, T0 + points);
            return run.runId();
        }
    }

    private String copyRoot() throws Exception {
        try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("team/mlruns.db"));
                ResultSet rows = sql.createStatement().executeQuery("select artifact_uri from runs")) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }

    /** Waits until the query counts at least one row, and returns the count. */
    private static long awaitRows(Path db, String query, CropcastProcess sync) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline && sync.isAlive()) {
            if (Files.exists(db)) {
                long n = count(db, query);
                if (n > 0) {
                    return n;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no rows appeared before the sync ended");
    }

    private static long count(Path db, String query) throws Exception {
        try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + db);
                ResultSet rows = sql.createStatement().executeQuery(query)) {
            return rows.next() ? rows.getLong(1) : 0;
        } catch (java.sql.SQLException e) {
            return 0; // the schema is still being created
        }
    }

    private static List<Path> files(Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).toList();
        } catch (java.io.UncheckedIOException e) {
            return List.of(); // a temporary file moved away while walking
        }
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
