package org.cropcast.tracking.mlflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cropcast.tracking.LocalStorage;
import org.cropcast.tracking.StorageArtifactStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pinned Python MLflow reads the logged model, its files, the registry and the run inputs and
 * outputs that cropcast wrote into an SQLite database; and the rows are the ones Python writes.
 */
class SqliteModelPythonInteropTest {
    @TempDir
    Path dir;

    @Test
    void pythonMlflowReadsModelsRegistryAndLineage() throws Exception {
        Path db = dir.resolve("mlruns.db");
        ModelLineageScenario.Written written;
        try (SqliteRunStore runs = SqliteSchemaParityTest.openStore(db);
                SqliteModelStore models = SqliteModelStore.beside(runs, java.time.Clock.systemUTC(), new java.security.SecureRandom())) {
            written = ModelLineageScenario.write(runs, models, new StorageArtifactStore(new LocalStorage()), dir, "maize", "maize-yield");
        }
        ModelLineageScenario.assertPythonReads(written, "sqlite:///" + db, Map.of(), dir);
    }

    /** The rows Python MLflow 3.17.2 writes for log_input + log_model + register (docs/MODELS.md), compared column by column. */
    @Test
    void rowsHaveMlflowsShape() throws Exception {
        Path db = dir.resolve("mlruns.db");
        ModelLineageScenario.Written w;
        try (SqliteRunStore runs = SqliteSchemaParityTest.openStore(db);
                SqliteModelStore models = SqliteModelStore.beside(runs, java.time.Clock.systemUTC(), new java.util.SplittableRandom(3))) {
            w = ModelLineageScenario.write(runs, models, new StorageArtifactStore(new LocalStorage()), dir, "maize", "maize-yield");
        }
        String id = w.model().modelId().value();
        String location = SqliteRunStore.defaultArtifactRoot(SqliteTrackingUri.parse("sqlite:///" + db)) + "/1/models/" + id + "/artifacts";
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            assertThat(rows(c, "SELECT experiment_id, name, artifact_location, status, lifecycle_stage, model_type, source_run_id,"
                    + " status_message, typeof(status) FROM logged_models")).containsExactly(
                    List.of("1", "production", location, "2", "active", "cropcast", w.training().value(), "null", "integer"));
            assertThat(rows(c, "SELECT name, version, description, user_id, current_stage, source, run_id, status, status_message,"
                    + " run_link, storage_location, workspace FROM model_versions")).containsExactly(
                    List.of("maize-yield", "1", "null", "null", "None", "models:/" + id, w.training().value(), "READY", "null", "null",
                            location, "default"));
            assertThat(rows(c, "SELECT name, description, workspace FROM registered_models"))
                    .containsExactly(List.of("maize-yield", "null", "default"));
            assertThat(rows(c, "SELECT alias, version, name, workspace FROM registered_model_aliases"))
                    .containsExactly(List.of("champion", "1", "maize-yield", "default"));
            assertThat(rows(c, "SELECT source_type, destination_type, step, length(input_uuid) FROM inputs ORDER BY rowid")).containsExactly(
                    List.of("DATASET", "RUN", "0", "32"), List.of("DATASET", "RUN", "0", "32"), List.of("RUN_OUTPUT", "MODEL_OUTPUT", "0", "32"),
                    List.of("RUN_INPUT", "MODEL_INPUT", "0", "32"));
            assertThat(rows(c, "SELECT t.name, t.value FROM input_tags t JOIN inputs i ON i.input_uuid = t.input_uuid"))
                    .containsExactly(List.of("mlflow.data.context", "training"), List.of("mlflow.data.context", "training"));
            assertThat(rows(c, "SELECT experiment_id, name, dataset_source_type, dataset_source, length(dataset_uuid) FROM datasets"
                    + " ORDER BY name")).containsExactly(List.of("1", "features", "s3", "{\"uri\": \"s3://bucket/features.csv\"}", "32"),
                    List.of("1", "target", "local", "{\"uri\": \"/data/target.csv\"}", "32"));
            assertThat(rows(c, "SELECT metric_name, metric_value, metric_step, experiment_id, run_id, dataset_uuid, dataset_name,"
                    + " dataset_digest FROM logged_model_metrics")).containsExactly(List.of("rmse_in_sample", "0.25", "0", "1",
                    w.training().value(), "null", "target", "0123456789abcdef0123456789abcdef"));
            assertThat(rows(c, "SELECT key, value FROM metrics WHERE run_uuid = '" + w.training() + "'"))
                    .containsExactly(List.of("rmse_in_sample", "0.25"));
        }
    }

    private static List<List<String>> rows(Connection c, String sql) throws Exception {
        List<List<String>> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            ResultSetMetaData meta = r.getMetaData();
            while (r.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.add(String.valueOf(r.getString(i)));
                }
                out.add(row);
            }
        }
        return out;
    }
}
