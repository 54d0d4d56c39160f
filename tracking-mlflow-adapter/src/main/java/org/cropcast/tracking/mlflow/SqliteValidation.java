package org.cropcast.tracking.mlflow;

import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.Redactor;
import org.cropcast.tracking.TrackingErrorCode;

/**
 * The SQLite store's own checks and message helpers; MLflow's key and value limits are core's
 * {@link org.cropcast.tracking.TrackingLimits}, shared by every store.
 */
final class SqliteValidation {
    private SqliteValidation() {}

    /** MLflow refuses negative timestamps ({@code _validate_metric}); the same holds for run times here. */
    static void timestamp(String what, long millis) {
        if (millis < 0) {
            throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT,
                    what + " must be a nonnegative number of milliseconds, got " + millis);
        }
    }

    /** Text quoted in a one-line message, credentials masked. */
    static String quote(String text) {
        return Redactor.truncateForMessage(Redactor.redact(text));
    }
}
