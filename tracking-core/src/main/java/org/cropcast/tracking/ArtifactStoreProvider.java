package org.cropcast.tracking;

import java.util.Set;

/**
 * A service that {@link Tracking} discovers through {@link java.util.ServiceLoader}: an
 * {@link ArtifactStore} for artifact-root schemes that no {@link Storage} serves (for example
 * {@code mlflow-artifacts}, a tracking server's artifact proxy), listed in
 * {@code META-INF/services/org.cropcast.tracking.ArtifactStoreProvider}. An implementation has a
 * public no-argument constructor and is cheap to construct.
 */
public interface ArtifactStoreProvider {
    /** The artifact-root schemes served, lower case. Known before {@link #create}. */
    Set<String> schemes();

    ArtifactStore create(TrackingContext context);
}
