package org.cropcast.tracking.sync;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.cropcast.tracking.ArtifactEntry;
import org.cropcast.tracking.ArtifactStore;
import org.cropcast.tracking.Location;

/**
 * Delegates to a real artifact store, counts uploads and direct copies, and can die (a
 * {@link SimulatedKill}) after {@code killAfterBytes} bytes have been read from files it opens.
 */
final class CountingArtifactStore implements ArtifactStore {
    private final ArtifactStore delegate;
    private final long killAfterBytes;
    final AtomicInteger uploads = new AtomicInteger();
    final AtomicInteger directCopies = new AtomicInteger();

    CountingArtifactStore(ArtifactStore delegate) {
        this(delegate, -1);
    }

    CountingArtifactStore(ArtifactStore delegate, long killAfterBytes) {
        this.delegate = delegate;
        this.killAfterBytes = killAfterBytes;
    }

    @Override
    public boolean supports(String artifactUri) {
        return delegate.supports(artifactUri);
    }

    @Override
    public void logFile(String artifactUri, Path localFile, String artifactPath) {
        uploads.incrementAndGet();
        delegate.logFile(artifactUri, localFile, artifactPath);
    }

    @Override
    public void logDirectoryContents(String artifactUri, Path localDirectory, String artifactPath) {
        uploads.incrementAndGet();
        delegate.logDirectoryContents(artifactUri, localDirectory, artifactPath);
    }

    @Override
    public void upload(String artifactUri, String artifactPath, InputStream content) {
        uploads.incrementAndGet();
        delegate.upload(artifactUri, artifactPath, content);
    }

    @Override
    public List<ArtifactEntry> list(String artifactUri, String path) {
        return delegate.list(artifactUri, path);
    }

    @Override
    public InputStream open(String artifactUri, String path) {
        InputStream in = delegate.open(artifactUri, path);
        return killAfterBytes < 0 ? in : new FilterInputStream(in) {
            private long read;

            @Override
            public int read() throws IOException {
                check(1);
                return super.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                check(len);
                int n = super.read(b, off, (int) Math.min(len, Math.max(1, killAfterBytes - read)));
                read += Math.max(n, 0);
                return n;
            }

            private void check(int wanted) {
                if (read >= killAfterBytes) {
                    throw new SimulatedKill("after " + read + " bytes of " + path);
                }
            }
        };
    }

    @Override
    public int discardIncompleteUploads(String artifactUri) {
        return delegate.discardIncompleteUploads(artifactUri);
    }

    @Override
    public boolean canCopyDirectly(Location source, String artifactUri) {
        return delegate.canCopyDirectly(source, artifactUri);
    }

    @Override
    public void copyDirectly(Location source, String artifactUri, String artifactPath) {
        directCopies.incrementAndGet();
        delegate.copyDirectly(source, artifactUri, artifactPath);
    }
}
