package org.cropcast.tracking;

/** Whether an invocation opens a new run or resumes the one recorded in the run directory. */
public enum RunMode {
    /** Create a new run and record it in {@code metadata_<stage>.yaml}. */
    CREATE,
    /** Reopen the run recorded in {@code metadata_<stage>.yaml} (every stage can resume). */
    RESUME
}
