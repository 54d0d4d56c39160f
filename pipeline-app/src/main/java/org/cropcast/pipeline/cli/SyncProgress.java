package org.cropcast.pipeline.cli;

import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.cropcast.pipeline.runs.ProcessContext;
import org.cropcast.tracking.Run;
import org.cropcast.tracking.sync.RunSyncResult;
import org.cropcast.tracking.sync.SyncListener;

/**
 * Progress of {@code runs sync} on the error writer: on a terminal a bar over the runs whose
 * message counts the metric points and bytes copied so far (the run being synced, then totals);
 * otherwise one plain line per run; nothing with {@code --no-progress}. Thread-safe (runs are synced
 * several at once).
 */
final class SyncProgress {
    private SyncProgress() {}

    static SyncListener choose(ProcessContext context, PrintWriter err, boolean disabled) {
        if (disabled) {
            return SyncListener.NONE;
        }
        return context.terminal() ? new Bar(err) : new Lines(err);
    }

    static String bytes(long count) {
        if (count < 1024) {
            return count + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = count;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** "sync: [3/40] fold-2 (0f3c...): created, 2,505 metric points, 1 file, 12.0 KiB". */
    static final class Lines implements SyncListener {
        private final PrintWriter err;
        private int total;
        private int done;

        Lines(PrintWriter err) {
            this.err = err;
        }

        @Override
        public synchronized void planned(int runs) {
            total = runs;
            err.println("sync: " + runs + " run" + (runs == 1 ? "" : "s"));
            err.flush();
        }

        @Override
        public synchronized void runFinished(RunSyncResult r) {
            done++;
            err.println("sync: [" + done + "/" + total + "] " + r.runName() + " (" + r.sourceRunId() + "): "
                    + r.outcome().name().toLowerCase(Locale.ROOT) + ", " + String.format(Locale.ROOT, "%,d", r.metricPoints())
                    + " metric points, " + r.artifactFiles() + " file" + (r.artifactFiles() == 1 ? "" : "s") + ", " + SyncProgress.bytes(r.artifactBytes())
                    + (r.stale() ? ", stale" + (r.finalized() ? " (ended KILLED)" : "") : ""));
            r.problems().forEach(p -> err.println("sync:   " + p));
            err.flush();
        }
    }

    /** A me.tongfei progress bar over the runs, redrawn in place. */
    static final class Bar implements SyncListener {
        private final PrintWriter err;
        private ProgressBar bar;
        private long points;
        private long bytes;
        private String run = "";

        Bar(PrintWriter err) {
            this.err = err;
        }

        @Override
        public synchronized void planned(int runs) {
            bar = new ProgressBarBuilder().setTaskName("sync").setInitialMax(runs).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(200).setConsumer(new Progress.WriterConsumer(err)).build();
        }

        @Override
        public synchronized void runStarted(int index, Run source) {
            run = source.info().runName();
            message();
        }

        @Override
        public synchronized void metricPoints(long count) {
            points += count;
            message();
        }

        @Override
        public synchronized void bytes(long count) {
            bytes += count;
            message();
        }

        @Override
        public synchronized void runFinished(RunSyncResult result) {
            bar.step();
            if (bar.getCurrent() == bar.getMax()) {
                bar.close();
                err.println();
                err.flush();
            }
        }

        private void message() {
            bar.setExtraMessage(run + " | " + String.format(Locale.ROOT, "%,d", points) + " points, " + SyncProgress.bytes(bytes));
        }
    }
}
