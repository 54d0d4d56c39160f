package org.cropcast.storage.s3;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.ProvidesIntoSet;
import java.util.Map;
import org.cropcast.tracking.ArtifactStore;
import org.cropcast.tracking.Storage;
import org.cropcast.tracking.StorageArtifactStore;

/**
 * Guice wiring of the S3 adapter: adds {@link S3Storage} to the {@code Set<Storage>} and an
 * artifact store for {@code s3://} roots (core's {@link StorageArtifactStore} over that storage,
 * with server-side copies) to the {@code Set<ArtifactStore>} that the composition root switches
 * over by scheme. The environment (normally {@code System.getenv()}) is passed in, never read here.
 */
public final class S3StorageModule extends AbstractModule {
    private final Map<String, String> environment;

    public S3StorageModule(Map<String, String> environment) {
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
    }

    @Provides
    @Singleton
    S3StorageFactory s3StorageFactory() {
        return S3StorageFactory.fromEnvironment(environment);
    }

    @Provides
    @Singleton
    S3Storage s3Storage(S3StorageFactory factory) {
        return factory.createStorage();
    }

    @ProvidesIntoSet
    Storage s3StorageIntoSet(S3Storage storage) {
        return storage;
    }

    @ProvidesIntoSet
    @Singleton
    ArtifactStore s3ArtifactStore(S3Storage storage) {
        return new StorageArtifactStore(storage);
    }
}
