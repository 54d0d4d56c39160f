package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a command's tracking URI points: the configured one or {@value #DEFAULT}, with a relative
 * database path anchored at a local data root.
 *
 * <ul>
 *   <li>A tracking URI that names a local file by a relative path (the SQLite store's
 *       {@code sqlite:///mlruns.db}, three slashes) is anchored at a local data root:
 *       {@code sqlite:////abs/root/mlruns.db}, so the database sits beside {@code runs/} and
 *       {@code features/} whatever the working directory. Which URIs those are, and how they are
 *       parsed, is the adapter's ({@link RunStoreProvider#anchor}): core parses no SQLite URI.</li>
 *   <li>Every other URI (an absolute SQLite path, HTTP(S), {@code memory:}, a scheme no adapter on
 *       the class path serves) is returned unchanged.</li>
 *   <li>When the data root is an object-store location a database file cannot live there: a
 *       warning tells the operator to set an absolute local path or an HTTP(S) server, and the URI
 *       stays relative to the working directory.</li>
 * </ul>
 */
public final class TrackingUris {
    public static final String DEFAULT = "sqlite:///mlruns.db";
    private static final Logger LOG = LoggerFactory.getLogger(TrackingUris.class);

    private TrackingUris() {}

    /** {@link #anchor(Optional, Location, TrackingAdapters, Consumer)} logging warnings through SLF4J. */
    public static String anchor(Optional<String> configured, Location dataRoot, TrackingAdapters adapters) {
        return anchor(configured, dataRoot, adapters, LOG::warn);
    }

    /**
     * The tracking URI to use: the configured one or {@link #DEFAULT}, with a relative database path
     * anchored at a local {@code dataRoot} by the adapter of its scheme among {@code adapters}.
     * Warnings (object-store data root) go to {@code warnings}.
     */
    public static String anchor(Optional<String> configured, Location dataRoot, TrackingAdapters adapters,
            Consumer<String> warnings) {
        requireNonNull(dataRoot, "dataRoot is null");
        requireNonNull(adapters, "adapters is null");
        String uri = configured.map(String::strip).filter(s -> !s.isEmpty()).orElse(DEFAULT);
        if (!dataRoot.isLocal()) {
            if (adapters.anchor(uri, Path.of("")).isPresent()) {
                warnings.accept("tracking URI " + Redactor.redact(uri) + " is relative but the data root " + dataRoot
                        + " is an object store where SQLite cannot live; the database is created relative to the working directory ("
                        + Path.of("").toAbsolutePath() + "). Set mlflow_tracking_uri to an absolute local path"
                        + " (for example sqlite:////tmp/mlruns.db) or an HTTP(S) tracking server.");
            }
            return uri;
        }
        return adapters.anchor(uri, dataRoot.localPath()).orElse(uri);
    }
}
