package org.cropcast.tracking.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.cropcast.tracking.CreateRunRequest;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.ErrorCategory;
import org.cropcast.tracking.Experiment;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.RunInfo;
import org.cropcast.tracking.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20, a full disk under the database: SQLite's own {@code SQLITE_FULL}, provoked without root
 * by capping the database at a few pages more than it has ({@code PRAGMA max_page_count} on the
 * store's own connection; the cap is not persistent, so only this connection sees it). The write is
 * refused as an external failure naming the file, nothing of it is kept, and the database stays intact.
 */
class SqliteFullDatabaseTest {
    @TempDir
    Path dir;

    @Test
    void aFullDatabaseIsAnExternalFailureNamingTheFileAndKeepsNothingOfTheWrite() throws Exception {
        Path file = dir.resolve("mlruns.db");
        SqliteRunStore store = SqliteRunStore.open(SqliteTrackingUri.parse("sqlite:///" + file), Optional.empty(), Duration.ofSeconds(5),
                Clock.systemUTC(), new SplittableRandom(1));
        Experiment experiment = store.getOrCreateExperiment("full");
        RunInfo run = store.createRun(new CreateRunRequest(experiment.id(), "r", "u", 1L, List.of()));
        SqliteDatabase db = database(store);
        long pages = db.read(d -> {
            try (ResultSet rs = d.prepare("PRAGMA page_count").executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
        db.write(d -> {
            try (ResultSet rs = d.prepare("PRAGMA max_page_count = " + (pages + 4)).executeQuery()) {
                return rs.next();
            }
        });
        List<Metric> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            batch.add(new Metric("m" + i, i, 1L, 0L));
        }
        assertThatThrownBy(() -> {
            for (int i = 0; i < 50; i++) {
                store.logBatch(run.runId(), batch, List.of(), List.of());
                batch.replaceAll(m -> new Metric(m.key(), m.value(), m.timestampMillis(), m.step() + 1));
            }
        }).isInstanceOfSatisfying(CropcastException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(SqliteErrorCode.DATABASE_FULL);
            assertThat(e.category()).isEqualTo(ErrorCategory.EXTERNAL_SYSTEM);
            assertThat(e.getMessage()).contains(file.toString(), "it is full").doesNotContain("\n");
        });
        // the run is still there, still RUNNING, the database intact (the failed batch rolled back whole)
        assertThat(store.getRun(run.runId()).orElseThrow().info().status()).isEqualTo(RunStatus.RUNNING);
        String integrity = db.read(d -> {
            try (ResultSet rs = d.prepare("PRAGMA integrity_check").executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        });
        assertThat(integrity).isEqualTo("ok");
        store.close();
    }

    private static SqliteDatabase database(SqliteRunStore store) throws ReflectiveOperationException {
        java.lang.reflect.Field field = SqliteRunStore.class.getDeclaredField("db");
        field.setAccessible(true);
        return (SqliteDatabase) field.get(store);
    }
}
