package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

/** A run: its info and its data. */
public record Run(RunInfo info, RunData data) {
    public Run {
        requireNonNull(info, "info is null");
        requireNonNull(data, "data is null");
    }

    public RunId id() {
        return info.runId();
    }
}
