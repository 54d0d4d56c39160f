package org.cropcast.tracking.mlflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.ErrorCategory;
import org.cropcast.tracking.ErrorCode;
import org.cropcast.tracking.TrackingErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad URIs and bad database files: a one-line error naming the path, its own code, the file untouched. */
class SqliteBadDatabaseTest {
    @TempDir
    Path dir;

    private CropcastException failure(String uri, Duration lockTimeout) {
        try {
            new SqliteRunStoreFactory(Optional.empty(), lockTimeout, Clock.systemUTC(), new SplittableRandom(1)).create(uri).close();
        } catch (CropcastException e) {
            assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r");
            return e;
        }
        throw new AssertionError("opening " + uri + " did not fail");
    }

    private CropcastException failure(Path db) {
        return failure("sqlite:///" + db, Duration.ofSeconds(5));
    }

    private static void assertCode(CropcastException e, ErrorCode code, ErrorCategory category) {
        assertThat(e.errorCode()).isEqualTo(code);
        assertThat(e.category()).isEqualTo(category);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite:", "sqlite://", "sqlite:///", "sqlite://host/x.db", "sqlite:///:memory:",
        "sqlite:///x.db?mode=ro", "sqlite:///dir/", "sqlite:///a\u0000b.db", "mysql:///x.db", "sqlite:///x.db#frag"})
    void invalidUrisAreRefused(String uri) {
        CropcastException e = failure(uri, Duration.ofSeconds(1));
        assertCode(e, SqliteErrorCode.INVALID_SQLITE_URI, ErrorCategory.USER_INPUT);
        assertThat(e.getMessage()).startsWith("invalid sqlite tracking URI '");
    }

    @Test
    void credentialsInAUriAreNotEchoed() {
        CropcastException e = failure("sqlite://user:hunter2@host/x.db", Duration.ofSeconds(1));
        assertThat(e.getMessage()).doesNotContain("hunter2").contains("***");
    }

    @Test
    void aFileThatIsNotSqliteIsRefusedUntouched() throws Exception {
        Path db = dir.resolve("mlruns.db");
        Files.writeString(db, "name,yield\nfield-1,7.2\n".repeat(20));
        byte[] before = Files.readAllBytes(db);
        CropcastException e = failure(db);
        assertCode(e, SqliteErrorCode.NOT_A_DATABASE, ErrorCategory.USER_INPUT);
        assertThat(e.getMessage()).contains(db.toString()).contains("not an SQLite database");
        assertThat(Files.readAllBytes(db)).isEqualTo(before);
        assertThat(dir.resolve("mlruns.db-wal")).doesNotExist();
    }

    @Test
    void aDirectoryInPlaceOfTheDatabaseIsRefused() throws Exception {
        Path db = Files.createDirectories(dir.resolve("mlruns.db"));
        assertCode(failure(db), SqliteErrorCode.NOT_A_DATABASE, ErrorCategory.USER_INPUT);
    }

    @Test
    void aCorruptedDatabaseIsRefusedUntouched() throws Exception {
        Path db = dir.resolve("mlruns.db");
        SqliteSchemaParityTest.openStore(db).close();
        checkpointToRollbackJournal(db);
        byte[] bytes = Files.readAllBytes(db);
        // keep the header, overwrite the schema page and the rest with garbage
        for (int i = 100; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        Files.write(db, bytes);
        CropcastException e = failure(db);
        assertThat(e.errorCode()).isIn(SqliteErrorCode.DATABASE_CORRUPT, SqliteErrorCode.NOT_A_DATABASE);
        assertThat(e.getMessage()).contains(db.toString());
        assertThat(Files.readAllBytes(db)).isEqualTo(bytes);
    }

    @Test
    void anUnknownSchemaVersionIsRefusedWithFoundAndExpectedVersionsAndLeftUntouched() throws Exception {
        Path db = dir.resolve("mlruns.db");
        SqliteSchemaParityTest.openStore(db).close();
        checkpointToRollbackJournal(db);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("UPDATE alembic_version SET version_num = 'ffff00001111'");
        }
        byte[] before = Files.readAllBytes(db);
        CropcastException e = failure(db);
        assertCode(e, SqliteErrorCode.UNKNOWN_SCHEMA_VERSION, ErrorCategory.USER_INPUT);
        assertThat(e.getMessage()).isEqualTo("database " + db + " has MLflow schema version ffff00001111 but cropcast expects "
                + SqliteSchema.pinned().alembicHead() + " (MLflow 3.17.2); left untouched");
        assertThat(Files.readAllBytes(db)).isEqualTo(before);
        assertThat(SqliteSchemaParityTest.rows(db, "PRAGMA journal_mode")).isEqualTo("delete\n");
    }

    @Test
    void anSqliteDatabaseThatIsNotMlflowsIsRefused() throws Exception {
        Path db = dir.resolve("other.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE yields (field TEXT, t REAL)");
        }
        byte[] before = Files.readAllBytes(db);
        CropcastException e = failure(db);
        assertCode(e, SqliteErrorCode.NOT_AN_MLFLOW_DATABASE, ErrorCategory.USER_INPUT);
        assertThat(e.getMessage()).contains(db.toString());
        assertThat(Files.readAllBytes(db)).isEqualTo(before);
    }

    @Test
    void aDirectoryThatCannotBeCreatedIsRefusedAndNothingIsWritten() throws Exception {
        Path blocker = Files.writeString(dir.resolve("data"), "a file where a directory should be");
        Path db = blocker.resolve("mlruns.db");
        CropcastException e = failure(db);
        assertCode(e, SqliteErrorCode.DATABASE_NOT_WRITABLE, ErrorCategory.USER_INPUT);
        assertThat(e.getMessage()).contains(db.toString());
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(blocker);
        }
    }

    @Test
    void aDatabaseLockedLongerThanTheTimeoutFailsAsAnExternalLock() throws Exception {
        Path db = dir.resolve("mlruns.db");
        try (var store = new SqliteRunStoreFactory(Optional.empty(), Duration.ofMillis(1500), Clock.systemUTC(),
                new SplittableRandom(1)).create("sqlite:///" + db)) {
            try (Connection holder = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = holder.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
                long start = System.nanoTime();
                CropcastException e = null;
                try {
                    store.getOrCreateExperiment("blocked");
                } catch (CropcastException thrown) {
                    e = thrown;
                }
                assertThat(e).isNotNull();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1400));
                assertCode(e, SqliteErrorCode.DATABASE_LOCKED, ErrorCategory.EXTERNAL_SYSTEM);
                assertThat(e.getMessage()).doesNotContain("\n").contains(db.toString()).contains("1500 ms");
                s.execute("ROLLBACK");
            }
            assertThat(store.getOrCreateExperiment("blocked").name()).isEqualTo("blocked");
        }
    }

    @Test
    void anEmptyFileIsANewDatabase() throws Exception {
        Path db = Files.createFile(dir.resolve("mlruns.db"));
        new SqliteRunStoreFactory().create("sqlite:///" + db).close();
        assertThat(SqliteSchemaSnapshot.alembicHead(db)).isEqualTo(SqliteSchema.pinned().alembicHead());
        assertThat(TrackingErrorCode.INVALID_URI.category()).isEqualTo(ErrorCategory.USER_INPUT);
    }

    /** Leaves a plain rollback-journal database whose whole content is in the main file. */
    private static void checkpointToRollbackJournal(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=DELETE");
        }
    }
}
