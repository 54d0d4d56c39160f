package org.cropcast.tracking;

/**
 * An immutable error code. Core's codes are in {@link TrackingErrorCode}; each adapter module
 * declares its own enum in its own number range (core 0-999, MLflow adapter 1000-1999,
 * S3 adapter 2000-2999, pipeline app 3000-3999).
 */
public interface ErrorCode {
    /** A stable, upper-case name such as {@code PARAM_CONFLICT}. */
    String name();

    /** A stable number, unique across cropcast. */
    int number();

    ErrorCategory category();
}
