package org.cropcast.tracking.mlflow;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.cropcast.tracking.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cropcast logs a model (files through the artifact proxy), registers it, records datasets and
 * lineage on a real {@code mlflow server}; the pinned Python client reads all of it from the server.
 */
class MlflowRestModelPythonInteropTest {
    @TempDir
    Path dir;

    @Test
    void pythonMlflowReadsModelsRegistryAndLineageFromTheServer() throws Exception {
        MlflowServerProcess server = SharedMlflowServer.get();
        MlflowRestConnections connections = new MlflowRestConnections(MlflowRestSettings.defaults());
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        ModelLineageScenario.Written written;
        try (RunStore runs = new MlflowRestRunStoreFactory(connections).create(server.trackingUri());
                var models = new MlflowRestModelStoreFactory(connections).create(server.trackingUri(), runs)) {
            written = ModelLineageScenario.write(runs, models, new MlflowArtifactsArtifactStore(connections), dir, "maize-" + suffix,
                    "maize-yield-" + suffix);
        }
        ModelLineageScenario.assertPythonReads(written, server.trackingUri(), Map.of(), dir);
    }
}
