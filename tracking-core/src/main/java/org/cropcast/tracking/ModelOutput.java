package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

/** A logged model a run produced (MLflow's run output {@code RUN_OUTPUT -> MODEL_OUTPUT}), at a step. */
public record ModelOutput(ModelId modelId, long step) {
    public ModelOutput {
        requireNonNull(modelId, "modelId is null");
    }
}
