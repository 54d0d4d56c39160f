package org.cropcast.tracking;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class TestStorageArtifactStoreOnLocal extends AbstractArtifactStoreContractTest {
    @TempDir
    Path artifacts;

    @Override
    protected ArtifactStore createArtifactStore() {
        return new StorageArtifactStore(new LocalStorage());
    }

    @Override
    protected String newArtifactRoot() {
        return artifacts.resolve("mlartifacts/1/0123/artifacts").toUri().toString();
    }
}
