package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracking URI rules. This is the only place that resolves a relative SQLite URI.
 *
 * <ul>
 *   <li>The default tracking URI is {@value #DEFAULT}.</li>
 *   <li>A relative SQLite URI ({@code sqlite:///mlruns.db}, three slashes) is anchored at a local
 *       data root: {@code sqlite:////abs/root/mlruns.db}, so the database sits beside {@code runs/}
 *       and {@code features/} whatever the working directory.</li>
 *   <li>Absolute SQLite URIs ({@code sqlite:////abs.db}), {@code sqlite:///:memory:}, HTTP(S),
 *       {@code memory:} and every other scheme are returned unchanged.</li>
 *   <li>When the data root is an object-store location SQLite cannot live there: a warning tells
 *       the operator to set an absolute local path or an HTTP(S) server, and the URI stays relative
 *       to the working directory.</li>
 * </ul>
 * The embedded store keeps its artifacts in {@code mlartifacts/} beside the database file
 * ({@link #embeddedArtifactRoot}).
 */
public final class TrackingUris {
    public static final String DEFAULT = "sqlite:///mlruns.db";
    public static final String SQLITE_PREFIX = "sqlite:///";
    public static final String EMBEDDED_ARTIFACT_DIRECTORY = "mlartifacts";
    private static final Logger LOG = LoggerFactory.getLogger(TrackingUris.class);

    private TrackingUris() {}

    /** {@link #anchor(Optional, Location, Consumer)} logging warnings through SLF4J. */
    public static String anchor(Optional<String> configured, Location dataRoot) {
        return anchor(configured, dataRoot, LOG::warn);
    }

    /**
     * The tracking URI to use: the configured one or {@link #DEFAULT}, with a relative SQLite path
     * anchored at a local {@code dataRoot}. Warnings (object-store data root) go to {@code warnings}.
     */
    public static String anchor(Optional<String> configured, Location dataRoot, Consumer<String> warnings) {
        requireNonNull(dataRoot, "dataRoot is null");
        String uri = configured.map(String::strip).filter(s -> !s.isEmpty()).orElse(DEFAULT);
        if (!isSqlite(uri)) {
            return uri;
        }
        String path = sqlitePathText(uri);
        if (path.startsWith("/") || path.startsWith(":memory:")) {
            return uri;
        }
        String query = "";
        int q = path.indexOf('?');
        if (q >= 0) {
            query = path.substring(q);
            path = path.substring(0, q);
        }
        if (!dataRoot.isLocal()) {
            warnings.accept("tracking URI " + Redactor.redact(uri) + " is relative but the data root " + dataRoot
                    + " is an object store where SQLite cannot live; the database is created relative to the working directory ("
                    + Path.of("").toAbsolutePath() + "). Set mlflow_tracking_uri to an absolute local path"
                    + " (for example sqlite:////tmp/mlruns.db) or an HTTP(S) tracking server.");
            return uri;
        }
        Path anchored = dataRoot.localPath().resolve(path).toAbsolutePath().normalize();
        return SQLITE_PREFIX + anchored + query;
    }

    public static boolean isSqlite(String uri) {
        return uri.regionMatches(true, 0, "sqlite:", 0, "sqlite:".length());
    }

    /**
     * The database file of a SQLite URI, resolved against the working directory if relative (an
     * un-anchored URI); empty for {@code :memory:}.
     */
    public static Optional<Path> sqliteDatabaseFile(String uri) {
        String path = sqlitePathText(uri);
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        if (path.isEmpty() || path.startsWith(":memory:")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(path).toAbsolutePath().normalize());
    }

    /** The embedded store's artifact root: {@code mlartifacts/} beside the database file. */
    public static Location embeddedArtifactRoot(Path databaseFile) {
        Path parent = databaseFile.toAbsolutePath().normalize().getParent();
        return Location.local(parent.resolve(EMBEDDED_ARTIFACT_DIRECTORY));
    }

    private static String sqlitePathText(String uri) {
        if (!isSqlite(uri) || !uri.substring("sqlite:".length()).startsWith("///")) {
            throw new CropcastException(TrackingErrorCode.INVALID_URI,
                    "invalid SQLite tracking URI '" + Redactor.truncateForMessage(Redactor.redact(uri))
                            + "': expected sqlite:///relative/path.db or sqlite:////absolute/path.db");
        }
        return uri.substring("sqlite:///".length());
    }
}
