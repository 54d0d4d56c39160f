package org.cropcast.tracking;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * Files and objects: local paths and object stores behind one small contract. Implementations
 * are named {@code <Technology>Storage} ({@code LocalStorage}, {@code MemoryStorage},
 * {@code S3Storage}); {@code SwitchingStorage} picks one by {@link Location#scheme()}.
 *
 * <p>Contract (pinned by {@code AbstractStorageContractTest} in core's test-jar): a missing file
 * is {@link TrackingErrorCode#LOCATION_NOT_FOUND}; {@link #write} replaces the whole file and
 * publishes it only if the writer returns normally (a failed writer leaves the previous file, or
 * no file, and no temporary leftovers in {@link #list}); {@link #createIfAbsent} creates a file
 * atomically only if none exists; {@link #list} is recursive and returns files only, ordered by
 * location; reads and writes stream.
 */
public interface Storage {
    /** True if this storage serves the location's scheme. */
    boolean supports(Location location);

    /** True if a file exists at the location. */
    boolean exists(Location location);

    InputStream newInputStream(Location location);

    /** Writes a file's content to a stream; see {@link Storage#write}. */
    @FunctionalInterface
    interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /**
     * Creates or replaces the file with what the writer writes; parents are created as needed.
     * The file appears, whole, only if the writer returns normally; if the writer (or publishing)
     * fails, nothing is published, the previous file (if any) is unchanged and no temporary file
     * shows in {@link #list}. The writer may close the stream it gets; that does not publish. An
     * {@link IOException} becomes {@link TrackingErrorCode#STORAGE_FAILURE} naming the location;
     * the writer's unchecked exceptions propagate unchanged.
     *
     * <p>This is the only way to write: there is no output stream that publishes on close, because
     * try-with-resources closes a stream also when the code writing to it failed. Implementations
     * build on {@link PendingFile}: a temporary file moved into place ({@code LocalStorage}), a
     * buffer ({@code MemoryStorage}), an upload completed or aborted ({@code S3Storage}).
     */
    void write(Location location, Writer writer);

    /**
     * Creates the file with the given content only if no file exists at the location, atomically:
     * of several concurrent callers for one location exactly one gets true. Returns false, leaving
     * the existing file unchanged, if a file is there (or, in an object store, another writer is
     * creating it at this moment). Parents are created as needed. Used to claim names (run
     * directories in object stores, where there is no directory to create).
     *
     * <p>A storage that cannot decide atomically throws
     * {@link TrackingErrorCode#ATOMIC_CREATE_UNSUPPORTED} rather than pretend to; so does the default.
     */
    default boolean createIfAbsent(Location location, byte[] content) {
        throw new CropcastException(TrackingErrorCode.ATOMIC_CREATE_UNSUPPORTED,
                "cannot create " + location + " only if absent: " + getClass().getSimpleName() + " has no atomic create");
    }

    /** All files under a prefix or directory, recursively, ordered by location. Empty when none. */
    List<FileEntry> list(Location prefix);

    /**
     * Copies one file. The default streams through this process; object stores override it with
     * a server-side copy when both ends are theirs.
     */
    default void copy(Location source, Location target) {
        try (InputStream in = newInputStream(source)) {
            write(target, in::transferTo);
        } catch (IOException e) {
            throw new CropcastException(TrackingErrorCode.STORAGE_FAILURE,
                    "cannot copy " + source + " to " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * True if {@link #copy copy(source, target)} runs inside the storage service, without the bytes
     * passing through this process (an S3 server-side copy between two {@code s3://} locations).
     * {@code StorageArtifactStore} uses it to offer {@link ArtifactStore#canCopyDirectly}. The
     * default is false.
     */
    default boolean copiesServerSide(Location source, Location target) {
        return false;
    }

    /** Deletes a file; no-op if absent. */
    void delete(Location location);

    /**
     * Removes what writers that died mid-write (SIGKILL, power loss) left under a prefix or
     * directory: temporary files of local writes, unfinished multipart uploads of object stores.
     * Published files are never touched. Call it only where no live writer can be at work, as
     * {@code RunScope} does for a run directory and an artifact root it resumes. Returns how many
     * leftovers were removed. The default has nothing to remove.
     */
    default int discardIncompleteWrites(Location prefix) {
        return 0;
    }

    /**
     * Copies a file, or every file under a prefix, into a fresh local temporary directory. The
     * returned {@link StagedPath} removes it when closed; if staging fails midway, what was
     * written is removed before the exception propagates.
     */
    StagedPath stage(Location location);
}
