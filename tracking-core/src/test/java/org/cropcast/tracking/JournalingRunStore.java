package org.cropcast.tracking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A run store for child-process tests: delegates to a {@link MemoryRunStore} and appends each run
 * creation, reopen and end to a journal file (synced), so the parent can read what the child
 * recorded after the child has exited.
 */
final class JournalingRunStore extends ForwardingRunStore {
    private final Path journal;

    JournalingRunStore(RunStore delegate, Path journal) {
        super(delegate);
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
}
