package org.cropcast.tracking.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.cropcast.tracking.CreateRunRequest;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.ExperimentId;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.Param;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunStatus;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database created by cropcast is migrated by {@code mlflow db upgrade} of a newer MLflow
 * release than the pinned one (root pom: {@code mlflow.newer.version}), which then reads the runs
 * as cropcast wrote them; cropcast itself refuses the migrated database, naming both schema
 * versions, and leaves it untouched.
 */
class SqliteNewerMlflowUpgradeTest {
    private static final Duration PYTHON_TIMEOUT = Duration.ofMinutes(5);

    /** Prints the newer release's version and alembic head, then what it reads from the database. */
    private static final String READ_AFTER_UPGRADE = """
            import os, sqlite3, sys
            import mlflow
            import mlflow.store.db_migrations as migrations
            from alembic.config import Config
            from alembic.script import ScriptDirectory
            from mlflow import MlflowClient
            config = Config()
            config.set_main_option("script_location", os.path.dirname(migrations.__file__))
            print("version", mlflow.__version__)
            print("head", ScriptDirectory.from_config(config).get_current_head())
            db = sqlite3.connect(sys.argv[1])
            print("stamped", " ".join(r[0] for r in db.execute("SELECT version_num FROM alembic_version")))
            print("integrity", db.execute("PRAGMA integrity_check").fetchone()[0])
            db.close()
            client = MlflowClient(tracking_uri="sqlite:///" + sys.argv[1])
            run = client.get_run(sys.argv[2])
            print("run", run.info.run_name, run.info.status, run.info.lifecycle_stage)
            for k in sorted(run.data.params): print("param", k, run.data.params[k])
            for k in sorted(run.data.tags):
                if not k.startswith("mlflow."): print("tag", k, run.data.tags[k])
            for k in sorted(run.data.metrics): print("latest", k, repr(run.data.metrics[k]))
            for m in client.get_metric_history(sys.argv[2], "rmse"): print("history", repr(m.value), m.timestamp, m.step)
            """;

    @TempDir
    Path dir;

    @Test
    void aNewerMlflowMigratesCropcastsDatabaseAndReadsItsRuns() throws Exception {
        String newer = System.getProperty("cropcast.mlflow.newer.version");
        assertThat(newer).as("system property cropcast.mlflow.newer.version (set by the root pom)").isNotBlank();
        Path newerPackage = MlflowPython.venv().resolve("newer-mlflow-" + newer);
        assertThat(newerPackage.resolve("mlflow/__init__.py"))
                .as("MLflow %s installed by the build's ensure-mlflow-venv step", newer).isRegularFile();

        Path db = dir.resolve("mlruns.db");
        RunId run;
        try (RunStore store = SqliteSchemaParityTest.openStore(db)) {
            ExperimentId experiment = store.getOrCreateExperiment("upgrade").id();
            run = store.createRun(new CreateRunRequest(experiment, "before-upgrade", "alice", 1_700_000_000_000L,
                    List.of(new Tag("crop", "corn")))).runId();
            store.logBatch(run, List.of(new Metric("rmse", 0.5, 1_700_000_000_100L, 0), new Metric("rmse", Double.NaN, 1_700_000_000_200L, 1),
                    new Metric("rmse", 0.25, 1_700_000_000_300L, 2), new Metric("bias", Double.POSITIVE_INFINITY, 1_700_000_000_300L, 0)),
                    List.of(new Param("alpha", "0.1")), List.of());
            store.endRun(run, RunStatus.FINISHED, 1_700_000_001_000L);
        }

        Map<String, String> env = Map.of("PYTHONPATH", newerPackage.toString(), "PYTHONWARNINGS", "ignore");
        MlflowPython.run(List.of(MlflowPython.python().toString(), "-m", "mlflow", "db", "upgrade", "sqlite:///" + db), env, PYTHON_TIMEOUT)
                .requireSuccess();
        String read = MlflowPython.runScript(READ_AFTER_UPGRADE, List.of(db.toString(), run.value()), env, PYTHON_TIMEOUT)
                .requireSuccess().stdout();

        String head = line(read, "head");
        assertThat(line(read, "version")).isEqualTo(newer);
        assertThat(head).as("the newer release adds migrations, so this test proves one ran")
                .isNotEqualTo(SqliteSchema.pinned().alembicHead());
        assertThat(line(read, "stamped")).isEqualTo(head);
        assertThat(line(read, "integrity")).isEqualTo("ok");
        // +inf is stored as the largest double, and read back so from latest_metrics, as MLflow itself does
        assertThat(read).contains("""
                run before-upgrade FINISHED active
                param alpha 0.1
                tag crop corn
                latest bias 1.7976931348623157e+308
                latest rmse 0.25
                history 0.5 1700000000100 0
                history nan 1700000000200 1
                history 0.25 1700000000300 2
                """);

        byte[] before = Files.readAllBytes(db);
        assertThatThrownBy(() -> SqliteSchemaParityTest.openStore(db).close())
                .isInstanceOfSatisfying(CropcastException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(SqliteErrorCode.UNKNOWN_SCHEMA_VERSION);
                    assertThat(e.getMessage()).isEqualTo("database " + db + " has MLflow schema version " + head
                            + " but cropcast expects " + SqliteSchema.pinned().alembicHead() + " (MLflow "
                            + SqliteSchema.pinned().mlflowVersion() + "); left untouched");
                });
        assertThat(Files.readAllBytes(db)).isEqualTo(before);
    }

    private static String line(String output, String label) {
        return output.lines().filter(l -> l.startsWith(label + " ")).map(l -> l.substring(label.length() + 1)).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + label + "' line in:\n" + output));
    }
}
