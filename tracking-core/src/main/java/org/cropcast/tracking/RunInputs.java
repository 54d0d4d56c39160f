package org.cropcast.tracking;

import java.util.List;

/** What a run used: its datasets (with input tags) and the logged models it read (MLflow's {@code model_inputs}). */
public record RunInputs(List<DatasetInput> datasets, List<ModelId> models) {
    public RunInputs {
        datasets = List.copyOf(datasets);
        models = List.copyOf(models);
    }
}
