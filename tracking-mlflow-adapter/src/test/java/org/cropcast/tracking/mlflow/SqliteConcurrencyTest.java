package org.cropcast.tracking.mlflow;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.Run;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many OS processes on one database that does not exist yet, all starting at the same moment;
 * and a writer killed with SIGKILL in the middle of a batch. The number of writers and batches
 * can be raised with -Dcropcast.sqlite.writers / -Dcropcast.sqlite.batches (issue 8 asks 32).
 */
class SqliteConcurrencyTest {
    private static final int WRITERS = Integer.getInteger("cropcast.sqlite.writers", 16);
    private static final int BATCHES = Integer.getInteger("cropcast.sqlite.batches", 200);
    private static final int METRICS_PER_BATCH = 10;

    @TempDir
    Path dir;

    private Process start(Path db, Path go, int index, int batches, int perBatch, String end) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
                SqliteWriterProcess.class.getName(), db.toString(), go.toString(), Integer.toString(index),
                Integer.toString(batches), Integer.toString(perBatch), end);
        return new ProcessBuilder(command).redirectError(dir.resolve("writer-" + index + ".err").toFile()).start();
    }

    private static String awaitLine(Process process, BufferedReader out, String prefix) throws Exception {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new AssertionError("process ended before printing '" + prefix + "', exit " + process.waitFor());
    }

    @Test
    void sixteenProcessesCreateAndWriteOneNewDatabaseWithoutAFailureOrALostRow() throws Exception {
        Path db = dir.resolve("new/mlruns.db");
        Path go = dir.resolve("go");
        List<Process> writers = new ArrayList<>();
        List<BufferedReader> outputs = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            Process p = start(db, go, i, BATCHES, METRICS_PER_BATCH, "end");
            writers.add(p);
            outputs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), UTF_8)));
        }
        for (int i = 0; i < WRITERS; i++) {
            awaitLine(writers.get(i), outputs.get(i), "ready");
        }
        assertThat(db).doesNotExist();
        Files.createFile(go);
        List<RunId> runs = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            runs.add(RunId.of(awaitLine(writers.get(i), outputs.get(i), "run ").substring(4)));
            awaitLine(writers.get(i), outputs.get(i), "done");
            assertThat(writers.get(i).waitFor(5, TimeUnit.MINUTES)).isTrue();
            assertThat(writers.get(i).exitValue()).as("writer %d: %s", i, Files.readString(dir.resolve("writer-" + i + ".err")))
                    .isZero();
        }

        assertThat(SqliteSchemaParityTest.rows(db, "PRAGMA integrity_check")).isEqualTo("ok\n");
        assertThat(SqliteSchemaParityTest.rows(db, "SELECT count(*) FROM experiments WHERE name = 'concurrency'")).isEqualTo("1\n");
        assertThat(SqliteSchemaParityTest.rows(db, "SELECT count(*) FROM runs WHERE status = 'FINISHED'")).isEqualTo(WRITERS + "\n");
        assertThat(SqliteSchemaParityTest.rows(db, "SELECT count(*) FROM metrics"))
                .isEqualTo((long) WRITERS * BATCHES * METRICS_PER_BATCH + "\n");
        assertThat(SqliteSchemaParityTest.rows(db, "SELECT count(*) FROM params")).isEqualTo(WRITERS * 9 + "\n");
        assertThat(SqliteSchemaParityTest.rows(db, "SELECT count(*) FROM tags")).isEqualTo(WRITERS * (20 + 3) + "\n");
        assertThat(SqliteSchemaParityTest.rows(db, "PRAGMA journal_mode")).isEqualTo("wal\n");
        try (SqliteRunStore store = SqliteSchemaParityTest.openStore(db)) {
            for (RunId run : runs) {
                Run read = store.getRun(run).orElseThrow();
                assertThat(read.info().status()).isEqualTo(RunStatus.FINISHED);
                assertThat(read.data().latestMetrics().get("metric0")).isEqualTo(new Metric("metric0", (BATCHES - 1) * 0.5,
                        1_700_000_000_000L + BATCHES - 1, BATCHES - 1));
            }
        }
    }

    @Test
    void aWriterKilledMidBatchLeavesTheDatabaseIntactAndOthersUnaffected() throws Exception {
        Path db = dir.resolve("mlruns.db");
        SqliteSchemaParityTest.openStore(db).close();
        Path go = dir.resolve("go");
        int perBatch = 2000;
        Process victim = start(db, go, 99, 0, perBatch, "keep-running");
        BufferedReader victimOut = new BufferedReader(new InputStreamReader(victim.getInputStream(), UTF_8));
        List<Process> others = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            others.add(start(db, go, i, 100, METRICS_PER_BATCH, "end"));
        }
        awaitLine(victim, victimOut, "ready");
        Files.createFile(go);
        RunId victimRun = RunId.of(awaitLine(victim, victimOut, "run ").substring(4));
        awaitLine(victim, victimOut, "logging");
        Thread.sleep(150);
        victim.destroyForcibly(); // SIGKILL on POSIX
        assertThat(victim.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(victim.exitValue()).isEqualTo(137);
        for (int i = 0; i < others.size(); i++) {
            assertThat(others.get(i).waitFor(5, TimeUnit.MINUTES)).isTrue();
            assertThat(others.get(i).exitValue()).as(Files.readString(dir.resolve("writer-" + i + ".err"))).isZero();
        }

        assertThat(SqliteSchemaParityTest.rows(db, "PRAGMA integrity_check")).isEqualTo("ok\n");
        assertThat(SqliteSchemaParityTest.rows(db, "SELECT count(*) FROM metrics m JOIN runs r USING (run_uuid) WHERE r.name LIKE 'writer-_'"))
                .isEqualTo(3 * 100 * METRICS_PER_BATCH + "\n");
        long victimRows = Long.parseLong(SqliteSchemaParityTest.rows(db, "SELECT count(*) FROM metrics WHERE run_uuid = '" + victimRun + "'").strip());
        assertThat(victimRows).isPositive();
        assertThat(victimRows % perBatch).as("a batch is all or nothing").isZero();
        try (SqliteRunStore store = SqliteSchemaParityTest.openStore(db)) {
            Run dead = store.getRun(victimRun).orElseThrow();
            assertThat(dead.info().status()).isEqualTo(RunStatus.RUNNING);
            assertThat(dead.data().tags().get("progress")).isEqualTo(Long.toString(victimRows / perBatch - 1));
            store.reopenRun(victimRun);
            store.logBatch(victimRun, List.of(new Metric("after", 1, 1, 1)), List.of(), List.of());
            store.endRun(victimRun, RunStatus.KILLED, 2);
            assertThat(store.getRun(victimRun).orElseThrow().info().status()).isEqualTo(RunStatus.KILLED);
        }
    }
}
