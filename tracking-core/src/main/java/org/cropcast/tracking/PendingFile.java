package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;

/**
 * A new version of a file being written, not yet visible: bytes go to {@link #stream()},
 * {@link #commit()} publishes them in one step, {@link #abort()} discards them. {@link Storage}
 * implementations build their {@link Storage#write} on it with {@link #write(Location, PendingFile,
 * Storage.Writer)}, which commits only if the writer returns normally.
 */
public interface PendingFile {
    /** Where the writer's bytes go; nothing written here is visible before {@link #commit()}. */
    OutputStream stream();

    /**
     * Closes the stream and publishes what was written, replacing any previous file. If it throws,
     * nothing was published (the implementation cleans up or {@link #abort()} does).
     */
    void commit() throws IOException;

    /** Closes the stream and discards what was written; the previous file, if any, is untouched. Idempotent. */
    void abort() throws IOException;

    /** One step of publishing or discarding. */
    @FunctionalInterface
    interface Step {
        void run() throws IOException;
    }

    /** A pending file from its stream and the steps that publish ({@code commit}) or discard ({@code abort}) it. */
    static PendingFile of(OutputStream stream, Step commit, Step abort) {
        requireNonNull(stream, "stream is null");
        requireNonNull(commit, "commit is null");
        requireNonNull(abort, "abort is null");
        return new PendingFile() {
            @Override
            public OutputStream stream() {
                return stream;
            }

            @Override
            public void commit() throws IOException {
                commit.run();
            }

            @Override
            public void abort() throws IOException {
                abort.run();
            }
        };
    }

    /**
     * Runs the writer on the pending file's stream, then commits; if the writer or the commit
     * fails, aborts and rethrows (a failure to abort is added as suppressed). The writer may close
     * the stream it gets (wrapping writers such as Parquet's do): that only flushes, the commit
     * decides. An {@link IOException} becomes {@link TrackingErrorCode#STORAGE_FAILURE} naming the
     * location, and so does an unchecked exception of a library that wraps one (Parquet's
     * {@code ParquetCloseResourceException}, an {@link java.io.UncheckedIOException}): a full disk
     * under the run directory is the storage's failure, whichever writer met it. A
     * {@link CropcastException} and errors propagate unchanged.
     */
    static void write(Location location, PendingFile pending, Storage.Writer writer) {
        requireNonNull(location, "location is null");
        requireNonNull(writer, "writer is null");
        try {
            writer.write(new ShieldedStream(pending.stream()));
            pending.commit();
        } catch (IOException e) {
            abortQuietly(pending, e);
            throw new CropcastException(TrackingErrorCode.STORAGE_FAILURE, "cannot write " + location + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            abortQuietly(pending, e);
            Optional<IOException> io = e instanceof CropcastException ? Optional.empty() : ioCause(e);
            if (io.isPresent()) {
                throw new CropcastException(TrackingErrorCode.STORAGE_FAILURE, "cannot write " + location + ": " + io.get().getMessage(), e);
            }
            throw e;
        } catch (Error e) {
            abortQuietly(pending, e);
            throw e;
        }
    }

    /** The first {@link IOException} among the causes of a library's unchecked exception. */
    private static Optional<IOException> ioCause(Throwable e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof IOException io) {
                return Optional.of(io);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return Optional.empty();
    }

    private static void abortQuietly(PendingFile pending, Throwable primary) {
        try {
            pending.abort();
        } catch (IOException | RuntimeException e) {
            primary.addSuppressed(e);
        }
    }

    /** The writer's view: close() flushes but leaves closing (and publishing) to the storage. */
    final class ShieldedStream extends FilterOutputStream {
        private boolean closed;

        ShieldedStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            ensureOpen();
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ensureOpen();
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            ensureOpen();
            out.flush();
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                out.flush();
                closed = true;
            }
        }

        private void ensureOpen() throws IOException {
            if (closed) {
                throw new IOException("stream closed");
            }
        }
    }
}
