package org.cropcast.tracking.mlflow;

import java.util.Optional;
import java.util.Set;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.ModelStore;
import org.cropcast.tracking.ModelStoreFactory;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.RunStoreFactory;
import org.cropcast.tracking.RunStoreProvider;
import org.cropcast.tracking.TrackingContext;
import org.cropcast.tracking.TrackingErrorCode;

/**
 * Registers {@code http://} and {@code https://} tracking URIs (an MLflow tracking server,
 * {@link MlflowRestRunStoreFactory}) with core's {@code Tracking}, through
 * {@code META-INF/services/org.cropcast.tracking.RunStoreProvider}. Credentials and HTTP settings
 * are read from the context's environment when the first store is opened ({@link MlflowRestSettings}).
 * A tracking server chooses its own artifact root, so an artifact root in the context is refused.
 */
public final class MlflowRestRunStoreProvider implements RunStoreProvider {
    @Override
    public Set<String> schemes() {
        return Set.of("http", "https");
    }

    /**
     * The factory of the context. The HTTP settings in its environment are checked here, when
     * tracking opens, so that a malformed one ({@code MLFLOW_HTTP_REQUEST_TIMEOUT=0}) is refused
     * naming the variable whatever the tracking URI; the connections are made on first use.
     */
    @Override
    public RunStoreFactory create(TrackingContext context) {
        MlflowRestSettings.fromEnvironment(context.environment());
        return new RunStoreFactory() {
            @Override
            public Set<String> schemes() {
                return MlflowRestRunStoreProvider.this.schemes();
            }

            @Override
            public RunStore create(String trackingUri) {
                if (context.artifactRoot().isPresent()) {
                    throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT, "an artifact root cannot be chosen for a tracking server"
                            + " (the server decides: mlflow server --default-artifact-root or --artifacts-destination); drop the artifact root");
                }
                return new MlflowRestRunStoreFactory(connections(context), context.clock()).create(trackingUri);
            }
        };
    }

    /** The tracking server's logged models and registry; connections made (settings read) on first use. */
    @Override
    public Optional<ModelStoreFactory> modelStores(TrackingContext context) {
        return Optional.of(new ModelStoreFactory() {
            @Override
            public Set<String> schemes() {
                return MlflowRestRunStoreProvider.this.schemes();
            }

            @Override
            public ModelStore create(String trackingUri, RunStore runs) {
                return new MlflowRestModelStoreFactory(connections(context)).create(trackingUri, runs);
            }
        });
    }

    /** The one set of connections of a context, shared with {@link MlflowArtifactsArtifactStoreProvider}. */
    static MlflowRestConnections connections(TrackingContext context) {
        return context.shared(MlflowRestConnections.class,
                () -> new MlflowRestConnections(MlflowRestSettings.fromEnvironment(context.environment())));
    }
}
