package org.cropcast.tracking.mlflow;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.cropcast.tracking.ModelStoreFactory;
import org.cropcast.tracking.RunStoreFactory;
import org.cropcast.tracking.RunStoreProvider;
import org.cropcast.tracking.TrackingContext;

/**
 * Registers {@code sqlite:} tracking URIs (the embedded MLflow-compatible store,
 * {@link SqliteRunStoreFactory}) with core's {@code Tracking}, through
 * {@code META-INF/services/org.cropcast.tracking.RunStoreProvider}. New experiments keep their
 * artifacts under the context's artifact root, else in {@code mlartifacts/} beside the database.
 * Relative URIs are anchored, and database files named, by {@link SqliteTrackingUri}, the one
 * parser of SQLite URIs.
 */
public final class SqliteRunStoreProvider implements RunStoreProvider {
    private final Duration lockTimeout;

    /** With {@link SqliteRunStoreFactory#DEFAULT_LOCK_TIMEOUT} (the constructor ServiceLoader calls). */
    public SqliteRunStoreProvider() {
        this(SqliteRunStoreFactory.DEFAULT_LOCK_TIMEOUT);
    }

    /** With another lock timeout: how long a write waits for a database another process holds. */
    public SqliteRunStoreProvider(Duration lockTimeout) {
        this.lockTimeout = requireNonNull(lockTimeout, "lockTimeout is null");
    }

    @Override
    public Set<String> schemes() {
        return Set.of(SqliteTrackingUri.SCHEME);
    }

    @Override
    public RunStoreFactory create(TrackingContext context) {
        return new SqliteRunStoreFactory(context.artifactRoot(), lockTimeout, context.clock(), context.random());
    }

    @Override
    public Optional<ModelStoreFactory> modelStores(TrackingContext context) {
        return Optional.of(new SqliteModelStoreFactory(context.clock(), context.random()));
    }

    /** {@code sqlite:///relative.db} resolved against {@code directory}; empty for an absolute path. */
    @Override
    public Optional<String> anchor(String trackingUri, Path directory) {
        if (!SqliteTrackingUri.isRelative(trackingUri)) {
            return Optional.empty();
        }
        return Optional.of(SqliteTrackingUri.parse(trackingUri, directory).toUri());
    }

    @Override
    public Optional<Path> databaseFile(String trackingUri) {
        return Optional.of(SqliteTrackingUri.parse(trackingUri).database());
    }
}
