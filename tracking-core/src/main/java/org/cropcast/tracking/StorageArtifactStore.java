package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * An {@link ArtifactStore} over any {@link Storage}: artifact roots that are storage locations
 * ({@code file:///...} or a plain absolute path, {@code memory://...}, {@code s3://...}). Artifacts
 * are files at {@code root/artifactPath}. Direct copies are offered when the storage copies
 * server-side between the source and the root ({@link Storage#copiesServerSide}).
 */
public final class StorageArtifactStore implements ArtifactStore {
    private final Storage storage;

    public StorageArtifactStore(Storage storage) {
        this.storage = requireNonNull(storage, "storage is null");
    }

    @Override
    public boolean supports(String artifactUri) {
        try {
            return storage.supports(Location.of(artifactUri));
        } catch (CropcastException e) {
            return false;
        }
    }

    @Override
    public void logFile(String artifactUri, Path localFile, String artifactPath) {
        Location root = root(artifactUri);
        String base = ArtifactPaths.validate(artifactPath);
        if (!Files.exists(localFile)) {
            throw new CropcastException(TrackingErrorCode.LOCATION_NOT_FOUND, "cannot log " + localFile + ": it does not exist");
        }
        String name = ArtifactPaths.validate(localFile.getFileName().toString());
        if (Files.isDirectory(localFile)) {
            uploadTree(root, localFile, ArtifactPaths.join(base, name));
        } else {
            upload(localFile, root.resolve(ArtifactPaths.join(base, name)));
        }
    }

    @Override
    public void logDirectoryContents(String artifactUri, Path localDirectory, String artifactPath) {
        Location root = root(artifactUri);
        String base = ArtifactPaths.validate(artifactPath);
        if (!Files.isDirectory(localDirectory)) {
            throw new CropcastException(TrackingErrorCode.LOCATION_NOT_FOUND,
                    "cannot log the contents of " + localDirectory + ": it is not a directory");
        }
        uploadTree(root, localDirectory, base);
    }

    private void uploadTree(Location root, Path directory, String base) {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new CropcastException(TrackingErrorCode.STORAGE_FAILURE, "cannot list " + directory + ": " + e.getMessage(), e);
        }
        // validate every path before uploading anything
        List<Location> targets = new ArrayList<>();
        for (Path file : files) {
            String relative = directory.relativize(file).toString().replace(java.io.File.separatorChar, '/');
            targets.add(root.resolve(ArtifactPaths.join(base, relative)));
        }
        for (int i = 0; i < files.size(); i++) {
            upload(files.get(i), targets.get(i));
        }
    }

    private void upload(Path file, Location target) {
        try (InputStream in = Files.newInputStream(file)) {
            storage.write(target, in::transferTo);
        } catch (IOException e) {
            throw new CropcastException(TrackingErrorCode.STORAGE_FAILURE,
                    "cannot upload " + file + " to " + target + ": " + e.getMessage(), e);
        }
    }

    /** Streams the content into {@link Storage#write}, which publishes the file only once whole. */
    @Override
    public void upload(String artifactUri, String artifactPath, InputStream content) {
        Location root = root(artifactUri);
        String path = ArtifactPaths.validate(artifactPath);
        if (path.isEmpty()) {
            throw new CropcastException(TrackingErrorCode.INVALID_ARTIFACT_PATH, "cannot upload to the artifact root itself");
        }
        storage.write(root.resolve(path), content::transferTo);
    }

    @Override
    public List<ArtifactEntry> list(String artifactUri, String path) {
        Location root = root(artifactUri);
        String base = ArtifactPaths.validate(path);
        Location directory = root.resolve(base);
        String prefix = base.isEmpty() ? "" : base + "/";
        TreeMap<String, ArtifactEntry> children = new TreeMap<>();
        String directoryText = directory.toString();
        for (FileEntry entry : storage.list(directory)) {
            String relative = entry.location().toString().substring(directoryText.length());
            relative = relative.replace(java.io.File.separatorChar, '/');
            while (relative.startsWith("/")) {
                relative = relative.substring(1);
            }
            int slash = relative.indexOf('/');
            if (slash < 0) {
                children.put(relative, new ArtifactEntry(prefix + relative, false, java.util.Optional.of(entry.sizeBytes())));
            } else {
                String child = relative.substring(0, slash);
                children.putIfAbsent(child, new ArtifactEntry(prefix + child, true, java.util.Optional.empty()));
            }
        }
        return List.copyOf(children.values());
    }

    @Override
    public InputStream open(String artifactUri, String path) {
        Location root = root(artifactUri);
        String validated = ArtifactPaths.validate(path);
        if (validated.isEmpty()) {
            throw new CropcastException(TrackingErrorCode.INVALID_ARTIFACT_PATH, "cannot open the artifact root as a file");
        }
        return storage.newInputStream(root.resolve(validated));
    }

    @Override
    public boolean canCopyDirectly(Location source, String artifactUri) {
        if (source.isLocal() || !supports(artifactUri)) {
            return false;
        }
        return storage.copiesServerSide(source, root(artifactUri));
    }

    /**
     * Copies a file to {@code artifactPath/<name>}, or every file under a prefix to
     * {@code artifactPath/<prefix name>/...}, as {@link #logFile} lays out local files.
     */
    @Override
    public void copyDirectly(Location source, String artifactUri, String artifactPath) {
        if (!canCopyDirectly(source, artifactUri)) {
            ArtifactStore.super.copyDirectly(source, artifactUri, artifactPath);
        }
        Location root = root(artifactUri);
        String base = ArtifactPaths.join(artifactPath, ArtifactPaths.validate(source.fileName()));
        if (storage.exists(source)) {
            storage.copy(source, root.resolve(base));
            return;
        }
        List<FileEntry> entries = storage.list(source);
        if (entries.isEmpty()) {
            throw new CropcastException(TrackingErrorCode.LOCATION_NOT_FOUND, "nothing to copy at " + source);
        }
        String sourcePrefix = source.key().endsWith("/") ? source.key() : source.key() + "/";
        List<Location> targets = new ArrayList<>();
        for (FileEntry entry : entries) {
            targets.add(root.resolve(ArtifactPaths.join(base, entry.location().key().substring(sourcePrefix.length()))));
        }
        for (int i = 0; i < entries.size(); i++) {
            storage.copy(entries.get(i).location(), targets.get(i));
        }
    }

    @Override
    public int discardIncompleteUploads(String artifactUri) {
        return storage.discardIncompleteWrites(root(artifactUri));
    }

    private Location root(String artifactUri) {
        Location root = Location.of(requireNonNull(artifactUri, "artifactUri is null"));
        if (!storage.supports(root)) {
            throw new CropcastException(TrackingErrorCode.UNKNOWN_SCHEME,
                    "artifact root " + Redactor.redact(artifactUri) + " is not served by this artifact store");
        }
        return root;
    }
}
