package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

/** An experiment as the backend records it. */
public record Experiment(ExperimentId id, String name, String artifactLocation, LifecycleStage lifecycleStage) {
    public Experiment {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(artifactLocation, "artifactLocation is null");
        requireNonNull(lifecycleStage, "lifecycleStage is null");
    }
}
