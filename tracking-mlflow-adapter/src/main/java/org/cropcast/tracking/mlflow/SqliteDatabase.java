package org.cropcast.tracking.mlflow;

import static java.util.Objects.requireNonNull;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.cropcast.tracking.CropcastException;
import org.sqlite.SQLiteConfig;

/**
 * One connection to an MLflow SQLite tracking database, with MLflow's schema checked or created
 * on open, and short transactions retried on {@code SQLITE_BUSY}.
 *
 * <p>Concurrency: WAL journal, a per-attempt busy timeout, writes in {@code BEGIN IMMEDIATE}
 * transactions (the write lock is taken up front, so a transaction never fails half-way for
 * want of it), and a bounded retry with jittered exponential backoff (Failsafe) around each
 * whole transaction until the lock timeout has passed. A new database is created inside one
 * {@code BEGIN IMMEDIATE} transaction, so processes racing to create it serialise: the first
 * creates the schema, the others find it and verify it. Within the process, a lock serialises
 * the threads sharing this connection.
 */
final class SqliteDatabase implements AutoCloseable {
    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    /**
     * Checkpoint the WAL every 10,000 pages (~40 MB) rather than SQLite's 1,000: a batch of many
     * metric keys dirties about one primary-key index page per key, so with the default every
     * such commit would be followed by a checkpoint that writes the same pages again.
     */
    private static final int WAL_AUTOCHECKPOINT_PAGES = 10_000;
    private static final int SQLITE_PERM = 3;
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    private static final int SQLITE_READONLY = 8;
    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_FULL = 13;
    private static final int SQLITE_CANTOPEN = 14;
    private static final int SQLITE_NOTADB = 26;

    /** Work done inside one transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(SqliteDatabase db) throws SQLException;
    }

    private final SqliteTrackingUri uri;
    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final Duration lockTimeout;

    private SqliteDatabase(SqliteTrackingUri uri, Connection connection, Duration lockTimeout) {
        this.uri = uri;
        this.connection = connection;
        this.lockTimeout = lockTimeout;
    }

    /** Retries on SQLITE_BUSY with jittered exponential backoff until {@code budget} has passed. */
    private static FailsafeExecutor<Object> retryPolicy(Duration budget) {
        return Failsafe.with(RetryPolicy.builder()
                .handleIf(SqliteDatabase::isBusy)
                .withBackoff(Duration.ofMillis(5), Duration.ofMillis(250))
                .withJitter(0.5)
                .withMaxRetries(-1)
                .withMaxDuration(budget)
                .build());
    }

    /**
     * Opens the database, creating it with the pinned MLflow schema if the file is missing or
     * empty. An existing database must be an MLflow database at the pinned alembic head; it is
     * then used as it is. Every failure is a one-line {@link CropcastException} naming the path,
     * and leaves the file as it was.
     *
     * @param artifactRoot where the Default experiment's artifacts go when the database is new
     */
    static SqliteDatabase open(SqliteTrackingUri uri, String artifactRoot, Duration lockTimeout, Clock clock) {
        requireNonNull(artifactRoot, "artifactRoot is null");
        Path file = uri.database();
        boolean existed = checkFile(file);
        Connection connection;
        try {
            SQLiteConfig config = new SQLiteConfig();
            config.setBusyTimeout((int) Math.min(lockTimeout.toMillis(), 1000));
            config.enforceForeignKeys(true);
            config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            // 32 MiB of page cache: MLflow's metrics primary key (key, timestamp, step, ...) puts each
            // key's rows in its own part of the index, so a batch of many keys touches many pages
            config.setCacheSize(-32 * 1024);
            if (existed) {
                config.setOpenMode(org.sqlite.SQLiteOpenMode.READWRITE);
                config.resetOpenMode(org.sqlite.SQLiteOpenMode.CREATE);
            }
            connection = config.createConnection("jdbc:sqlite:" + file);
        } catch (SQLException e) {
            throw translate(uri, "cannot open", e, lockTimeout);
        }
        SqliteDatabase db = new SqliteDatabase(uri, connection, lockTimeout);
        try {
            db.initialize(artifactRoot, clock);
            return db;
        } catch (RuntimeException e) {
            db.close();
            if (!existed) {
                removeIfEmpty(file);
            }
            throw e;
        }
    }

