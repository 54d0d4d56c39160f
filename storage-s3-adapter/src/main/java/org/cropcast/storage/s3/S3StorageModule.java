package org.cropcast.storage.s3;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.ProvidesIntoMap;
import com.google.inject.multibindings.StringMapKey;
import java.util.Map;
import org.cropcast.tracking.ArtifactStore;
import org.cropcast.tracking.Storage;
import org.cropcast.tracking.StorageArtifactStore;

/**
 * Guice wiring of the S3 adapter: the {@code s3} entries of the by-scheme maps the composition
 * root switches over, {@code Map<String, Storage>} ({@link S3Storage}) and
 * {@code Map<String, ArtifactStore>} (core's {@link StorageArtifactStore} over that storage, with
 * server-side copies). Binds only this adapter's classes. The environment (normally
 * {@code System.getenv()}) is passed in, never read here.
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

    @ProvidesIntoMap
    @StringMapKey(S3Storage.SCHEME)
    Storage s3StorageByScheme(S3Storage storage) {
        return storage;
    }

    @ProvidesIntoMap
    @StringMapKey(S3Storage.SCHEME)
    @Singleton
    ArtifactStore s3ArtifactStoreByScheme(S3Storage storage) {
        return new StorageArtifactStore(storage);
    }
}
