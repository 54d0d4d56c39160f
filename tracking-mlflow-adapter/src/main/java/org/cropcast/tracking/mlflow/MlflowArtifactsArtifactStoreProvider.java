package org.cropcast.tracking.mlflow;

import java.util.Set;
import org.cropcast.tracking.ArtifactStore;
import org.cropcast.tracking.ArtifactStoreProvider;
import org.cropcast.tracking.TrackingContext;

/**
 * Registers {@code mlflow-artifacts:} artifact roots (a tracking server's artifact proxy,
 * {@link MlflowArtifactsArtifactStore}) with core's {@code Tracking}, through
 * {@code META-INF/services/org.cropcast.tracking.ArtifactStoreProvider}. Shares its connections
 * with the {@code http(s)} run stores of the same context, so host-less
 * {@code mlflow-artifacts:/...} roots resolve against the tracking server in use, as in MLflow.
 */
public final class MlflowArtifactsArtifactStoreProvider implements ArtifactStoreProvider {
    @Override
    public Set<String> schemes() {
        return Set.of(MlflowArtifactsArtifactStore.SCHEME);
    }

    @Override
    public ArtifactStore create(TrackingContext context) {
        return new MlflowArtifactsArtifactStore(() -> MlflowRestRunStoreProvider.connections(context));
    }
}
