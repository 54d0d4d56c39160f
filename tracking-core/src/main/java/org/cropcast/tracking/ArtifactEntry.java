package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One entry of a run's artifact listing.
 *
 * @param path relative to the run's artifact root, '/'-separated, as MLflow lists it
 * @param directory true for a directory
 * @param sizeBytes present for files
 */
public record ArtifactEntry(String path, boolean directory, Optional<Long> sizeBytes) {
    public ArtifactEntry {
        requireNonNull(path, "path is null");
        requireNonNull(sizeBytes, "sizeBytes is null");
    }
}
