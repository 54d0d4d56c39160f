package org.cropcast.tracking.mlflow;

import java.util.UUID;
import org.cropcast.tracking.AbstractArtifactStoreContractTest;
import org.cropcast.tracking.ArtifactStore;
import org.junit.jupiter.api.BeforeAll;

/** Core's artifact-store contract against a real {@code mlflow server --serve-artifacts}. */
class MlflowArtifactsArtifactStoreContractTest extends AbstractArtifactStoreContractTest {
    private static MlflowServerProcess server;

    @BeforeAll
    static void startServer() {
        server = SharedMlflowServer.get();
    }

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
