package org.cropcast.tracking;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@link Storage#write}'s default: the content goes to a local temporary file first and is
 * copied through {@link Storage#newOutputStream} only once the writer has finished.
 */
final class SpooledPendingFile implements PendingFile {
    private final Storage storage;
    private final Location location;
    private final Path spool;
    private final OutputStream stream;

    private SpooledPendingFile(Storage storage, Location location, Path spool, OutputStream stream) {
        this.storage = storage;
        this.location = location;
        this.spool = spool;
        this.stream = stream;
    }

    static SpooledPendingFile create(Storage storage, Location location) {
        Path spool = null;
        try {
            spool = Files.createTempFile("cropcast-spool-", ".tmp");
            return new SpooledPendingFile(storage, location, spool, Files.newOutputStream(spool));
        } catch (IOException e) {
            if (spool != null) {
                spool.toFile().delete();
            }
            throw new CropcastException(TrackingErrorCode.STORAGE_FAILURE,
                    "cannot create a temporary file to write " + location + ": " + e.getMessage(), e);
        }
    }

    @Override
    public OutputStream stream() {
        return stream;
    }

    @Override
    @SuppressWarnings("deprecation") // the spooled content is complete before the stream is opened
    public void commit() throws IOException {
        stream.close();
        try (InputStream in = Files.newInputStream(spool); OutputStream out = storage.newOutputStream(location)) {
            in.transferTo(out);
        }
        Files.deleteIfExists(spool);
    }

    @Override
    public void abort() throws IOException {
        stream.close();
        Files.deleteIfExists(spool);
    }
}
