package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.util.HexFormat;

/**
 * A run's id. Runs created by cropcast get MLflow's form, 32 lower-case hex characters
 * ({@link #random}); ids read from a backend are accepted as they are if they are made of
 * letters, digits, '-' and '_' (MLflow servers may use other forms).
 */
public record RunId(String value) {
    private static final int MAX_LENGTH = 256;
    private static final HexFormat HEX = HexFormat.of();

    public RunId {
        requireNonNull(value, "value is null");
        if (!valid(value)) {
            throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT,
                    "invalid run id '" + Redactor.truncateForMessage(value) + "': expected letters, digits, '-' or '_'");
        }
    }

    /** 1 to 256 of [A-Za-z0-9_-] (a loop rather than a regular expression: every run read is checked). */
    private static boolean valid(String value) {
        int length = value.length();
        if (length == 0 || length > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
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
        return new RunId(HEX.toHexDigits(hi) + HEX.toHexDigits(lo));
    }

    @Override
    public String toString() {
        return value;
    }
}
