package org.cropcast.tracking.mlflow;

import org.cropcast.tracking.AbstractModelStoreContractTest;
import org.cropcast.tracking.ModelStore;
import org.cropcast.tracking.RunStore;

/** Core's model-store contract against a real {@code mlflow server} over REST. */
class MlflowRestModelStoreContractTest extends AbstractModelStoreContractTest {
    private final MlflowServerProcess server = SharedMlflowServer.get();
    private final MlflowRestConnections connections = new MlflowRestConnections(MlflowRestSettings.defaults());

    @Override
    protected RunStore createRunStore() {
        return new MlflowRestRunStoreFactory(connections).create(server.trackingUri());
    }

    @Override
    protected ModelStore createModelStore(RunStore runs) {
        return new MlflowRestModelStoreFactory(connections).create(server.trackingUri(), runs);
    }
}
