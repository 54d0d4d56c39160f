package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

/**
 * One metric value. NaN and the infinities are legal values (MLflow stores them); the
 * timestamp is in milliseconds since the epoch, the step is any long (0 when not given).
 */
public record Metric(String key, double value, long timestampMillis, long step) {
    public Metric {
        requireNonNull(key, "key is null");
    }
}
