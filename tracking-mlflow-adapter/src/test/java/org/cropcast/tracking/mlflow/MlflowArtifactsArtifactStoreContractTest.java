package org.cropcast.tracking.mlflow;

import java.util.UUID;
import org.cropcast.tracking.AbstractArtifactStoreContractTest;
import org.cropcast.tracking.ArtifactStore;

/** Core's artifact-store contract against a real {@code mlflow server --serve-artifacts}. */
class MlflowArtifactsArtifactStoreContractTest extends AbstractArtifactStoreContractTest {
    private final MlflowServerProcess server = SharedMlflowServer.get();

    @Override
    protected ArtifactStore createArtifactStore() {
        MlflowRestConnections connections = new MlflowRestConnections(MlflowRestSettings.defaults());
        new MlflowRestRunStoreFactory(connections).create(server.trackingUri());
        return new MlflowArtifactsArtifactStore(connections);
    }

    @Override
    protected String newArtifactRoot() {
        return "mlflow-artifacts:/contract/" + UUID.randomUUID().toString().replace("-", "") + "/artifacts";
    }
}
