package org.cropcast.tracking;

import static org.cropcast.tracking.ErrorCategory.EXTERNAL_SYSTEM;
import static org.cropcast.tracking.ErrorCategory.INTERNAL;
import static org.cropcast.tracking.ErrorCategory.USER_INPUT;

/** The error codes of the tracking layer's core (range 0-999). */
public enum TrackingErrorCode implements ErrorCode {
    INVALID_ARGUMENT(1, USER_INPUT),
    INVALID_KEY(2, USER_INPUT),
    VALUE_TOO_LONG(3, USER_INPUT),
    PARAM_CONFLICT(4, USER_INPUT),
    INVALID_URI(5, USER_INPUT),
    UNKNOWN_SCHEME(6, USER_INPUT),
    INVALID_ARTIFACT_PATH(7, USER_INPUT),
    RUN_NOT_FOUND(8, USER_INPUT),
    EXPERIMENT_NOT_FOUND(9, USER_INPUT),
    INVALID_RUN_STATE(10, USER_INPUT),
    LOCATION_NOT_FOUND(11, USER_INPUT),
    INVALID_LOCATION(12, USER_INPUT),
    INVALID_RUN_DIRECTORY(13, USER_INPUT),
    /** A search filter or order-by that is not MLflow's grammar; the message names the position. */
    INVALID_FILTER(14, USER_INPUT),
    /** A resume whose resolved configuration differs from the one the run was started with. */
    CONFIG_CHANGED(15, USER_INPUT),
    STORAGE_FAILURE(100, EXTERNAL_SYSTEM),
    TRACKING_BACKEND_FAILURE(101, EXTERNAL_SYSTEM),
    ACCESS_DENIED(102, EXTERNAL_SYSTEM),
    /** The storage cannot create a file only-if-absent atomically ({@link Storage#createIfAbsent}). */
    ATOMIC_CREATE_UNSUPPORTED(103, EXTERNAL_SYSTEM),
    /**
     * A failed run could not be marked FAILED (the store refused the final write: full, locked,
     * gone); attached as suppressed to the run's failure, so that what is printed says so.
     */
    RUN_NOT_ENDED(104, EXTERNAL_SYSTEM),
    INTERNAL_ERROR(900, INTERNAL);

    private final int number;
    private final ErrorCategory category;

    TrackingErrorCode(int number, ErrorCategory category) {
        this.number = number;
        this.category = category;
    }

    @Override
    public int number() {
        return number;
    }

    @Override
    public ErrorCategory category() {
        return category;
    }
}
