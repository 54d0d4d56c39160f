package org.cropcast.pipeline.runs;

import static java.util.Objects.requireNonNull;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.cropcast.tracking.ArtifactEntry;
import org.cropcast.tracking.ArtifactFile;
import org.cropcast.tracking.ArtifactStore;
import org.cropcast.tracking.Location;

/**
 * The application's artifact store as one tracking server's runs need it when two servers are open
 * at once ({@code runs sync} between servers): a host-less {@code mlflow-artifacts:/...} root, which
 * MLflow resolves against "the" tracking server, is resolved against this endpoint's server
 * ({@code mlflow-artifacts://host:port/...}) so the two sides never read each other's artifacts.
 * Every other root passes through unchanged.
 */
final class EndpointArtifactStore implements ArtifactStore {
    private static final String HOSTLESS = "mlflow-artifacts:/";

    private final ArtifactStore delegate;
    private final String authority;

    private EndpointArtifactStore(ArtifactStore delegate, String authority) {
        this.delegate = delegate;
        this.authority = authority;
    }

    /** The store for the runs of the backend at this tracking URI: bound to it when it is a server. */
    static ArtifactStore of(ArtifactStore delegate, String trackingUri) {
        requireNonNull(delegate, "delegate is null");
        String lower = trackingUri.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            return delegate;
        }
        String authority = URI.create(trackingUri).getRawAuthority();
        return authority == null ? delegate : new EndpointArtifactStore(delegate, authority);
    }

    /** {@code mlflow-artifacts:/1/x} becomes {@code mlflow-artifacts://host:port/1/x}. */
    String qualify(String artifactUri) {
        if (artifactUri.regionMatches(true, 0, HOSTLESS, 0, HOSTLESS.length()) && !artifactUri.startsWith("//", HOSTLESS.length() - 1)) {
            return "mlflow-artifacts://" + authority + "/" + artifactUri.substring(HOSTLESS.length()).replaceFirst("^/+", "");
        }
        return artifactUri;
    }

    @Override
    public boolean supports(String artifactUri) {
        return delegate.supports(qualify(artifactUri));
    }

    @Override
    public void logFile(String artifactUri, Path localFile, String artifactPath) {
        delegate.logFile(qualify(artifactUri), localFile, artifactPath);
    }

    @Override
    public void logFiles(String artifactUri, List<ArtifactFile> files) {
        delegate.logFiles(qualify(artifactUri), files);
    }

    @Override
    public void logDirectoryContents(String artifactUri, Path localDirectory, String artifactPath) {
        delegate.logDirectoryContents(qualify(artifactUri), localDirectory, artifactPath);
    }

    @Override
    public void upload(String artifactUri, String artifactPath, InputStream content) {
        delegate.upload(qualify(artifactUri), artifactPath, content);
    }

    @Override
    public List<ArtifactEntry> list(String artifactUri, String path) {
        return delegate.list(qualify(artifactUri), path);
    }

    @Override
    public InputStream open(String artifactUri, String path) {
        return delegate.open(qualify(artifactUri), path);
    }

    @Override
    public int discardIncompleteUploads(String artifactUri) {
        return delegate.discardIncompleteUploads(qualify(artifactUri));
    }

    @Override
    public boolean canCopyDirectly(Location source, String artifactUri) {
        return delegate.canCopyDirectly(source, qualify(artifactUri));
    }

    @Override
    public void copyDirectly(Location source, String artifactUri, String artifactPath) {
        delegate.copyDirectly(source, qualify(artifactUri), artifactPath);
    }
}