    private static boolean checkFile(Path file) {
        Path dir = file.getParent();
        if (Files.isDirectory(file)) {
            throw new CropcastException(SqliteErrorCode.NOT_A_DATABASE, "database " + file + " is a directory, not an SQLite file");
        }
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                byte[] header = in.readNBytes(SQLITE_HEADER.length);
                if (header.length > 0 && !Arrays.equals(header, SQLITE_HEADER)) {
                    throw new CropcastException(SqliteErrorCode.NOT_A_DATABASE,
                            "database " + file + " is not an SQLite database (no SQLite header)");
                }
            } catch (IOException e) {
                throw new CropcastException(SqliteErrorCode.DATABASE_FAILURE,
                        "cannot read database " + file + ": " + e.getMessage(), e);
            }
            if (!Files.isWritable(file) || !Files.isWritable(dir)) {
                throw new CropcastException(SqliteErrorCode.DATABASE_NOT_WRITABLE,
                        "database " + file + " cannot be written: " + (Files.isWritable(file) ? "directory " + dir : "the file")
                                + " is read-only (SQLite needs to write the database and its -wal and -shm files beside it)");
            }
            return true;
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException | SecurityException e) {
            throw new CropcastException(SqliteErrorCode.DATABASE_NOT_WRITABLE,
                    "cannot create database " + file + ": directory " + dir + " cannot be created (" + e.getClass().getSimpleName() + ")", e);
        }
        if (!Files.isWritable(dir)) {
            throw new CropcastException(SqliteErrorCode.DATABASE_NOT_WRITABLE,
                    "cannot create database " + file + ": directory " + dir + " is not writable");
        }
        return false;
    }

    private static void removeIfEmpty(Path file) {
        try {
            if (Files.isRegularFile(file) && Files.size(file) == 0) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // best effort: an empty file is treated as a new database next time anyway
        }
    }

    private void initialize(String artifactRoot, Clock clock) {
        SqliteSchema schema = SqliteSchema.pinned();
        boolean fresh = read(db -> db.tableNames().isEmpty());
        if (fresh) {
            write(db -> {
                if (db.tableNames().isEmpty()) {
                    try (Statement statement = connection.createStatement()) {
                        for (String sql : schema.statements()) {
                            statement.execute(sql);
                        }
                    }
                    long now = clock.millis();
                    PreparedStatement insert = db.prepare("INSERT INTO experiments (experiment_id, name, artifact_location,"
                            + " lifecycle_stage, creation_time, last_update_time, workspace) VALUES (0, 'Default', ?, 'active', ?, ?, 'default')");
                    insert.setString(1, SqliteRunStore.appendToUriPath(artifactRoot, "0"));
                    insert.setLong(2, now);
                    insert.setLong(3, now);
                    insert.executeUpdate();
                }
                return null;
            });
        }
        read(db -> {
            db.verify(schema);
            return null;
        });
        retry(() -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA journal_mode=WAL");
                statement.execute("PRAGMA wal_autocheckpoint=" + WAL_AUTOCHECKPOINT_PAGES);
            }
            return null;
        }, "cannot switch to WAL mode");
    }

    private List<String> tableNames() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    private void verify(SqliteSchema schema) throws SQLException {
        List<String> tables = tableNames();
        if (!tables.contains("alembic_version")) {
            throw new CropcastException(SqliteErrorCode.NOT_AN_MLFLOW_DATABASE, "database " + uri.database()
                    + " is an SQLite database but not an MLflow tracking database (no alembic_version table); expected MLflow "
                    + schema.mlflowVersion() + " schema version " + schema.alembicHead());
        }
        List<String> versions = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT version_num FROM alembic_version")) {
            while (rows.next()) {
                versions.add(rows.getString(1));
            }
        }
        if (!versions.equals(List.of(schema.alembicHead()))) {
            String found = versions.isEmpty() ? "none" : String.join(", ", versions);
            throw new CropcastException(SqliteErrorCode.UNKNOWN_SCHEMA_VERSION, "database " + uri.database()
                    + " has MLflow schema version " + SqliteValidation.quote(found) + " but cropcast expects "
                    + schema.alembicHead() + " (MLflow " + schema.mlflowVersion() + "); left untouched");
        }
        List<String> missing = SqliteSchema.PROBED_TABLES.stream().filter(t -> !tables.contains(t)).toList();
        if (!missing.isEmpty()) {
            throw new CropcastException(SqliteErrorCode.NOT_AN_MLFLOW_DATABASE, "database " + uri.database()
                    + " is stamped " + schema.alembicHead() + " but lacks MLflow tables " + missing);
        }
    }

    SqliteTrackingUri uri() {
        return uri;
    }

    /** A statement prepared once per connection; only for use inside {@link #read} or {@link #write}. */
    PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        }
        return statement;
    }

    /** Runs work in a write transaction ({@code BEGIN IMMEDIATE}), retried as a whole on SQLITE_BUSY. */
    <T> T write(Work<T> work) {
        return transaction("BEGIN IMMEDIATE", work);
    }

    /** Runs work in a read transaction (one consistent snapshot). */
    <T> T read(Work<T> work) {
        return transaction("BEGIN DEFERRED", work);
    }

    /**
     * Runs work that reads with one single statement, outside an explicit transaction: SQLite
     * runs a statement in its own implicit read transaction, so its rows are one consistent
     * snapshot already (and the BEGIN/COMMIT of {@link #read} would be two statements more).
     */
    <T> T readOne(Work<T> work) {
        lock.lock();
        try {
            return retry(() -> work.run(this), "cannot access");
        } finally {
            lock.unlock();
        }
    }

    private <T> T transaction(String begin, Work<T> work) {
        lock.lock();
        try {
            return retry(() -> {
                prepare(begin).execute();
                boolean committed = false;
                try {
                    T result = work.run(this);
                    prepare("COMMIT").execute();
                    committed = true;
                    return result;
                } finally {
                    if (!committed) {
                        rollbackQuietly();
                    }
                }
            }, "cannot access");
        } finally {
            lock.unlock();
        }
    }

    @FunctionalInterface
    private interface SqlCall<T> {
        T call() throws SQLException;
    }

    /**
     * The call, retried on SQLITE_BUSY. The first attempt is made directly (most calls never meet
     * a busy database, and Failsafe's bookkeeping would cost as much as a short statement); only
     * a busy first attempt goes on to the retry policy, with what is left of the lock timeout.
     */
    private <T> T retry(SqlCall<T> call, String what) {
        long start = System.nanoTime();
        try {
            return call.call();
        } catch (SQLException e) {
            if (!isBusy(e)) {
                throw translate(uri, what, e);
            }
        } catch (RuntimeException e) {
            throw translate(what, e);
        }
        Duration left = lockTimeout.minusNanos(System.nanoTime() - start);
        if (left.isNegative() || left.isZero()) {
            left = Duration.ofMillis(1); // one more attempt, as the policy makes after its first
        }
        try {
            @SuppressWarnings("unchecked")
            T result = (T) retryPolicy(left).get(call::call);
            return result;
        } catch (FailsafeException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof SQLException sql) {
                throw translate(uri, what, sql);
            }
            throw new CropcastException(SqliteErrorCode.DATABASE_FAILURE,
                    what + " database " + uri.database() + ": " + cause.getMessage(), cause);
        } catch (RuntimeException e) {
            throw translate(what, e);
        }
    }

    /** A CropcastException as it is; another unchecked exception translated if it wraps an SQLException. */
    private RuntimeException translate(String what, RuntimeException e) {
        if (!(e instanceof CropcastException) && e.getCause() instanceof SQLException sql) {
            return translate(uri, what, sql);
        }
        return e;
    }

    private void rollbackQuietly() {
        // BEGIN/COMMIT are issued by hand (sqlite-jdbc stays in auto-commit mode, because in
        // manual mode it opens the next transaction right after each commit and would hold the
        // write lock while idle); a ROLLBACK when SQLite already ended the transaction only fails
        try (Statement statement = connection.createStatement()) {
            statement.execute("ROLLBACK");
        } catch (SQLException ignored) {
            // the transaction is gone already
        }
    }

    private static boolean isBusy(Throwable e) {
        if (e instanceof SQLException sql) {
            int code = sql.getErrorCode() & 0xff;
            return code == SQLITE_BUSY || code == SQLITE_LOCKED;
        }
        return false;
    }

    private CropcastException translate(SqliteTrackingUri uri, String what, SQLException e) {
        return translate(uri, what, e, lockTimeout);
    }

    private static CropcastException translate(SqliteTrackingUri uri, String what, SQLException e, Duration lockTimeout) {
        Path file = uri.database();
        String detail = SqliteValidation.quote(String.valueOf(e.getMessage()));
        return switch (e.getErrorCode() & 0xff) {
            case SQLITE_BUSY, SQLITE_LOCKED -> new CropcastException(SqliteErrorCode.DATABASE_LOCKED, "database " + file
                    + " is locked: another process held its write lock for longer than "
                    + lockTimeout.toMillis() + " ms", e);
            case SQLITE_NOTADB -> new CropcastException(SqliteErrorCode.NOT_A_DATABASE,
                    "database " + file + " is not an SQLite database: " + detail, e);
            case SQLITE_CORRUPT -> new CropcastException(SqliteErrorCode.DATABASE_CORRUPT,
                    "database " + file + " is corrupted: " + detail, e);
            case SQLITE_FULL -> new CropcastException(SqliteErrorCode.DATABASE_FULL, what + " database " + file
                    + ": it is full (no space left on its disk or quota); nothing of this write was kept: " + detail, e);
            case SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_PERM -> new CropcastException(SqliteErrorCode.DATABASE_NOT_WRITABLE,
                    what + " database " + file + ": " + detail, e);
            default -> new CropcastException(SqliteErrorCode.DATABASE_FAILURE, what + " database " + file + ": " + detail, e);
        };
    }

    @Override
    public void close() {
        lock.lock();
        try {
            for (PreparedStatement statement : statements.values()) {
                try {
                    statement.close();
                } catch (SQLException ignored) {
                    // closing anyway
                }
            }
            statements.clear();
            connection.close();
        } catch (SQLException e) {
            throw translate(uri, "cannot close", e);
        } finally {
            lock.unlock();
        }
    }
}
