package org.cropcast.tracking.mlflow;

import static java.util.Objects.requireNonNull;

import java.util.Set;
import org.cropcast.tracking.ModelStore;
import org.cropcast.tracking.ModelStoreFactory;
import org.cropcast.tracking.RunStore;

/** Opens {@link MlflowRestModelStore}s for {@code http://} and {@code https://} tracking URIs. */
public final class MlflowRestModelStoreFactory implements ModelStoreFactory {
    private final MlflowRestConnections connections;

    public MlflowRestModelStoreFactory(MlflowRestConnections connections) {
        this.connections = requireNonNull(connections, "connections is null");
    }

    @Override
    public Set<String> schemes() {
        return Set.of("http", "https");
    }

    @Override
    public ModelStore create(String trackingUri, RunStore runs) {
        return new MlflowRestModelStore(connections.client(trackingUri));
    }
}
