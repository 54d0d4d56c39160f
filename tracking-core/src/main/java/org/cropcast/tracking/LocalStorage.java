package org.cropcast.tracking;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A {@link Storage} for local paths ({@code file} scheme). Writes go to a hidden temporary file
 * beside the target ({@code .<name>.cropcast-tmp-*}) and replace the target by an atomic move
 * once the writer has finished, so readers see the old file or the new one, never half of it; a
 * failed writer's temporary file is deleted, and in-progress temporary files are left out of
 * {@link #list}. {@link #createIfAbsent} creates the file with {@code CREATE_NEW}, atomic in the
 * file system (the content follows in the same call, so a concurrent reader may briefly see the
 * new file shorter; it is meant for small claim markers). {@link #stage} makes no copy: the staged path is the
 * location itself and closing it does nothing.
 */
public final class LocalStorage implements Storage {
    public static final String SCHEME = "file";
    private static final String TEMP_MARKER = ".cropcast-tmp-";

    @Override
    public boolean supports(Location location) {
        return location.isLocal();
    }

    @Override
    public boolean exists(Location location) {
        return Files.isRegularFile(path(location));
    }

    @Override
    public InputStream newInputStream(Location location) {
        Path path = path(location);
        if (Files.isDirectory(path)) {
            throw new CropcastException(TrackingErrorCode.LOCATION_NOT_FOUND, location + " is a directory, not a file");
        }
        try {
            return Files.newInputStream(path);
        } catch (IOException e) {
            throw translate("cannot read", location, e);
        }
    }

    @Override
    public void write(Location location, Writer writer) {
        Path target = path(location);
        Path temp;
        OutputStream out;
        try {
            temp = createTemp(target);
        } catch (IOException e) {
            throw translate("cannot write", location, e);
        }
        try {
            out = Files.newOutputStream(temp);
        } catch (IOException e) {
            deleteQuietly(temp, e);
            throw translate("cannot write", location, e);
        }
        PendingFile pending = PendingFile.of(out, () -> {
            out.close();
            moveIntoPlace(temp, target);
        }, () -> {
            try {
                out.close();
            } finally {
                Files.deleteIfExists(temp);
            }
        });
        PendingFile.write(location, pending, writer);
    }

    @Override
    public boolean createIfAbsent(Location location, byte[] content) {
        Path target = path(location);
        OutputStream out;
        try {
            Files.createDirectories(target.getParent());
            out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw translate("cannot create", location, e);
        }
        try (out) {
            out.write(content);
        } catch (IOException e) {
            deleteQuietly(target, e);
            throw translate("cannot create", location, e);
        }
        return true;
    }

    private static Path createTemp(Path target) throws IOException {
        Path parent = target.getParent();
        Files.createDirectories(parent);
        return Files.createTempFile(parent, "." + target.getFileName() + TEMP_MARKER, "");
    }

    private static void deleteQuietly(Path path, Exception primary) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }

    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public List<FileEntry> list(Location prefix) {
        Path root = path(prefix);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile)
                    .filter(p -> !isTemporary(p))
                    .map(p -> new FileEntry(Location.local(p), size(p)))
                    .sorted(Comparator.comparing(e -> e.location().toString()))
                    .toList();
        } catch (IOException e) {
            throw translate("cannot list", prefix, e);
        }
    }

    @Override
    public int discardIncompleteWrites(Location prefix) {
        Path root = path(prefix);
        if (!Files.isDirectory(root)) {
            return 0;
        }
        List<Path> leftovers;
        try (Stream<Path> paths = Files.walk(root)) {
            leftovers = paths.filter(Files::isRegularFile).filter(LocalStorage::isTemporary).toList();
        } catch (IOException e) {
            throw translate("cannot list", prefix, e);
        }
        for (Path leftover : leftovers) {
            try {
                Files.deleteIfExists(leftover);
            } catch (IOException e) {
                throw translate("cannot delete", Location.local(leftover), e);
            }
        }
        return leftovers.size();
    }

    /** A writer's temporary file: in progress, or left by a writer that died before moving it into place. */
    private static boolean isTemporary(Path path) {
        return path.getFileName().toString().contains(TEMP_MARKER);
    }

    private static long size(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw translate("cannot read the size of", Location.local(path), e);
        }
    }

    @Override
    public void delete(Location location) {
        try {
            Files.deleteIfExists(path(location));
        } catch (IOException e) {
            throw translate("cannot delete", location, e);
        }
    }

    @Override
    public StagedPath stage(Location location) {
        Path path = path(location);
        if (!Files.exists(path)) {
            throw new CropcastException(TrackingErrorCode.LOCATION_NOT_FOUND, location + " does not exist");
        }
        return new StagedPath() {
            @Override
            public Path path() {
                return path;
            }

            @Override
            public void close() {}
        };
    }

    private Path path(Location location) {
        if (!supports(location)) {
            throw new CropcastException(TrackingErrorCode.UNKNOWN_SCHEME,
                    "LocalStorage serves local paths, not " + location);
        }
        return location.localPath();
    }

    private static CropcastException translate(String action, Location location, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new CropcastException(TrackingErrorCode.LOCATION_NOT_FOUND, location + " does not exist", e);
        }
        if (e instanceof AccessDeniedException) {
            return new CropcastException(TrackingErrorCode.ACCESS_DENIED, action + " " + location + ": permission denied", e);
        }
        String reason = e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() : e.getMessage();
        return new CropcastException(TrackingErrorCode.STORAGE_FAILURE, action + " " + location + ": " + reason, e);
    }
}
