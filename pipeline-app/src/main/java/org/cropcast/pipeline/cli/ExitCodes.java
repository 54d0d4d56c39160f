package org.cropcast.pipeline.cli;

import org.cropcast.tracking.ErrorCategory;

/** The command line's exit codes. */
public final class ExitCodes {
    public static final int OK = 0;
    /** A bug or a broken invariant. */
    public static final int INTERNAL = 1;
    /** Bad input: usage, configuration, data, a run directory. */
    public static final int USER_INPUT = 2;
    /** An external system failed: tracking server, S3, a locked database. */
    public static final int EXTERNAL = 3;
    /** Interrupted by SIGINT or SIGTERM; the run was marked KILLED. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {}

    public static int of(ErrorCategory category) {
        return switch (category) {
            case USER_INPUT -> USER_INPUT;
            case EXTERNAL_SYSTEM -> EXTERNAL;
            case INTERNAL -> INTERNAL;
        };
    }
}
