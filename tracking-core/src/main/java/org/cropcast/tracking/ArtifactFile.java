package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * One local file (or directory) of a batch upload ({@link ArtifactStore#logFiles}) and the artifact
 * path it goes under, as {@link ArtifactStore#logFile} takes them: {@code f} lands at
 * {@code artifactPath/f.name}.
 */
public record ArtifactFile(Path localFile, String artifactPath) {
    public ArtifactFile {
        requireNonNull(localFile, "localFile is null");
        requireNonNull(artifactPath, "artifactPath is null");
    }
}
