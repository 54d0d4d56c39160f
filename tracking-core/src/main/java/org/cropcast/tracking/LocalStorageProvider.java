package org.cropcast.tracking;

import java.util.Set;

/** Registers the local file system ({@code file:} locations and plain paths, {@link LocalStorage}) with {@link Tracking}. */
public final class LocalStorageProvider implements StorageProvider {
    @Override
    public Set<String> schemes() {
        return Set.of(LocalStorage.SCHEME);
    }

    @Override
    public Storage create(TrackingContext context) {
        return new LocalStorage();
    }
}
