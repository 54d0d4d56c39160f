package org.cropcast.tracking.sync;

import static java.util.Objects.requireNonNull;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.cropcast.tracking.sync.RunSyncResult.Outcome;

/**
 * The result of a sync: one entry per run, in the order synced (parents first).
 *
 * @param source the source's URI, credentials masked
 * @param destination the destination's URI, credentials masked
 */
public record SyncReport(String source, String destination, boolean dryRun, List<RunSyncResult> runs) {
    public SyncReport {
        requireNonNull(source, "source is null");
        requireNonNull(destination, "destination is null");
        runs = List.copyOf(requireNonNull(runs, "runs is null"));
    }

    /** Runs per outcome, every outcome present. */
    public Map<Outcome, Integer> counts() {
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        for (Outcome outcome : Outcome.values()) {
            counts.put(outcome, 0);
        }
        runs.forEach(run -> counts.merge(run.outcome(), 1, Integer::sum));
        return counts;
    }

    public long metricPoints() {
        return runs.stream().mapToLong(RunSyncResult::metricPoints).sum();
    }

    public long artifactBytes() {
        return runs.stream().mapToLong(RunSyncResult::artifactBytes).sum();
    }

    public int artifactFiles() {
        return runs.stream().mapToInt(RunSyncResult::artifactFiles).sum();
    }

    public int datasets() {
        return runs.stream().mapToInt(RunSyncResult::datasets).sum();
    }

    public int models() {
        return runs.stream().mapToInt(RunSyncResult::models).sum();
    }

    public int modelVersions() {
        return runs.stream().mapToInt(RunSyncResult::modelVersions).sum();
    }

    public long staleRuns() {
        return runs.stream().filter(RunSyncResult::stale).count();
    }

    /** True if no run failed and no param conflicted. */
    public boolean succeeded() {
        return runs.stream().noneMatch(run -> run.outcome() == Outcome.FAILED || run.outcome() == Outcome.CONFLICT);
    }
}
