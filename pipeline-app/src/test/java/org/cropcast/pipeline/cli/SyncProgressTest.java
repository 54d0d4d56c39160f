package org.cropcast.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.cropcast.pipeline.runs.ProcessContext;
import org.cropcast.tracking.CreateRunRequest;
import org.cropcast.tracking.MemoryRunStore;
import org.cropcast.tracking.Run;
import org.cropcast.tracking.sync.RunSyncResult;
import org.cropcast.tracking.sync.SyncListener;
import org.junit.jupiter.api.Test;

/** The terminal's bars of {@code runs sync}: one over the runs, one over the bytes, one per run being synced. */
class SyncProgressTest {
    private final StringWriter err = new StringWriter();
    private final MemoryRunStore store = new MemoryRunStore(Clock.systemUTC(), new SplittableRandom(1));

    private Run run(String name) {
        var experiment = store.getOrCreateExperiment("e");
        return store.getRun(store.createRun(new CreateRunRequest(experiment.id(), name, "u", 1, List.of())).runId()).orElseThrow();
    }

    private static RunSyncResult finished(Run run, long points, long bytes) {
        return new RunSyncResult(run.id(), "e", run.info().runName(), RunSyncResult.Outcome.CREATED, Optional.of(run.id()), points, 0, 0,
                1, bytes, 0, 0, 0, 0, false, false, List.of());
    }

    @Test
    void barsPerRunAndForBytesUnderTheFinishedRunsLines() {
        ProcessContext context = new ProcessContext(new PrintWriter(new StringWriter()), new PrintWriter(err), Map.of(), Clock.systemUTC(),
                new SplittableRandom(1), true, false, "tester");
        SyncListener bar = SyncProgress.choose(context, new PrintWriter(err, true), false);
        assertThat(bar).isInstanceOf(SyncProgress.Bar.class);
        Run fold1 = run("fold-1");
        Run fold2 = run("fold-2");
        bar.planned(2);
        bar.runStarted(0, fold1);
        bar.runStarted(1, fold2);
        bar.runPlanned(fold1.id(), 1_000, 1, 3 << 20);
        bar.runPlanned(fold2.id(), 10, 0, 0);
        bar.metricPoints(fold1.id(), 1_000);
        bar.bytes(fold1.id(), 1 << 20);
        bar.metricPoints(fold2.id(), 10);
        bar.runFinished(finished(fold2, 10, 0));
        bar.bytes(fold1.id(), 2 << 20);
        bar.runFinished(finished(fold1, 1_000, 3 << 20));

        String text = err.toString();
        // each bar renders its final state when it closes (intermediate states only every 200 ms)
        assertThat(text).contains("fold-1 ", "fold-2 ", "runs ", "bytes ", " MiB", "3.0 MiB / 3.0 MiB", "0 B / 0 B");
        assertThat(text).contains("\u001b[2K", "\u001b[").as("redrawn in place");
        // the finished runs stay as lines above the bars, in the order they finished
        assertThat(text.indexOf("sync: [1/2] fold-2")).isPositive().isLessThan(text.indexOf("sync: [2/2] fold-1"));
        // the last drawing: the runs and bytes bars complete, no run bar left
        String last = text.substring(text.lastIndexOf("sync: [2/2] fold-1"));
        assertThat(last).contains("runs 100%", "2/2").doesNotContain("fold-2 ");
    }
}
