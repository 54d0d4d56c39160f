package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

/** A run tag; later values replace earlier ones. */
public record Tag(String key, String value) {
    public Tag {
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
    }
}
