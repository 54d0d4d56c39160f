package org.cropcast.tracking.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.SplittableRandom;
import org.cropcast.tracking.MemoryModelStore;
import org.cropcast.tracking.MemoryRunStore;
import org.cropcast.tracking.MemoryStorage;
import org.cropcast.tracking.StorageArtifactStore;
import org.junit.jupiter.api.Test;

/**
 * The sync contract between two backends whose artifact roots live in one storage service (as two
 * tracking servers on one S3): files are copied inside the storage, never streamed through the
 * sync.
 */
class TestRunSyncInsideOneStorage extends AbstractRunSyncContractTest {
    private final MemoryStorage storage = new MemoryStorage();

    @Override
    protected SyncEndpoint newSource() {
        MemoryRunStore runs = new MemoryRunStore(clock, new SplittableRandom(3), "memory://source-bucket/artifacts");
        return new SyncEndpoint("memory:source", runs, new StorageArtifactStore(storage), new MemoryModelStore(runs, clock, new SplittableRandom(7)));
    }

    @Override
    protected SyncEndpoint newDestination() {
        MemoryRunStore runs = new MemoryRunStore(clock, new SplittableRandom(4), "memory://destination-bucket/artifacts");
        return new SyncEndpoint("memory:destination", runs, new StorageArtifactStore(storage), new MemoryModelStore(runs, clock,
                new SplittableRandom(8)));
    }

    @Test
    public void filesAreCopiedInsideTheStorage() throws IOException {
        Seeded seeded = seed();
        CountingArtifactStore artifacts = new CountingArtifactStore(destination.artifacts());
        SyncReport report = sync(source, destination.with(destination.runs(), artifacts, destination.models()), all());
        assertThat(report.succeeded()).isTrue();
        assertThat(artifacts.directCopies).hasValue(report.artifactFiles());
        assertThat(report.runs()).allSatisfy(r -> assertThat(r.filesCopiedInStorage()).isEqualTo(r.artifactFiles()));
        assertThat(artifacts.uploads).hasValue(0);
        assertCopied(seeded.parent());
    }

    /**
     * Not a test here (no {@code @Test} on the override): copies inside the storage never stream the
     * source through the sync, so there is no upload to kill; {@link #filesAreCopiedInsideTheStorage}
     * proves that, and {@code TestRunSyncMemoryToLocal} runs the kill.
     */
    @Override
    public void killedInTheMiddleOfAnUploadLeavesNoPartialArtifactAndRestartCompletes() {}
}
