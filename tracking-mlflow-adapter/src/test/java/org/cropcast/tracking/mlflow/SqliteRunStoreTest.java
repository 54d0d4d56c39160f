package org.cropcast.tracking.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.cropcast.tracking.CreateRunRequest;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.Experiment;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.Param;
import org.cropcast.tracking.Run;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunInfo;
import org.cropcast.tracking.RunSearch;
import org.cropcast.tracking.RunStatus;
import org.cropcast.tracking.Tag;
import org.cropcast.tracking.TrackingErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rows SqliteRunStore writes are the rows MLflow 3.17.2's SqlAlchemyStore writes. */
class SqliteRunStoreTest {
    @TempDir
    Path dir;
    Path db;
    SqliteRunStore store;

    @BeforeEach
    void open() {
        db = dir.resolve("data/mlruns.db");
        store = SqliteSchemaParityTest.openStore(db);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private RunInfo newRun(String name) {
        Experiment experiment = store.getOrCreateExperiment("crops");
        return store.createRun(new CreateRunRequest(experiment.id(), name, "alice", 1_000L, List.of(new Tag("stage", "hindcast"))));
    }

    @Test
    void experimentsAndRunsAreRecordedInMlflowsForms() throws Exception {
        Experiment experiment = store.getOrCreateExperiment("crops");
        assertThat(experiment.id().value()).isEqualTo("1");
        String root = dir.resolve("data/mlartifacts").toUri().toString();
        assertThat(experiment.artifactLocation()).isEqualTo(root + "/1");
        assertThat(store.getOrCreateExperiment("crops")).isEqualTo(experiment);
        RunInfo run = store.createRun(new CreateRunRequest(experiment.id(), "r1", "alice", 1_000L, List.of()));
        assertThat(run.runId().value()).matches("[0-9a-f]{32}");
        assertThat(run.runId().value().charAt(12)).isEqualTo('4');
        assertThat(run.artifactUri()).isEqualTo(root + "/1/" + run.runId() + "/artifacts");
        assertThat(SqliteSchemaParityTest.rows(db, "SELECT name, source_type, source_name, entry_point_name, user_id, status,"
                + " start_time, end_time, source_version, lifecycle_stage, experiment_id, deleted_time FROM runs"))
                .isEqualTo("r1|UNKNOWN|||alice|RUNNING|1000|null||active|1|null\n");
        assertThat(SqliteSchemaParityTest.rows(db, "SELECT key, value FROM tags ORDER BY key"))
                .isEqualTo("mlflow.runName|r1\nmlflow.user|alice\n");
        assertThat(SqliteSchemaParityTest.rows(db, "SELECT experiment_id, name, lifecycle_stage, creation_time, workspace FROM experiments"))
                .isEqualTo("0|Default|active|1700000000000|default\n1|crops|active|1700000000000|default\n");

        store.endRun(run.runId(), RunStatus.FINISHED, 5_000L);
        Run ended = store.getRun(run.runId()).orElseThrow();
        assertThat(ended.info().status()).isEqualTo(RunStatus.FINISHED);
        assertThat(ended.info().endTimeMillis()).contains(5_000L);
        RunInfo reopened = store.reopenRun(run.runId());
        assertThat(reopened.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(reopened.endTimeMillis()).as("MLflow's resume keeps the end time").contains(5_000L);
        assertThat(store.searchRuns(RunSearch.all(experiment.id()))).extracting(Run::id).containsExactly(run.runId());
        store.deleteRun(run.runId());
        assertThat(store.searchRuns(RunSearch.all(experiment.id()))).isEmpty();
        assertThat(SqliteSchemaParityTest.rows(db, "SELECT lifecycle_stage, deleted_time FROM runs")).isEqualTo("deleted|1700000000000\n");
        assertThatThrownBy(() -> store.logBatch(run.runId(), List.of(), List.of(new Param("a", "b")), List.of()))
                .isInstanceOf(CropcastException.class).extracting(e -> ((CropcastException) e).errorCode())
                .isEqualTo(TrackingErrorCode.INVALID_RUN_STATE);
    }

    @Test
    void artifactLocationsFollowMlflowsAppendToUriPath() {
        assertThat(SqliteRunStore.appendToUriPath("mlflow-artifacts:/", "1")).isEqualTo("mlflow-artifacts:/1");
        assertThat(SqliteRunStore.appendToUriPath("s3://bucket/p/", "1", "abc", "artifacts")).isEqualTo("s3://bucket/p/1/abc/artifacts");
        assertThat(SqliteRunStore.appendToUriPath("file:///data/mlartifacts", "0")).isEqualTo("file:///data/mlartifacts/0");
    }

    @Test
    void aConfiguredObjectStoreRootIsUsedForNewExperiments() throws Exception {
        Path other = dir.resolve("s3root/mlruns.db");
        try (var s3Store = (SqliteRunStore) new SqliteRunStoreFactory(java.util.Optional.of("s3://bucket/mlartifacts/"),
                java.time.Duration.ofSeconds(5), java.time.Clock.systemUTC(), new java.util.SplittableRandom(3))
                .create("sqlite:///" + other)) {
            Experiment experiment = s3Store.getOrCreateExperiment("remote");
            assertThat(experiment.artifactLocation()).isEqualTo("s3://bucket/mlartifacts/1");
            RunInfo run = s3Store.createRun(new CreateRunRequest(experiment.id(), "r", "alice", 1L, List.of()));
            assertThat(run.artifactUri()).isEqualTo("s3://bucket/mlartifacts/1/" + run.runId() + "/artifacts");
        }
        assertThat(SqliteSchemaParityTest.rows(other, "SELECT artifact_location FROM experiments WHERE experiment_id = 0"))
                .isEqualTo("s3://bucket/mlartifacts/0\n");
    }

    @Test
    void runWithoutNameGetsAGeneratedOneAndTheRunNameTagRenamesIt() throws Exception {
        RunInfo run = newRun("");
        assertThat(run.runName()).matches("[a-z]+-[a-z]+-\\d{1,3}");
        store.logBatch(run.runId(), List.of(), List.of(), List.of(new Tag("mlflow.runName", "renamed")));
        assertThat(store.getRun(run.runId()).orElseThrow().info().runName()).isEqualTo("renamed");
        assertThat(SqliteSchemaParityTest.rows(db, "SELECT name FROM runs")).isEqualTo("renamed\n");
    }

    @Test
    void nanAndInfinitiesAreStoredAsMlflowStoresThem() throws Exception {
        RunInfo run = newRun("m");
        store.logBatch(run.runId(), List.of(new Metric("nan", Double.NaN, 10, 0), new Metric("inf", Double.POSITIVE_INFINITY, 10, 0),
                new Metric("ninf", Double.NEGATIVE_INFINITY, 10, 0)), List.of(), List.of());
        assertThat(SqliteSchemaParityTest.rows(db, "SELECT key, value, is_nan FROM metrics ORDER BY key"))
                .isEqualTo("inf|1.7976931348623157e+308|0\nnan|0.0|1\nninf|-1.7976931348623157e+308|0\n");
        assertThat(SqliteSchemaParityTest.rows(db, "SELECT key, value, is_nan, step, timestamp FROM latest_metrics ORDER BY key"))
                .isEqualTo("inf|1.7976931348623157e+308|0|0|10\nnan|0.0|1|0|10\nninf|-1.7976931348623157e+308|0|0|10\n");
        assertThat(store.getMetricHistory(run.runId(), "nan")).extracting(Metric::value).containsExactly(Double.NaN);
        assertThat(store.getMetricHistory(run.runId(), "inf")).extracting(Metric::value).containsExactly(Double.POSITIVE_INFINITY);
        assertThat(store.getRun(run.runId()).orElseThrow().data().latestMetrics().get("ninf").value())
                .isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void duplicateMetricRowsAreIgnoredAndLatestMetricsFollowStepTimestampValue() throws Exception {
        RunInfo run = newRun("m");
        store.logBatch(run.runId(), List.of(new Metric("loss", 0.5, 100, 1), new Metric("loss", 0.5, 100, 1),
                new Metric("loss", 0.9, 50, 2), new Metric("loss", 0.1, 200, 0)), List.of(), List.of());
        store.logBatch(run.runId(), List.of(new Metric("loss", 0.5, 100, 1)), List.of(), List.of());
        assertThat(SqliteSchemaParityTest.rows(db, "SELECT count(*) FROM metrics")).isEqualTo("3\n");
        assertThat(store.getMetricHistory(run.runId(), "loss")).extracting(Metric::step).containsExactly(0L, 1L, 2L);
        assertThat(store.getRun(run.runId()).orElseThrow().data().latestMetrics().get("loss"))
                .isEqualTo(new Metric("loss", 0.9, 50, 2));
        // same step and timestamp, greater value wins (MLflow compares (step, timestamp, value))
        store.logBatch(run.runId(), List.of(new Metric("loss", 0.95, 50, 2), new Metric("loss", 0.2, 50, 2)), List.of(), List.of());
        assertThat(store.getRun(run.runId()).orElseThrow().data().latestMetrics().get("loss").value()).isEqualTo(0.95);
    }

    @Test
    void paramsAreWriteOnceAndAConflictWritesNothingOfTheBatch() throws Exception {
        RunInfo run = newRun("p");
        store.logBatch(run.runId(), List.of(), List.of(new Param("alpha", "1")), List.of());
        store.logBatch(run.runId(), List.of(), List.of(new Param("alpha", "1")), List.of());
        assertThatThrownBy(() -> store.logBatch(run.runId(), List.of(new Metric("m", 1, 1, 1)),
                List.of(new Param("beta", "2"), new Param("alpha", "3")), List.of(new Tag("t", "v"))))
                .isInstanceOf(CropcastException.class)
                .hasMessageContaining("'alpha' (logged '1', new '3')")
                .extracting(e -> ((CropcastException) e).errorCode()).isEqualTo(TrackingErrorCode.PARAM_CONFLICT);
        assertThat(SqliteSchemaParityTest.rows(db, "SELECT count(*) FROM params")).isEqualTo("1\n");
        assertThat(SqliteSchemaParityTest.rows(db, "SELECT count(*) FROM metrics")).isEqualTo("0\n");
        assertThat(SqliteSchemaParityTest.rows(db, "SELECT count(*) FROM tags WHERE key = 't'")).isEqualTo("0\n");
    }

    @Test
    void keysAndValuesAreCheckedAgainstMlflowsLimits() {
        RunInfo run = newRun("k");
        RunId id = run.runId();
        assertThat(code(() -> store.logBatch(id, List.of(new Metric("bad!key", 1, 1, 1)), List.of(), List.of())))
                .isEqualTo(TrackingErrorCode.INVALID_KEY);
        assertThat(code(() -> store.logBatch(id, List.of(), List.of(new Param("../up", "1")), List.of())))
                .isEqualTo(TrackingErrorCode.INVALID_KEY);
        assertThat(code(() -> store.logBatch(id, List.of(), List.of(new Param("k".repeat(251), "1")), List.of())))
                .isEqualTo(TrackingErrorCode.INVALID_KEY);
        assertThat(code(() -> store.logBatch(id, List.of(), List.of(new Param("long", "v".repeat(6001))), List.of())))
                .isEqualTo(TrackingErrorCode.VALUE_TOO_LONG);
        assertThat(code(() -> store.logBatch(id, List.of(), List.of(), List.of(new Tag("long", "v".repeat(8001))))))
                .isEqualTo(TrackingErrorCode.VALUE_TOO_LONG);
        assertThat(code(() -> store.logBatch(id, List.of(new Metric("neg", 1, -1, 1)), List.of(), List.of())))
                .isEqualTo(TrackingErrorCode.INVALID_ARGUMENT);
        assertThat(code(() -> store.logBatch(id, List.of(), List.of(new Param("dup", "1"), new Param("dup", "1")), List.of())))
                .isEqualTo(TrackingErrorCode.INVALID_ARGUMENT);
        // the limits themselves are fine
        store.logBatch(id, List.of(new Metric("a/b/c d-e.f_g", 1, 1, 1)), List.of(new Param("k".repeat(250), "v".repeat(6000))),
                List.of(new Tag("t", "v".repeat(8000))));
        assertThat(store.getRun(id).orElseThrow().data().params()).containsKey("k".repeat(250));
        assertThat(code(() -> store.logBatch(RunId.of("0123456789abcdef0123456789abcdef"), List.of(), List.of(new Param("a", "b")), List.of())))
                .isEqualTo(TrackingErrorCode.RUN_NOT_FOUND);
    }

    private static Object code(Runnable action) {
        try {
            action.run();
        } catch (CropcastException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
            return e.errorCode();
        }
        throw new AssertionError("no exception");
    }
}
