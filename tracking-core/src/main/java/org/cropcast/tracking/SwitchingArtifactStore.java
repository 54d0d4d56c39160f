package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An {@link ArtifactStore} that hands each artifact root to the store registered for its URI
 * scheme ({@code file} also for plain paths, {@code memory}, {@code s3}, {@code mlflow-artifacts},
 * ...). An unknown scheme is {@link TrackingErrorCode#UNKNOWN_SCHEME} with the known schemes listed.
 */
public final class SwitchingArtifactStore implements ArtifactStore {
    private final Map<String, ArtifactStore> byScheme;

    public SwitchingArtifactStore(Map<String, ? extends ArtifactStore> byScheme) {
        this.byScheme = Map.copyOf(requireNonNull(byScheme, "byScheme is null"));
    }

    /**
     * The scheme of an artifact root, lower case ({@link UriSchemes#of}), else {@code file} (a plain
     * path, as Python MLflow records local artifact roots).
     */
    public static String schemeOf(String uri) {
        return UriSchemes.of(uri).orElse("file");
    }

    public ArtifactStore forUri(String artifactUri) {
        ArtifactStore store = byScheme.get(schemeOf(artifactUri));
        if (store == null) {
            throw new CropcastException(TrackingErrorCode.UNKNOWN_SCHEME,
                    "no artifact store serves '" + schemeOf(artifactUri) + "' artifact roots ("
                            + Redactor.truncateForMessage(Redactor.redact(artifactUri)) + "); known schemes: "
                            + new TreeMap<>(byScheme).keySet());
        }
        return store;
    }

    @Override
    public boolean supports(String artifactUri) {
        ArtifactStore store = byScheme.get(schemeOf(artifactUri));
        return store != null && store.supports(artifactUri);
    }

    @Override
    public void logFile(String artifactUri, Path localFile, String artifactPath) {
        forUri(artifactUri).logFile(artifactUri, localFile, artifactPath);
    }

    @Override
    public void logFiles(String artifactUri, List<ArtifactFile> files) {
        forUri(artifactUri).logFiles(artifactUri, files);
    }

    @Override
    public void logDirectoryContents(String artifactUri, Path localDirectory, String artifactPath) {
        forUri(artifactUri).logDirectoryContents(artifactUri, localDirectory, artifactPath);
    }

    @Override
    public void upload(String artifactUri, String artifactPath, InputStream content) {
        forUri(artifactUri).upload(artifactUri, artifactPath, content);
    }

    @Override
    public List<ArtifactEntry> list(String artifactUri, String path) {
        return forUri(artifactUri).list(artifactUri, path);
    }

    @Override
    public InputStream open(String artifactUri, String path) {
        return forUri(artifactUri).open(artifactUri, path);
    }

    @Override
    public int discardIncompleteUploads(String artifactUri) {
        return forUri(artifactUri).discardIncompleteUploads(artifactUri);
    }

    @Override
    public boolean canCopyDirectly(Location source, String artifactUri) {
        ArtifactStore store = byScheme.get(schemeOf(artifactUri));
        return store != null && store.canCopyDirectly(source, artifactUri);
    }

    @Override
    public void copyDirectly(Location source, String artifactUri, String artifactPath) {
        forUri(artifactUri).copyDirectly(source, artifactUri, artifactPath);
    }
}
