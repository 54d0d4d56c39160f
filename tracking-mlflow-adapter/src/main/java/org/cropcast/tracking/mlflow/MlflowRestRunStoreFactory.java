package org.cropcast.tracking.mlflow;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.Set;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.RunStoreFactory;

/** Opens {@link MlflowRestRunStore}s for {@code http://} and {@code https://} tracking URIs. */
public final class MlflowRestRunStoreFactory implements RunStoreFactory {
    private final MlflowRestConnections connections;
    private final Clock clock;

    /** With the system clock. */
    public MlflowRestRunStoreFactory(MlflowRestConnections connections) {
        this(connections, Clock.systemUTC());
    }

    /** @param clock the stores' clock (the end time of a duplicate run a retried create made) */
    public MlflowRestRunStoreFactory(MlflowRestConnections connections, Clock clock) {
        this.connections = requireNonNull(connections, "connections is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public Set<String> schemes() {
        return Set.of("http", "https");
    }

    @Override
    public RunStore create(String trackingUri) {
        MlflowRestClient client = connections.client(trackingUri);
        connections.useTrackingServer(client.server());
        return new MlflowRestRunStore(client, clock);
    }
}
