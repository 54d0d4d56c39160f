package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

/** An experiment's id as the backend gives it (MLflow uses decimal strings; {@code "0"} is Default). */
public record ExperimentId(String value) {
    public ExperimentId {
        requireNonNull(value, "value is null");
        if (value.isBlank()) {
            throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT, "experiment id is blank");
        }
    }

    public static ExperimentId of(String value) {
        return new ExperimentId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
