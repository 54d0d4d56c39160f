package org.cropcast.tracking.mlflow;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.cropcast.tracking.ArtifactEntry;
import org.cropcast.tracking.ArtifactPaths;
import org.cropcast.tracking.ArtifactStore;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.TrackingErrorCode;

/**
 * The artifacts of the embedded store: plain files under a local artifact root, laid out as
 * MLflow's {@code LocalArtifactRepository} lays them out, so {@code mlflow ui} and the Python
 * client serve and download them. Serves {@code file:} URIs and the absolute paths Python MLflow
 * records for local roots ({@code /abs/mlruns/1/<run>/artifacts}).
 *
 * <p>Files are written to a temporary name in the target directory and moved into place, so a
 * reader never sees half a file; paths are validated by {@link ArtifactPaths} and must stay
 * inside the run's artifact root, also through symbolic links.
 */
public final class SqliteArtifactStore implements ArtifactStore {
    @Override
    public boolean supports(String artifactUri) {
        requireNonNull(artifactUri, "artifactUri is null");
        return artifactUri.toLowerCase(Locale.ROOT).startsWith("file:") || artifactUri.startsWith("/");
    }

    @Override
    public void logFile(String artifactUri, Path localFile, String artifactPath) {
        Path target = resolve(artifactUri, artifactPath);
        Path name = requireNonNull(localFile.getFileName(), "localFile has no name");
        if (Files.isDirectory(localFile)) {
            copyTree(localFile, inside(root(artifactUri), target.resolve(name.toString())));
        } else {
            copyFile(localFile, inside(root(artifactUri), target.resolve(name.toString())));
        }
    }

    @Override
    public void logDirectoryContents(String artifactUri, Path localDirectory, String artifactPath) {
        if (!Files.isDirectory(localDirectory)) {
            throw new CropcastException(TrackingErrorCode.LOCATION_NOT_FOUND, "not a directory: " + localDirectory);
        }
        copyTree(localDirectory, resolve(artifactUri, artifactPath));
    }

    private void copyTree(Path source, Path target) {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(source)) {
            files = walk.filter(p -> Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw failure("cannot read directory " + source, e);
        }
        for (Path file : files) {
            Path relative = source.relativize(file);
            String validated = ArtifactPaths.validate(relative.toString().replace('\\', '/'));
            copyFile(file, target.resolve(validated));
        }
    }

    private static void copyFile(Path source, Path target) {
        if (!Files.isRegularFile(source)) {
            throw new CropcastException(TrackingErrorCode.LOCATION_NOT_FOUND, "no such file: " + source);
        }
        Path temp = null;
        try {
            Files.createDirectories(target.getParent());
            temp = Files.createTempFile(target.getParent(), ".upload-", ".tmp");
            Files.copy(source, temp, StandardCopyOption.REPLACE_EXISTING);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
        } catch (FileAlreadyExistsException e) {
            throw failure("cannot write artifact " + target + ": a directory or file is in the way", e);
        } catch (IOException e) {
            throw failure("cannot write artifact " + target, e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    @Override
    public List<ArtifactEntry> list(String artifactUri, String path) {
        Path root = root(artifactUri);
        String relative = ArtifactPaths.validate(path);
        Path dir = resolve(artifactUri, relative);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<ArtifactEntry> out = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                String name = child.getFileName().toString();
                if (name.startsWith(".upload-") && name.endsWith(".tmp")) {
                    continue;
                }
                inside(root, child);
                String childPath = relative.isEmpty() ? name : relative + "/" + name;
                if (Files.isDirectory(child)) {
                    out.add(new ArtifactEntry(childPath, true, Optional.empty()));
                } else {
                    out.add(new ArtifactEntry(childPath, false, Optional.of(Files.size(child))));
                }
            }
        } catch (IOException e) {
            throw failure("cannot list artifacts under " + dir, e);
        }
        out.sort(Comparator.comparing(ArtifactEntry::path));
        return out;
    }

    @Override
    public InputStream open(String artifactUri, String path) {
        Path file = resolve(artifactUri, path);
        if (path.isEmpty() || !Files.isRegularFile(file)) {
            throw new CropcastException(TrackingErrorCode.LOCATION_NOT_FOUND, "no artifact '" + SqliteValidation.quote(path)
                    + "' under " + SqliteValidation.quote(artifactUri));
        }
        try {
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new CropcastException(TrackingErrorCode.LOCATION_NOT_FOUND, "no artifact '" + SqliteValidation.quote(path)
                    + "' under " + SqliteValidation.quote(artifactUri), e);
        } catch (IOException e) {
            throw failure("cannot read artifact " + file, e);
        }
    }

    /** The local directory of an artifact root URI. */
    static Path root(String artifactUri) {
        requireNonNull(artifactUri, "artifactUri is null");
        try {
            if (artifactUri.startsWith("/")) {
                return Path.of(artifactUri).normalize();
            }
            URI uri = URI.create(artifactUri);
            if (!"file".equalsIgnoreCase(uri.getScheme()) || (uri.getAuthority() != null && !uri.getAuthority().isEmpty()
                    && !uri.getAuthority().equalsIgnoreCase("localhost"))) {
                throw new IllegalArgumentException("not a local file URI");
            }
            return Path.of(uri.getPath()).normalize();
        } catch (IllegalArgumentException e) {
            throw new CropcastException(TrackingErrorCode.INVALID_URI, "artifact root '" + SqliteValidation.quote(artifactUri)
                    + "' is not a local file: URI or absolute path", e);
        }
    }

    private static Path resolve(String artifactUri, String artifactPath) {
        Path root = root(artifactUri);
        String relative = ArtifactPaths.validate(artifactPath);
        return inside(root, relative.isEmpty() ? root : root.resolve(relative));
    }

    /** Refuses a path that leaves the root, lexically or through a symbolic link. */
    private static Path inside(Path root, Path path) {
        Path normal = path.normalize();
        if (!normal.startsWith(root)) {
            throw escape(root, path);
        }
        try {
            Path existing = normal;
            while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                existing = existing.getParent();
            }
            if (existing != null && existing.startsWith(root) && Files.exists(root)) {
                if (!existing.toRealPath().startsWith(root.toRealPath())) {
                    throw escape(root, path);
                }
            }
        } catch (IOException e) {
            throw failure("cannot resolve artifact path " + path, e);
        }
        return normal;
    }

    private static CropcastException escape(Path root, Path path) {
        return new CropcastException(TrackingErrorCode.INVALID_ARTIFACT_PATH,
                "artifact path " + path + " leaves the artifact root " + root);
    }

    private static CropcastException failure(String message, IOException e) {
        return new CropcastException(SqliteErrorCode.ARTIFACT_IO_FAILURE,
                message + ": " + e.getClass().getSimpleName() + " " + SqliteValidation.quote(String.valueOf(e.getMessage())), e);
    }
}
