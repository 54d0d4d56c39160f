package org.cropcast.pipeline.errors;

import static org.cropcast.tracking.ErrorCategory.EXTERNAL_SYSTEM;
import static org.cropcast.tracking.ErrorCategory.INTERNAL;
import static org.cropcast.tracking.ErrorCategory.USER_INPUT;

import org.cropcast.tracking.ErrorCategory;
import org.cropcast.tracking.ErrorCode;

/** The command line's and configuration's error codes (range 3000-3499; the stages use 3500-3999). */
public enum AppErrorCode implements ErrorCode {
    CONFIG_NOT_FOUND(3000, USER_INPUT),
    CONFIG_UNREADABLE(3001, USER_INPUT),
    CONFIG_SYNTAX(3002, USER_INPUT),
    CONFIG_UNKNOWN_KEY(3003, USER_INPUT),
    CONFIG_WRONG_TYPE(3004, USER_INPUT),
    CONFIG_MISSING_KEY(3005, USER_INPUT),
    CONFIG_INVALID_VALUE(3006, USER_INPUT),
    INVALID_OVERRIDE(3007, USER_INPUT),
    RUN_DIRECTORY_NOT_FOUND(3010, USER_INPUT),
    RUN_DIRECTORY_MISMATCH(3011, USER_INPUT),
    RUN_DIRECTORY_INVALID(3012, USER_INPUT),
    /** Another process works in the run directory (holds its lock): a passing condition, not bad input. */
    RUN_DIRECTORY_BUSY(3013, EXTERNAL_SYSTEM),
    INVALID_ARGUMENT(3020, USER_INPUT),
    TRACKING_STORE_NOT_FOUND(3021, USER_INPUT),
    INVALID_ENVIRONMENT_VARIABLE(3022, USER_INPUT),
    INTERRUPTED(3030, USER_INPUT),
    /** Some children of a sweep did not finish; the others ran, the parent is FAILED. */
    SWEEP_CHILDREN_FAILED(3040, EXTERNAL_SYSTEM),
    /** The JVM ran out of heap: the process's limit, or a bug; exit 1 either way. */
    OUT_OF_MEMORY(3498, INTERNAL),
    INTERNAL_ERROR(3499, INTERNAL);

    private final int number;
    private final ErrorCategory category;

    AppErrorCode(int number, ErrorCategory category) {
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
