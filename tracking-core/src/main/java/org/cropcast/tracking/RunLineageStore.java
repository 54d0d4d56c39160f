package org.cropcast.tracking;

import java.util.List;

/**
 * The inputs and outputs of runs, as MLflow 3 records them (pinned by {@code AbstractModelStoreContractTest}):
 * <ul>
 *   <li>{@link #logInputs}: datasets used by the run, each stored once per experiment by (name, digest)
 *       and linked to the run once (a repeat within a call or across calls is ignored, its tags too), and
 *       logged models the run read ({@code RUN_INPUT -> MODEL_INPUT}), each linked once;</li>
 *   <li>{@link #logOutputs}: logged models the run produced ({@code RUN_OUTPUT -> MODEL_OUTPUT});</li>
 *   <li>the run must exist and be active ({@link TrackingErrorCode#RUN_NOT_FOUND},
 *       {@link TrackingErrorCode#INVALID_RUN_STATE}); a call writes all or nothing.</li>
 * </ul>
 */
public interface RunLineageStore {
    void logInputs(RunId runId, List<DatasetInput> datasets, List<ModelId> models);

    void logOutputs(RunId runId, List<ModelOutput> models);

    RunInputs getRunInputs(RunId runId);

    List<ModelOutput> getRunOutputs(RunId runId);

    /** The datasets recorded in an experiment, by name then digest. */
    List<Dataset> listDatasets(ExperimentId experimentId);
}
