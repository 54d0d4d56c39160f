package org.cropcast.tracking.mlflow;

import java.nio.file.Path;
import java.util.List;
import org.cropcast.tracking.AbstractArtifactStoreContractTest;
import org.cropcast.tracking.ArtifactStore;
import org.cropcast.tracking.CreateRunRequest;
import org.cropcast.tracking.LocalStorage;
import org.cropcast.tracking.StorageArtifactStore;
import org.junit.jupiter.api.io.TempDir;

/**
 * Core's artifact contract on the artifact roots the embedded store records
 * ({@code file:///.../mlartifacts/<experiment>/<run>/artifacts}), served by core's
 * StorageArtifactStore over LocalStorage as the application wires it.
 */
class SqliteArtifactRootContractTest extends AbstractArtifactStoreContractTest {
    @TempDir
    Path dir;

    @Override
    protected ArtifactStore createArtifactStore() {
        return new StorageArtifactStore(new LocalStorage());
    }

    @Override
    protected String newArtifactRoot() {
        try (SqliteRunStore store = SqliteSchemaParityTest.openStore(dir.resolve("data/mlruns.db"))) {
            return store.createRun(new CreateRunRequest(store.getOrCreateExperiment("artifacts").id(), "", "alice", 1, List.of()))
                    .artifactUri();
        }
    }
}
