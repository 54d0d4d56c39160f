package org.cropcast.tracking;

import java.util.UUID;

class TestStorageArtifactStoreOnMemory extends AbstractArtifactStoreContractTest {
    @Override
    protected ArtifactStore createArtifactStore() {
        return new StorageArtifactStore(new MemoryStorage());
    }

    @Override
    protected String newArtifactRoot() {
        return "memory://mlartifacts/1/" + UUID.randomUUID().toString().replace("-", "") + "/artifacts";
    }
}
