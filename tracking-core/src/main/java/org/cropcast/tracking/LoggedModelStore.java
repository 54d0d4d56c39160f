package org.cropcast.tracking;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * MLflow 3's logged models. Semantics (pinned by {@code AbstractModelStoreContractTest}):
 * <ul>
 *   <li>{@link #createLoggedModel} makes a PENDING model of an active experiment, id
 *       {@code m-<32 hex>}, artifact location {@code <experiment artifact location>/models/<id>/artifacts};</li>
 *   <li>{@link #finalizeLoggedModel} sets READY or FAILED once; finalizing again with the same status is a
 *       no-op, with another status {@link ModelErrorCode#INVALID_MODEL_STATE};</li>
 *   <li>{@link #logModelMetrics} records the metrics as the run's metrics (as {@link RunStore#logBatch}) and
 *       links them to the model and, optionally, to the dataset they were computed on;</li>
 *   <li>unknown model ids are {@link ModelErrorCode#MODEL_NOT_FOUND}; absence in reads is {@link Optional#empty()}.</li>
 * </ul>
 */
public interface LoggedModelStore {
    LoggedModel createLoggedModel(LoggedModelRequest request);

    /** Sets the final status (READY when every file is in place, FAILED otherwise) and returns the model. */
    LoggedModel finalizeLoggedModel(ModelId modelId, LoggedModelStatus status);

    /** Sets (replaces) tags on the model. */
    void setLoggedModelTags(ModelId modelId, Map<String, String> tags);

    /** Deletes a tag of the model; a tag that is not there is no error. */
    void deleteLoggedModelTag(ModelId modelId, String key);

    /**
     * Logs metrics of a run computed for the model: they become the run's metrics too. With a
     * dataset, each metric names its name and digest (MLflow's {@code dataset_name}/{@code dataset_digest}).
     */
    void logModelMetrics(RunId runId, ModelId modelId, List<Metric> metrics, Optional<Dataset> dataset);

    Optional<LoggedModel> getLoggedModel(ModelId modelId);

    /** The active logged models of an experiment, newest first. */
    List<LoggedModel> searchLoggedModels(ExperimentId experimentId);
}
