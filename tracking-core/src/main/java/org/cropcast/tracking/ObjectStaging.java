package org.cropcast.tracking;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@link Storage#stage} for object stores: copies a file, or every file under a prefix, into a
 * fresh temporary directory through {@link Storage#newInputStream}. If copying fails midway the
 * directory is removed before the exception propagates; the returned {@link StagedPath} removes
 * it when closed.
 */
public final class ObjectStaging {
    private static final String PREFIX = "cropcast-stage-";

    private ObjectStaging() {}

    public static StagedPath stage(Storage storage, Location location) {
        return stage(storage, location, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** As {@link #stage(Storage, Location)}, with the temporary directory created under {@code tempRoot}. */
    public static StagedPath stage(Storage storage, Location location, Path tempRoot) {
        boolean isFile = storage.exists(location);
        List<FileEntry> entries = isFile ? List.of() : storage.list(location);
        if (!isFile && entries.isEmpty()) {
            throw new CropcastException(TrackingErrorCode.LOCATION_NOT_FOUND, "nothing to stage at " + location);
        }
        Path directory;
        try {
            directory = Files.createTempDirectory(tempRoot, PREFIX);
        } catch (IOException e) {
            throw new CropcastException(TrackingErrorCode.STORAGE_FAILURE,
                    "cannot create a temporary directory under " + tempRoot + ": " + e.getMessage(), e);
        }
        try {
            Path result;
            if (isFile) {
                String name = location.fileName().isEmpty() ? "object" : location.fileName();
                result = directory.resolve(ArtifactPaths.validate(name));
                download(storage, location, result);
            } else {
                String base = location.key().isEmpty() || location.key().endsWith("/") ? location.key() : location.key() + "/";
                result = directory;
                for (FileEntry entry : entries) {
                    String relative = ArtifactPaths.validate(entry.location().key().substring(base.length()));
                    download(storage, entry.location(), directory.resolve(relative));
                }
            }
            return new TemporaryStagedPath(result, directory);
        } catch (RuntimeException | Error e) {
            deleteRecursively(directory);
            throw e;
        }
    }

    private static void download(Storage storage, Location source, Path target) {
        try {
            Files.createDirectories(target.getParent());
            try (InputStream in = storage.newInputStream(source)) {
                Files.copy(in, target);
            }
        } catch (IOException e) {
            throw new CropcastException(TrackingErrorCode.STORAGE_FAILURE,
                    "cannot stage " + source + " to " + target + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a file or directory tree; quiet if it is already gone. */
    public static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }

    private record TemporaryStagedPath(Path path, Path directory) implements StagedPath {
        @Override
        public void close() {
            try {
                deleteRecursively(directory);
            } catch (UncheckedIOException e) {
                throw new CropcastException(TrackingErrorCode.STORAGE_FAILURE,
                        "cannot remove staging directory " + directory + ": " + e.getCause().getMessage(), e);
            }
        }
    }
}
