package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

/** A file found by {@link Storage#list}: its full location and size. */
public record FileEntry(Location location, long sizeBytes) {
    public FileEntry {
        requireNonNull(location, "location is null");
    }
}
