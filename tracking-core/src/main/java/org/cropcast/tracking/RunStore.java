package org.cropcast.tracking;

import java.util.List;
import java.util.Optional;

/**
 * Where runs are recorded: an MLflow tracking backend (the embedded SQLite store, an MLflow
 * tracking server, or memory). Implementations are named {@code <Technology>RunStore}.
 *
 * <p>Semantics are MLflow's, and the contract suite {@code AbstractRunStoreContractTest} in core's
 * test-jar pins them for every implementation:
 * <ul>
 *   <li>keys: at most 250 characters of letters, digits, '_', '-', '.', ' ', '/'; no '..' segment,
 *       not absolute ({@link TrackingLimits});</li>
 *   <li>values: params at most 6000 characters, tags 8000; longer values fail with
 *       {@link TrackingErrorCode#VALUE_TOO_LONG} (never truncated);</li>
 *   <li>params are write-once: logging the same value again is a no-op, a different value fails
 *       with {@link TrackingErrorCode#PARAM_CONFLICT} <em>before anything of the batch is written</em>;</li>
 *   <li>a batch is written all or nothing; exact duplicate metric rows are ignored;</li>
 *   <li>NaN and infinite metric values are kept;</li>
 *   <li>absence is {@link Optional#empty()}; failures are {@link CropcastException}s.</li>
 * </ul>
 * Implementations are safe for use by several threads, and, where the backend is shared, by
 * several processes at once.
 */
public interface RunStore extends AutoCloseable {
    /**
     * Returns the active experiment with this name, creating it if it does not exist. Safe when
     * several processes call it with the same name at the same moment: all get the same id.
     */
    Experiment getOrCreateExperiment(String name);

    /** The experiment with this name, active or deleted. */
    Optional<Experiment> findExperiment(String name);

    Optional<Experiment> getExperiment(ExperimentId id);

    /** All active experiments, by id. */
    List<Experiment> listExperiments();

    /** Creates a RUNNING run and returns it. */
    RunInfo createRun(CreateRunRequest request);

    /**
     * Resumes an existing run: status back to RUNNING; the previous end time is kept until the run
     * ends again, as MLflow's {@code start_run(run_id=...)} does (an MLflow server cannot clear it). Fails with
     * {@link TrackingErrorCode#RUN_NOT_FOUND} for an unknown run and
     * {@link TrackingErrorCode#INVALID_RUN_STATE} for a deleted one.
     */
    RunInfo reopenRun(RunId runId);

    /**
     * Logs metrics, params and tags in one batch (MLflow's {@code log_batch}). Implementations
     * split batches as their backend's limits require; the whole call either succeeds or throws.
     */
    void logBatch(RunId runId, List<Metric> metrics, List<Param> params, List<Tag> tags);

    /** Ends a run with a terminal status at the given time. */
    void endRun(RunId runId, RunStatus status, long endTimeMillis);

    Optional<Run> getRun(RunId runId);

    /** Every value logged for one metric key, ordered by step, then timestamp. */
    List<Metric> getMetricHistory(RunId runId, String key);

    /** Active runs of one experiment, newest first. */
    List<Run> searchRuns(RunSearch search);

    /** Marks a run deleted (lifecycle stage), as MLflow's {@code delete_run}. */
    void deleteRun(RunId runId);

    /**
     * The full history of every metric key the run has, by key (keys in order), each ordered as
     * {@link #getMetricHistory}. Used to copy a run whole ({@code RunSync}). The default asks
     * {@link #getMetricHistory} once per key of the run's latest metrics; stores that can read all
     * histories at once override it. {@link TrackingErrorCode#RUN_NOT_FOUND} for an unknown run.
     */
    default java.util.SortedMap<String, List<Metric>> getMetricHistories(RunId runId) {
        Run run = getRun(runId).orElseThrow(() -> RunStores.runNotFound(runId));
        java.util.SortedMap<String, List<Metric>> histories = new java.util.TreeMap<>();
        for (String key : run.data().latestMetrics().keySet()) {
            histories.put(key, getMetricHistory(runId, key));
        }
        return histories;
    }

    /**
     * How many rows each metric key's history of the run holds, by key (keys in order): what a sync
     * digests to tell whether a run changed without reading its histories. Metric histories only
     * grow (no port method deletes or rewrites a row, nor does MLflow), so a history whose size is
     * unchanged is unchanged. The default counts {@link #getMetricHistories}; stores that can count
     * without reading the rows override it. {@link TrackingErrorCode#RUN_NOT_FOUND} for an unknown run.
     */
    default java.util.SortedMap<String, Long> getMetricHistorySizes(RunId runId) {
        java.util.SortedMap<String, Long> sizes = new java.util.TreeMap<>();
        getMetricHistories(runId).forEach((key, history) -> sizes.put(key, (long) history.size()));
        return sizes;
    }

    @Override
    default void close() {}
}
