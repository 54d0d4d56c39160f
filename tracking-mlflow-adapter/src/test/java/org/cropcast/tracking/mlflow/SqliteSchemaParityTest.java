package org.cropcast.tracking.mlflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database cropcast creates is the one the pinned Python MLflow creates. */
class SqliteSchemaParityTest {
    @TempDir
    Path dir;

    static SqliteRunStore openStore(Path db) {
        return SqliteRunStore.open(SqliteTrackingUri.parse("sqlite:///" + db), Optional.empty(), Duration.ofSeconds(30),
                Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC), new SplittableRandom(7));
    }

    @Test
    void newDatabaseHasExactlyTheSchemaOfThePinnedMlflow() throws Exception {
        Path python = dir.resolve("python/mlruns.db");
        Files.createDirectories(python.getParent());
        MlflowPython.runScript("""
                import sys
                from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore
                SqlAlchemyStore("sqlite:///" + sys.argv[1], sys.argv[2])
                """, List.of(python.toString(), dir.resolve("python/mlartifacts").toString()), Map.of(), Duration.ofMinutes(3))
                .requireSuccess();
        Path ours = dir.resolve("cropcast/mlruns.db");
        openStore(ours).close();

        assertThat(SqliteSchemaSnapshot.alembicHead(ours)).isEqualTo(SqliteSchemaSnapshot.alembicHead(python))
                .isEqualTo(SqliteSchema.pinned().alembicHead());
        String expected = SqliteSchemaSnapshot.describe(python);
        assertThat(expected).contains("table metrics on metrics", "CHECK (is_nan IN (0, 1))", "trigger prevent_secrets_aad_mutation");
        assertThat(SqliteSchemaSnapshot.describe(ours)).isEqualTo(expected);
        assertThat(rows(ours, "SELECT * FROM workspaces")).isEqualTo(rows(python, "SELECT * FROM workspaces"));
        assertThat(rows(ours, "SELECT experiment_id, name, lifecycle_stage, workspace, creation_time = last_update_time FROM experiments"))
                .isEqualTo(rows(python, "SELECT experiment_id, name, lifecycle_stage, workspace, creation_time = last_update_time FROM experiments"))
                .isEqualTo("0|Default|active|default|1\n");
        assertThat(rows(ours, "SELECT artifact_location FROM experiments"))
                .isEqualTo(dir.resolve("cropcast/mlartifacts").toUri() + "/0\n");
    }

    @Test
    void pythonMlflowOpensAndUpgradesOurDatabaseWithoutMigrating() throws Exception {
        Path ours = dir.resolve("mlruns.db");
        openStore(ours).close();
        String before = SqliteSchemaSnapshot.describe(ours);

        MlflowPython.Result upgrade = MlflowPython.run(List.of(MlflowPython.mlflowCli().toString(), "db", "upgrade", "sqlite:///" + ours),
                Map.of(), Duration.ofMinutes(3)).requireSuccess();
        assertThat(upgrade.stderr()).doesNotContain("Running upgrade");
        MlflowPython.Result open = MlflowPython.runScript("""
                import sys
                from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore
                store = SqlAlchemyStore("sqlite:///" + sys.argv[1], "/tmp/unused")
                e = store.get_experiment("0")
                print(e.name, e.artifact_location, e.lifecycle_stage)
                """, List.of(ours.toString()), Map.of(), Duration.ofMinutes(3)).requireSuccess();
        assertThat(open.stderr()).doesNotContain("out-of-date", "Creating initial MLflow database tables");
        assertThat(open.stdout().strip()).isEqualTo("Default " + dir.resolve("mlartifacts").toUri() + "/0 active");
        assertThat(SqliteSchemaSnapshot.describe(ours)).isEqualTo(before);
        assertThat(SqliteSchemaSnapshot.alembicHead(ours)).isEqualTo(SqliteSchema.pinned().alembicHead());
    }

    static String rows(Path db, String sql) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            int n = r.getMetaData().getColumnCount();
            while (r.next()) {
                for (int i = 1; i <= n; i++) {
                    out.append(i > 1 ? "|" : "").append(r.getString(i));
                }
                out.append('\n');
            }
        }
        return out.toString();
    }
}
