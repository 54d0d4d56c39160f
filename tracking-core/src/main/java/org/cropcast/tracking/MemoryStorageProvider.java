package org.cropcast.tracking;

import java.util.Set;

/**
 * Registers {@code memory://} locations ({@link MemoryStorage}) with {@link Tracking}: the
 * artifact roots of {@code memory:} tracking URIs. The bytes live as long as the {@link Tracking}.
 */
public final class MemoryStorageProvider implements StorageProvider {
    @Override
    public Set<String> schemes() {
        return Set.of(MemoryStorage.SCHEME);
    }

    @Override
    public Storage create(TrackingContext context) {
        return new MemoryStorage();
    }
}
