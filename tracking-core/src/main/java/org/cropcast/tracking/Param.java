package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

/** A write-once run parameter. */
public record Param(String key, String value) {
    public Param {
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
    }
}
