package org.cropcast.storage.s3;

import java.util.Set;
import org.cropcast.tracking.Storage;
import org.cropcast.tracking.StorageProvider;
import org.cropcast.tracking.TrackingContext;

/**
 * Registers {@code s3://} locations and artifact roots ({@link S3Storage}) with core's
 * {@code Tracking}, through {@code META-INF/services/org.cropcast.tracking.StorageProvider}.
 * Configuration and credentials come from the context's environment ({@link S3StorageConfig},
 * {@link S3StorageFactory#fromEnvironment}); the SDK client is built on the first S3 request.
 */
public final class S3StorageProvider implements StorageProvider {
    @Override
    public Set<String> schemes() {
        return Set.of(S3Storage.SCHEME);
    }

    @Override
    public Storage create(TrackingContext context) {
        return S3StorageFactory.fromEnvironment(context.environment()).createStorage();
    }
}
