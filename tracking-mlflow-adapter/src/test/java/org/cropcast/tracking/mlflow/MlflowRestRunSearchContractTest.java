package org.cropcast.tracking.mlflow;

import org.cropcast.tracking.AbstractRunSearchContractTest;
import org.cropcast.tracking.RunStore;

/** Core's search contract against a real {@code mlflow server}: the filter and order-by go to it as written. */
class MlflowRestRunSearchContractTest extends AbstractRunSearchContractTest {
    private final MlflowServerProcess server = SharedMlflowServer.get();

    @Override
    protected RunStore createStore() {
        return new MlflowRestRunStoreFactory(new MlflowRestConnections(MlflowRestSettings.defaults())).create(server.trackingUri());
    }
}
