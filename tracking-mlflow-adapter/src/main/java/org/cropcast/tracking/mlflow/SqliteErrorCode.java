package org.cropcast.tracking.mlflow;

import static org.cropcast.tracking.ErrorCategory.EXTERNAL_SYSTEM;
import static org.cropcast.tracking.ErrorCategory.USER_INPUT;

import org.cropcast.tracking.ErrorCategory;
import org.cropcast.tracking.ErrorCode;

/**
 * Error codes of the embedded SQLite tracking store (MLflow adapter range 1000-1999; this enum
 * uses 1000-1099; the REST adapter uses 1500-1999).
 */
public enum SqliteErrorCode implements ErrorCode {
    /** The {@code sqlite:} tracking URI cannot be parsed or names no file. */
    INVALID_SQLITE_URI(1000, USER_INPUT),
    /** The file exists but is not an SQLite database. */
    NOT_A_DATABASE(1001, USER_INPUT),
    /** An SQLite database that is not an MLflow tracking database (no alembic_version). */
    NOT_AN_MLFLOW_DATABASE(1002, USER_INPUT),
    /** An MLflow database at an alembic revision other than the pinned release's head. */
    UNKNOWN_SCHEMA_VERSION(1003, USER_INPUT),
    /** The database or its directory cannot be created or written. */
    DATABASE_NOT_WRITABLE(1004, USER_INPUT),
    /** SQLite reports the database file as malformed. */
    DATABASE_CORRUPT(1005, EXTERNAL_SYSTEM),
    /** Another process held the write lock for longer than the lock timeout. */
    DATABASE_LOCKED(1006, EXTERNAL_SYSTEM),
    /** Any other SQLite failure (an I/O error...). */
    DATABASE_FAILURE(1007, EXTERNAL_SYSTEM),
    /** {@code SQLITE_FULL}: the disk (or quota) under the database has no room left. */
    DATABASE_FULL(1008, EXTERNAL_SYSTEM);

    private final int number;
    private final ErrorCategory category;

    SqliteErrorCode(int number, ErrorCategory category) {
        this.number = number;
        this.category = category;
    }

    @Override
    public int number() {
        return number;
    }

    @Override
    public ErrorCategory category() {
        return category;
    }
}
