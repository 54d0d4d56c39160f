package org.cropcast.tracking.mlflow;

import static java.util.Objects.requireNonNull;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.Redactor;

/**
 * A {@code sqlite:} tracking URI in SQLAlchemy's form, as MLflow accepts it:
 * {@code sqlite:///relative/mlruns.db} (three slashes, relative to the working directory) or
 * {@code sqlite:////absolute/mlruns.db} (four slashes). In-memory databases, host names, query
 * strings and fragments are refused: the embedded store is a file shared with Python MLflow.
 * The one parser of SQLite URIs: the store opens them with it, and core's {@code TrackingUris}
 * anchors a relative one at the data root through {@link SqliteRunStoreProvider}.
 *
 * @param database the database file, absolute and normalised
 */
public record SqliteTrackingUri(Path database) {
    public static final String SCHEME = "sqlite";
    private static final String PREFIX = "sqlite:///";

    public SqliteTrackingUri {
        requireNonNull(database, "database is null");
        if (!database.isAbsolute()) {
            throw new IllegalArgumentException("database path is not absolute: " + database);
        }
    }

    /** Parses {@code uri}; a relative path is resolved against the working directory, as MLflow resolves it. */
    public static SqliteTrackingUri parse(String uri) {
        return parse(uri, Path.of(""));
    }

    /**
     * Parses {@code uri}; a relative path ({@code sqlite:///mlruns.db}) is resolved against
     * {@code directory}, an absolute one ({@code sqlite:////abs/mlruns.db}) is kept.
     */
    public static SqliteTrackingUri parse(String uri, Path directory) {
        requireNonNull(directory, "directory is null");
        String path = pathText(uri);
        try {
            return new SqliteTrackingUri(directory.resolve(path).toAbsolutePath().normalize());
        } catch (InvalidPathException e) {
            throw invalid(uri, e.getReason());
        }
    }

    /** True if {@code uri} (a valid SQLite URI, else {@link SqliteErrorCode#INVALID_SQLITE_URI}) names its database by a relative path. */
    public static boolean isRelative(String uri) {
        String path = pathText(uri);
        try {
            return !Path.of(path).isAbsolute();
        } catch (InvalidPathException e) {
            throw invalid(uri, e.getReason());
        }
    }

    /** The path part of a valid SQLite URI, as written. */
    private static String pathText(String uri) {
        requireNonNull(uri, "uri is null");
        if (!uri.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw invalid(uri, "expected sqlite:///relative/path.db or sqlite:////absolute/path.db");
        }
        String path = uri.substring(PREFIX.length());
        if (path.isEmpty() || path.equals("/")) {
            throw invalid(uri, "it names no database file");
        }
        if (path.indexOf('?') >= 0 || path.indexOf('#') >= 0) {
            throw invalid(uri, "query strings and fragments are not supported");
        }
        if (path.equals(":memory:") || path.startsWith("file:")) {
            throw invalid(uri, "in-memory and file: URI databases are not supported");
        }
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) < 0x20) {
                throw invalid(uri, "it contains a control character");
            }
        }
        if (path.endsWith("/")) {
            throw invalid(uri, "it names a directory, not a database file");
        }
        return path;
    }

    /** The URI in MLflow's absolute form, {@code sqlite:////abs/path}. */
    public String toUri() {
        return "sqlite:///" + database.toString();
    }

    /** The directory holding the database. */
    public Path directory() {
        return database.getParent();
    }

    private static CropcastException invalid(String uri, String why) {
        return new CropcastException(SqliteErrorCode.INVALID_SQLITE_URI,
                "invalid sqlite tracking URI '" + Redactor.truncateForMessage(Redactor.redact(uri)) + "': " + why);
    }

    @Override
    public String toString() {
        return toUri();
    }
}
