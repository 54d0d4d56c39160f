package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link Storage} that hands each location to the storage registered for its scheme
 * ({@code file}, {@code memory}, {@code s3}, ...). An unknown scheme is
 * {@link TrackingErrorCode#UNKNOWN_SCHEME} with the known schemes listed. Copies between two
 * schemes served by different storages stream through this process.
 */
public final class SwitchingStorage implements Storage {
    private final Map<String, Storage> byScheme;

    public SwitchingStorage(Map<String, ? extends Storage> byScheme) {
        this.byScheme = Map.copyOf(requireNonNull(byScheme, "byScheme is null"));
    }

    /** The local file system and an in-memory store: the two storages core itself provides. */
    public static SwitchingStorage localAndMemory(MemoryStorage memory) {
        return new SwitchingStorage(Map.of(LocalStorage.SCHEME, new LocalStorage(), MemoryStorage.SCHEME, memory));
    }

    public Storage forLocation(Location location) {
        Storage storage = byScheme.get(location.scheme());
        if (storage == null) {
            throw new CropcastException(TrackingErrorCode.UNKNOWN_SCHEME,
                    "no storage serves '" + location.scheme() + "' locations (" + location + "); known schemes: "
                            + new TreeMap<>(byScheme).keySet());
        }
        return storage;
    }

    @Override
    public boolean supports(Location location) {
        return byScheme.containsKey(location.scheme());
    }

    @Override
    public boolean exists(Location location) {
        return forLocation(location).exists(location);
    }

    @Override
    public InputStream newInputStream(Location location) {
        return forLocation(location).newInputStream(location);
    }

    @Override
    public void write(Location location, Writer writer) {
        forLocation(location).write(location, writer);
    }

    @Override
    public boolean createIfAbsent(Location location, byte[] content) {
        return forLocation(location).createIfAbsent(location, content);
    }

    @Override
    public List<FileEntry> list(Location prefix) {
        return forLocation(prefix).list(prefix);
    }

    @Override
    public void copy(Location source, Location target) {
        Storage from = forLocation(source);
        if (from == forLocation(target)) {
            from.copy(source, target);
        } else {
            Storage.super.copy(source, target);
        }
    }

    @Override
    public boolean copiesServerSide(Location source, Location target) {
        Storage from = byScheme.get(source.scheme());
        return from != null && from == byScheme.get(target.scheme()) && from.copiesServerSide(source, target);
    }

    @Override
    public void delete(Location location) {
        forLocation(location).delete(location);
    }

    @Override
    public int discardIncompleteWrites(Location prefix) {
        return forLocation(prefix).discardIncompleteWrites(prefix);
    }

    @Override
    public StagedPath stage(Location location) {
        return forLocation(location).stage(location);
    }
}
