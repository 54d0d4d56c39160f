package org.cropcast.tracking;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * Files and objects: local paths and object stores behind one small contract. Implementations
 * are named {@code <Technology>Storage} ({@code LocalStorage}, {@code MemoryStorage},
 * {@code S3Storage}); {@code SwitchingStorage} picks one by {@link Location#scheme()}.
 *
 * <p>Contract (pinned by {@code AbstractStorageContractTest} in core's test-jar): a missing file
 * is {@link TrackingErrorCode#LOCATION_NOT_FOUND}; writes replace whole files and are visible
 * only once the stream is closed without error; {@link #list} is recursive and returns files
 * only, ordered by location; reads and writes stream.
 */
public interface Storage {
    /** True if this storage serves the location's scheme. */
    boolean supports(Location location);

    /** True if a file exists at the location. */
    boolean exists(Location location);

    InputStream newInputStream(Location location);

    /** A stream that creates or replaces the file when closed; parents are created as needed. */
    OutputStream newOutputStream(Location location);

    /** All files under a prefix or directory, recursively, ordered by location. Empty when none. */
    List<FileEntry> list(Location prefix);

    /**
     * Copies one file. The default streams through this process; object stores override it with
     * a server-side copy when both ends are theirs.
     */
    default void copy(Location source, Location target) {
        try (InputStream in = newInputStream(source); OutputStream out = newOutputStream(target)) {
            in.transferTo(out);
        } catch (java.io.IOException e) {
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
     * Copies a file, or every file under a prefix, into a fresh local temporary directory. The
     * returned {@link StagedPath} removes it when closed; if staging fails midway, what was
     * written is removed before the exception propagates.
     */
    StagedPath stage(Location location);
}
