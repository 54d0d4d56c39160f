package org.cropcast.tracking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * A run store for child-process tests: delegates to a {@link MemoryRunStore} and appends each run
 * creation, reopen and end to a journal file (synced), so the parent can read what the child
 * recorded after the child has exited.
 */
final class JournalingRunStore implements RunStore {
    private final RunStore delegate;
    private final Path journal;

    JournalingRunStore(RunStore delegate, Path journal) {
        this.delegate = delegate;
        this.journal = journal;
    }

    private synchronized void append(String line) {
        try {
            Files.writeString(journal, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        RunInfo info = delegate.createRun(request);
        append("CREATE " + info.runId() + " " + info.status());
        return info;
    }

    @Override
    public RunInfo reopenRun(RunId runId) {
        RunInfo info = delegate.reopenRun(runId);
        append("REOPEN " + runId + " " + info.status());
        return info;
    }

    @Override
    public void logBatch(RunId runId, List<Metric> metrics, List<Param> params, List<Tag> tags) {
        delegate.logBatch(runId, metrics, params, tags);
        for (Tag tag : tags) {
            if (tag.key().equals(RunTags.END_REASON) || tag.key().equals(RunTags.ERROR)) {
                append("TAG " + runId + " " + tag.key() + "=" + tag.value());
            }
        }
    }

    @Override
    public void endRun(RunId runId, RunStatus status, long endTimeMillis) {
        delegate.endRun(runId, status, endTimeMillis);
        append("END " + runId + " " + delegate.getRun(runId).orElseThrow().info().status());
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
    public List<Run> searchRuns(RunSearch search) {
        return delegate.searchRuns(search);
    }

    @Override
    public void deleteRun(RunId runId) {
        delegate.deleteRun(runId);
    }
}
