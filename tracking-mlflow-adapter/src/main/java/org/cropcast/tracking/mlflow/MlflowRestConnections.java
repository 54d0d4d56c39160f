package org.cropcast.tracking.mlflow;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The connections of one process to MLflow tracking servers: one HTTP client per server, all with
 * the same {@link MlflowRestSettings} (credentials from the environment), and the tracking server
 * in use, which resolves host-less {@code mlflow-artifacts:/...} artifact URIs as Python MLflow
 * does (with the current tracking URI). Shared by {@link MlflowRestRunStoreFactory} and
 * {@link MlflowArtifactsArtifactStore}. Thread-safe.
 */
public final class MlflowRestConnections {
    private final MlflowRestSettings settings;
    private final ConcurrentMap<URI, MlflowRestClient> clients = new ConcurrentHashMap<>();
    private final AtomicReference<URI> trackingServer = new AtomicReference<>();

    public MlflowRestConnections(MlflowRestSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    public MlflowRestSettings settings() {
        return settings;
    }

    /** The client for a tracking URI (validated: http or https, no credentials in it). */
    MlflowRestClient client(String trackingUri) {
        return client(MlflowRestClient.parseTrackingUri(trackingUri));
    }

    MlflowRestClient client(URI server) {
        return clients.computeIfAbsent(server, s -> new MlflowRestClient(s, settings));
    }

    /** Records the tracking server in use (the last one a run store was opened for). */
    void useTrackingServer(URI server) {
        trackingServer.set(requireNonNull(server, "server is null"));
    }

    /** The tracking server in use, if a run store was opened for one. */
    Optional<URI> trackingServer() {
        return Optional.ofNullable(trackingServer.get());
    }
}
