package org.cropcast.tracking.mlflow;

import static java.util.Objects.requireNonNull;

import java.util.Set;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.RunStoreFactory;

/** Opens {@link MlflowRestRunStore}s for {@code http://} and {@code https://} tracking URIs. */
public final class MlflowRestRunStoreFactory implements RunStoreFactory {
    private final MlflowRestConnections connections;

    public MlflowRestRunStoreFactory(MlflowRestConnections connections) {
        this.connections = requireNonNull(connections, "connections is null");
    }

    @Override
    public Set<String> schemes() {
        return Set.of("http", "https");
    }

    @Override
    public RunStore create(String trackingUri) {
        MlflowRestClient client = connections.client(trackingUri);
        connections.useTrackingServer(client.server());
        return new MlflowRestRunStore(client);
    }
}
