package org.cropcast.tracking;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Uploads and reads the artifacts of runs, by the run's artifact root URI
 * ({@link RunInfo#artifactUri()}). Implementations are named {@code <Technology>ArtifactStore}
 * and each serves the URI schemes it {@link #supports}; {@code SwitchingArtifactStore} picks
 * one by scheme.
 *
 * <p>Artifact paths are relative, '/'-separated, validated by {@link ArtifactPaths#validate}:
 * no '..', no absolute path, no encoded traversal, nothing outside the run's artifact root.
 * An empty artifact path means the root itself.
 */
public interface ArtifactStore {
    /** True if this store serves artifact roots of this URI (by scheme). */
    boolean supports(String artifactUri);

    /**
     * Uploads a local file, or a directory recursively, under {@code artifactPath}: a file
     * {@code f} lands at {@code artifactPath/f.name}, a directory's contents land under
     * {@code artifactPath/dir.name/...} (MLflow's {@code log_artifact} / {@code log_artifacts}
     * differ here: see {@link #logDirectoryContents}). Uploads stream; they never hold a file in
     * memory.
     */
    void logFile(String artifactUri, Path localFile, String artifactPath);

    /**
     * Uploads several files (or directories) at once, each exactly as {@link #logFile} would. Every
     * artifact path is validated and every local file checked to exist before anything is sent, so
     * a bad entry writes nothing. Stores on a remote server may upload the files in parallel (a
     * small bounded number at once); the order in which they become visible is unspecified. If an
     * upload fails after all retries, the call throws that failure, and files of the batch other
     * than the failed one may have been written (there is no transaction over several files). The
     * default uploads them one after the other with {@link #logFile}.
     */
    default void logFiles(String artifactUri, List<ArtifactFile> files) {
        requireValidBatch(files);
        for (ArtifactFile file : files) {
            logFile(artifactUri, file.localFile(), file.artifactPath());
        }
    }

    /**
     * The checks {@link #logFiles} makes before it sends anything: each artifact path and local
     * file name valid, each local file present.
     */
    static void requireValidBatch(List<ArtifactFile> files) {
        java.util.Objects.requireNonNull(files, "files is null");
        for (ArtifactFile file : files) {
            ArtifactPaths.validate(file.artifactPath());
            if (!java.nio.file.Files.exists(file.localFile())) {
                throw new CropcastException(TrackingErrorCode.LOCATION_NOT_FOUND, "cannot log " + file.localFile() + ": it does not exist");
            }
            Path name = file.localFile().getFileName();
            if (name != null) {
                ArtifactPaths.validate(name.toString());
            }
        }
    }

    /** Uploads the contents of a local directory under {@code artifactPath} (MLflow's {@code log_artifacts}). */
    void logDirectoryContents(String artifactUri, Path localDirectory, String artifactPath);

    /**
     * Uploads one file's content to {@code artifactPath} (the file's full path under the root, not
     * a directory), replacing a file that is there. The file is visible only once whole: a failed
     * upload (or a process killed mid-upload) leaves the previous file or none. The content is
     * read to its end; the caller closes it. The default spools the content to a local temporary
     * file and uploads it with {@link #logFile}; stores that can stream override it.
     */
    default void upload(String artifactUri, String artifactPath, InputStream content) {
        String path = ArtifactPaths.validate(artifactPath);
        if (path.isEmpty()) {
            throw new CropcastException(TrackingErrorCode.INVALID_ARTIFACT_PATH, "cannot upload to the artifact root itself");
        }
        int slash = path.lastIndexOf('/');
        String directory = slash < 0 ? "" : path.substring(0, slash);
        Path spool = null;
        try {
            spool = java.nio.file.Files.createTempDirectory("cropcast-upload-");
            Path file = spool.resolve(path.substring(slash + 1));
            java.nio.file.Files.copy(content, file);
            logFile(artifactUri, file, directory);
        } catch (java.io.IOException e) {
            throw new CropcastException(TrackingErrorCode.STORAGE_FAILURE,
                    "cannot spool artifact '" + path + "' for upload: " + e.getMessage(), e);
        } finally {
            if (spool != null) {
                ObjectStaging.deleteRecursively(spool);
            }
        }
    }

    /** Lists the direct children of {@code path} (empty for the root). Empty when nothing is there. */
    List<ArtifactEntry> list(String artifactUri, String path);

    /** Opens one artifact file for reading; {@link TrackingErrorCode#LOCATION_NOT_FOUND} if absent. */
    InputStream open(String artifactUri, String path);

    /**
     * Removes what uploads that died mid-write left under the artifact root (see
     * {@link Storage#discardIncompleteWrites}); for a root no live writer uses, such as the root of
     * a run being resumed. Returns how many leftovers were removed. The default (a store whose
     * server finishes or drops unfinished uploads itself) has nothing to remove.
     */
    default int discardIncompleteUploads(String artifactUri) {
        return 0;
    }

    /**
     * True if this store can copy {@code source} into the artifact root without the bytes passing
     * through this process (for example S3 to S3 server-side copy). The default is false.
     */
    default boolean canCopyDirectly(Location source, String artifactUri) {
        return false;
    }

    /**
     * Copies an object-store file or prefix directly under {@code artifactPath} of the root; only
     * called when {@link #canCopyDirectly} returned true.
     */
    default void copyDirectly(Location source, String artifactUri, String artifactPath) {
        throw new CropcastException(TrackingErrorCode.INTERNAL_ERROR,
                getClass().getSimpleName() + " cannot copy directly from " + source);
    }
}
