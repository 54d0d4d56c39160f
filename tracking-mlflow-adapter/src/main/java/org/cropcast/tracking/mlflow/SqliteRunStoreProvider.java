package org.cropcast.tracking.mlflow;

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
 */
public final class SqliteRunStoreProvider implements RunStoreProvider {
    @Override
    public Set<String> schemes() {
        return Set.of(SqliteTrackingUri.SCHEME);
    }

    @Override
    public RunStoreFactory create(TrackingContext context) {
        return new SqliteRunStoreFactory(context.artifactRoot(), SqliteRunStoreFactory.DEFAULT_LOCK_TIMEOUT, context.clock(),
                context.random());
    }

    @Override
    public Optional<ModelStoreFactory> modelStores(TrackingContext context) {
        return Optional.of(new SqliteModelStoreFactory(context.clock(), context.random()));
    }
}
