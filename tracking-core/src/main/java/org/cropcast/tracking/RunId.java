package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * A run's id. Runs created by cropcast get MLflow's form, 32 lower-case hex characters
 * ({@link #random}); ids read from a backend are accepted as they are if they are made of
 * letters, digits, '-' and '_' (MLflow servers may use other forms).
 */
public record RunId(String value) {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1,256}");

    public RunId {
        requireNonNull(value, "value is null");
        if (!VALID.matcher(value).matches()) {
            throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT,
                    "invalid run id '" + Redactor.truncateForMessage(value) + "': expected letters, digits, '-' or '_'");
        }
    }

    public static RunId of(String value) {
        return new RunId(value);
    }

    /** A new MLflow-style id (UUID4 hex) drawn from the given generator. */
    public static RunId random(java.util.random.RandomGenerator random) {
        long hi = random.nextLong();
        long lo = random.nextLong();
        // UUID version 4, IETF variant, as uuid.uuid4().hex produces
        hi = (hi & 0xffffffffffff0fffL) | 0x0000000000004000L;
        lo = (lo & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new RunId(String.format("%016x%016x", hi, lo));
    }

    @Override
    public String toString() {
        return value;
    }
}
