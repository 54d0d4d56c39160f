package org.cropcast.tracking;

import java.util.Set;

/**
 * A service that {@link Tracking} discovers through {@link java.util.ServiceLoader}: the
 * {@link Storage} of some location schemes ({@code file}, {@code memory}, {@code s3}, ...), listed
 * in {@code META-INF/services/org.cropcast.tracking.StorageProvider}. Artifact roots of these
 * schemes are served by a {@link StorageArtifactStore} over the storage. An implementation has a
 * public no-argument constructor and is cheap to construct.
 */
public interface StorageProvider {
    /** The location schemes served, lower case. Known before {@link #create}. */
    Set<String> schemes();

    /** The storage, built from the context (it may be {@link AutoCloseable}; {@link Tracking#close()} closes it). */
    Storage create(TrackingContext context);
}
