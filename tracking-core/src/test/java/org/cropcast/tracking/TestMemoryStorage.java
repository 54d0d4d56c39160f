package org.cropcast.tracking;

import java.util.UUID;

class TestMemoryStorage extends AbstractStorageContractTest {
    @Override
    protected Storage createStorage() {
        return new MemoryStorage();
    }

    @Override
    protected Location newRoot() {
        return Location.of("memory://test-bucket/" + UUID.randomUUID());
    }
}
