package org.cropcast.tracking;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A {@link Storage} for {@code memory://bucket/key} locations, held in this object. Behaves as an
 * object store (flat keys, prefixes as directories, staging copies), so code paths meant for S3
 * are exercised without one. Copies between its own locations count as server-side. Thread-safe.
 */
public final class MemoryStorage implements Storage {
    public static final String SCHEME = "memory";

    private final ConcurrentSkipListMap<String, byte[]> objects = new ConcurrentSkipListMap<>();

    @Override
    public boolean supports(Location location) {
        return location.scheme().equals(SCHEME);
    }

    @Override
    public boolean exists(Location location) {
        return objects.containsKey(name(location));
    }

    @Override
    public InputStream newInputStream(Location location) {
        byte[] bytes = objects.get(name(location));
        if (bytes == null) {
            throw new CropcastException(TrackingErrorCode.LOCATION_NOT_FOUND, location + " does not exist");
        }
        return new ByteArrayInputStream(bytes);
    }

    @Override
    public void write(Location location, Writer writer) {
        String name = fileName(location);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PendingFile.write(location, PendingFile.of(buffer, () -> objects.put(name, buffer.toByteArray()), buffer::reset), writer);
    }

    @Override
    public boolean createIfAbsent(Location location, byte[] content) {
        return objects.putIfAbsent(fileName(location), content.clone()) == null;
    }

    @Override
    public List<FileEntry> list(Location prefix) {
        String name = name(prefix);
        String start = name.endsWith("/") ? name : name + "/";
        Map<String, byte[]> under = objects.subMap(start, true, start + Character.MAX_VALUE, false);
        return under.entrySet().stream()
                .map(e -> new FileEntry(location(prefix.scheme(), e.getKey()), e.getValue().length))
                .toList();
    }

    @Override
    public void copy(Location source, Location target) {
        if (!supports(target)) {
            Storage.super.copy(source, target);
            return;
        }
        byte[] bytes = objects.get(name(source));
        if (bytes == null) {
            throw new CropcastException(TrackingErrorCode.LOCATION_NOT_FOUND, source + " does not exist");
        }
        objects.put(fileName(target), bytes);
    }

    @Override
    public boolean copiesServerSide(Location source, Location target) {
        return supports(source) && supports(target);
    }

    @Override
    public void delete(Location location) {
        objects.remove(name(location));
    }

    @Override
    public StagedPath stage(Location location) {
        return ObjectStaging.stage(this, location);
    }

    /** The object name for a file, refusing a bucket root or a prefix. */
    private String fileName(Location location) {
        String name = name(location);
        if (location.key().isEmpty() || location.key().endsWith("/")) {
            throw new CropcastException(TrackingErrorCode.INVALID_LOCATION, "cannot write a file at " + location + ": it names a prefix");
        }
        return name;
    }

    private String name(Location location) {
        if (!supports(location)) {
            throw new CropcastException(TrackingErrorCode.UNKNOWN_SCHEME,
                    "MemoryStorage serves " + SCHEME + ":// locations, not " + location);
        }
        return location.bucket() + "/" + location.key();
    }

    private static Location location(String scheme, String name) {
        int slash = name.indexOf('/');
        return new Location(scheme, name.substring(0, slash), name.substring(slash + 1));
    }
}
