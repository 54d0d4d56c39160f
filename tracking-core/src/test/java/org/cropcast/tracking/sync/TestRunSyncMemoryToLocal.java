package org.cropcast.tracking.sync;

import java.util.SplittableRandom;
import org.cropcast.tracking.LocalStorage;
import org.cropcast.tracking.MemoryModelStore;
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
        MemoryRunStore runs = new MemoryRunStore(clock, new SplittableRandom(1));
        return new SyncEndpoint("memory:source", runs, new StorageArtifactStore(new MemoryStorage()),
                new MemoryModelStore(runs, clock, new SplittableRandom(5)));
    }

    @Override
    protected SyncEndpoint newDestination() {
        String base = work.resolve("destination-artifacts").toUri().toString();
        MemoryRunStore runs = new MemoryRunStore(clock, new SplittableRandom(2), base);
        return new SyncEndpoint("memory:destination", runs, new StorageArtifactStore(new LocalStorage()),
                new MemoryModelStore(runs, clock, new SplittableRandom(6)));
    }
}
