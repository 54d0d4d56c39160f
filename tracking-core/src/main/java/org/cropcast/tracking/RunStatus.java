package org.cropcast.tracking;

/** MLflow's run statuses. */
public enum RunStatus {
    RUNNING,
    SCHEDULED,
    FINISHED,
    FAILED,
    KILLED;

    /** True for the statuses a run can be ended with. */
    public boolean isTerminal() {
        return this == FINISHED || this == FAILED || this == KILLED;
    }
}
