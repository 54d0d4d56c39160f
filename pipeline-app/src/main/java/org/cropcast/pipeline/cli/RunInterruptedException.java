package org.cropcast.pipeline.cli;

import org.cropcast.pipeline.errors.AppErrorCode;
import org.cropcast.tracking.CropcastException;

/** The run was interrupted (SIGINT, SIGTERM or thread interruption) and ended KILLED: exit 130. */
public final class RunInterruptedException extends CropcastException {
    private static final long serialVersionUID = 1L;

    public RunInterruptedException(String message, Throwable cause) {
        super(AppErrorCode.INTERRUPTED, message, cause);
    }
}
