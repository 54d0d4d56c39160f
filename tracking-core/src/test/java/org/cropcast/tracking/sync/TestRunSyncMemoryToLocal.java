package org.cropcast.tracking.sync;

import java.util.SplittableRandom;
import org.cropcast.tracking.LocalStorage;
import org.cropcast.tracking.MemoryRunStore;
import org.cropcast.tracking.MemoryStorage;
import org.cropcast.tracking.StorageArtifactStore;

/**
 * The sync contract from a memory backend (artifacts in memory) to another memory backend whose
 * artifact roots are local directories: artifacts are streamed, never copied inside a storage.
 */
class TestRunSyncMemoryToLocal extends AbstractRunSyncContractTest {
    @Override
    protected SyncEndpoint newSource() {
        return new SyncEndpoint("memory:source", new MemoryRunStore(clock, new SplittableRandom(1)),
                new StorageArtifactStore(new MemoryStorage()));
    }

    @Override
    protected SyncEndpoint newDestination() {
        String base = work.resolve("destination-artifacts").toUri().toString();
        return new SyncEndpoint("memory:destination", new MemoryRunStore(clock, new SplittableRandom(2), base),
                new StorageArtifactStore(new LocalStorage()));
    }
}
