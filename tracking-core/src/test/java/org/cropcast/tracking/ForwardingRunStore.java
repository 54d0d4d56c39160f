package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/** A run store that forwards every call to another; tests override the calls they watch or break. */
public abstract class ForwardingRunStore implements RunStore {
    protected final RunStore delegate;

    protected ForwardingRunStore(RunStore delegate) {
        this.delegate = requireNonNull(delegate, "delegate is null");
    }

    @Override
    public Experiment getOrCreateExperiment(String name) {
        return delegate.getOrCreateExperiment(name);
    }

    @Override
    public Optional<Experiment> findExperiment(String name) {
        return delegate.findExperiment(name);
    }

    @Override
    public Optional<Experiment> getExperiment(ExperimentId id) {
        return delegate.getExperiment(id);
    }

    @Override
    public List<Experiment> listExperiments() {
        return delegate.listExperiments();
    }

    @Override
    public RunInfo createRun(CreateRunRequest request) {
        return delegate.createRun(request);
    }

    @Override
    public RunInfo reopenRun(RunId runId) {
        return delegate.reopenRun(runId);
    }

    @Override
    public void logBatch(RunId runId, List<Metric> metrics, List<Param> params, List<Tag> tags) {
        delegate.logBatch(runId, metrics, params, tags);
    }

    @Override
    public void endRun(RunId runId, RunStatus status, long endTimeMillis) {
        delegate.endRun(runId, status, endTimeMillis);
    }

    @Override
    public Optional<Run> getRun(RunId runId) {
        return delegate.getRun(runId);
    }

    @Override
    public List<Metric> getMetricHistory(RunId runId, String key) {
        return delegate.getMetricHistory(runId, key);
    }

    @Override
    public SortedMap<String, List<Metric>> getMetricHistories(RunId runId) {
        return delegate.getMetricHistories(runId);
    }

    @Override
    public List<Run> searchRuns(RunSearch search) {
        return delegate.searchRuns(search);
    }

    @Override
    public void deleteRun(RunId runId) {
        delegate.deleteRun(runId);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
