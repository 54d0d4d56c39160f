package org.cropcast.tracking.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.cropcast.tracking.CreateRunRequest;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.ErrorCategory;
import org.cropcast.tracking.Experiment;
import org.cropcast.tracking.LoggedModel;
import org.cropcast.tracking.LoggedModelRequest;
import org.cropcast.tracking.LoggedModelStatus;
import org.cropcast.tracking.ModelErrorCode;
import org.cropcast.tracking.ModelStore;
import org.cropcast.tracking.RunInfo;
import org.cropcast.tracking.RunStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A tracking server that refuses registry writes (here a proxy answering 403 PERMISSION_DENIED to
 * every {@code registered-models} and {@code model-versions} write, as an auth-enabled MLflow does
 * for a user without the permission): the refusal is one line, an external failure, and nothing is
 * registered on the real server behind it.
 */
class MlflowRestRegistryRefusedTest {
    private ForwardingProxy proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void refusedRegistryWritesAreOneLineExternalFailuresAndRegisterNothing() throws Exception {
        MlflowServerProcess server = SharedMlflowServer.get();
        proxy = ForwardingProxy.start(server.trackingUri(), ForwardingProxy.refusingRegistryWrites());
        String through = proxy.uri();
        MlflowRestConnections connections = new MlflowRestConnections(MlflowRestSettings.defaults());
        String name = "refused-" + UUID.randomUUID().toString().substring(0, 8);
        try (RunStore runs = new MlflowRestRunStoreFactory(connections).create(through);
                ModelStore models = new MlflowRestModelStoreFactory(connections).create(through, runs);
                RunStore direct = new MlflowRestRunStoreFactory(connections).create(server.trackingUri());
                ModelStore truth = new MlflowRestModelStoreFactory(connections).create(server.trackingUri(), direct)) {
            Experiment experiment = runs.getOrCreateExperiment(name);
            RunInfo run = runs.createRun(new CreateRunRequest(experiment.id(), "fit", "alice", 1_700_000_000_000L, List.of()));
            LoggedModel model = models.createLoggedModel(new LoggedModelRequest(experiment.id(), "production", Optional.of(run.runId()),
                    Optional.empty(), Map.of(), Map.of()));
            models.finalizeLoggedModel(model.modelId(), LoggedModelStatus.READY);

            assertThatThrownBy(() -> models.createRegisteredModel(name)).isInstanceOf(CropcastException.class)
                    .satisfies(e -> assertThat(((CropcastException) e).errorCode()).isEqualTo(ModelErrorCode.MODEL_BACKEND_REFUSED))
                    .satisfies(e -> assertThat(((CropcastException) e).category()).isEqualTo(ErrorCategory.EXTERNAL_SYSTEM))
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").contains("permission denied", name));
            assertThat(truth.getRegisteredModel(name)).isEmpty();
            assertThat(truth.getLoggedModel(model.modelId()).orElseThrow().tags()).doesNotContainKey(ModelStore.MODEL_VERSIONS_TAG);
        }
    }
}
