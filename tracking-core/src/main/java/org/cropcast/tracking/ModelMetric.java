package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A metric linked to a logged model (MLflow's {@code logged_model_metrics} row): logged by a run,
 * optionally on a dataset named by name and digest (the dataset the metric was computed on).
 */
public record ModelMetric(String key, double value, long timestampMillis, long step, RunId runId,
        Optional<String> datasetName, Optional<String> datasetDigest) {
    public ModelMetric {
        requireNonNull(key, "key is null");
        requireNonNull(runId, "runId is null");
        requireNonNull(datasetName, "datasetName is null");
        requireNonNull(datasetDigest, "datasetDigest is null");
        if (datasetDigest.isPresent() && datasetName.isEmpty()) {
            throw new CropcastException(ModelErrorCode.INVALID_MODEL_ARGUMENT,
                    "metric '" + key + "' names a dataset digest but no dataset name");
        }
    }
}
