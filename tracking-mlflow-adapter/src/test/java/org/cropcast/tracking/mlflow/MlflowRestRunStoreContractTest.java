package org.cropcast.tracking.mlflow;

import org.cropcast.tracking.AbstractRunStoreContractTest;
import org.cropcast.tracking.RunStore;

/** Core's run-store contract against a real {@code mlflow server} over REST. */
class MlflowRestRunStoreContractTest extends AbstractRunStoreContractTest {
    private final MlflowServerProcess server = SharedMlflowServer.get();

    @Override
    protected RunStore createStore() {
        return new MlflowRestRunStoreFactory(new MlflowRestConnections(MlflowRestSettings.defaults())).create(server.trackingUri());
    }

    /** A second client of its own (own HTTP connections), as another process would have. */
    @Override
    protected RunStore openSecondStore() {
        return createStore();
    }
}
