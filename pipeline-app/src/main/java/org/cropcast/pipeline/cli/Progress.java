package org.cropcast.pipeline.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;
import org.cropcast.pipeline.runs.ProcessContext;
import org.cropcast.pipeline.stages.ProgressListener;

/**
 * Progress of a stage on the error writer: a progress bar per task (one step per fold) on a
 * terminal, plain lines otherwise (CI logs), nothing with {@code --no-progress} or {@code --quiet}.
 * The bar writes through the error writer with a carriage return, never to System.err directly,
 * and is only used on a terminal: written to a file it would be one long line of redraws.
 */
public final class Progress {
    private Progress() {}

    public static ProgressListener choose(ProcessContext context, PrintWriter err, boolean disabled) {
        if (disabled) {
            return ProgressListener.NONE;
        }
        return context.terminal() ? new Bar(err) : new Lines(err, context.clock());
    }

    /** Plain lines: "hindcast: fold 3/21 (test year 2003)". */
    static final class Lines implements ProgressListener {
        private final PrintWriter err;
        private final Clock clock;
        private String task = "";
        private int total;
        private int done;
        private long started;

        Lines(PrintWriter err, Clock clock) {
            this.err = err;
            this.clock = clock;
        }

        @Override
        public synchronized void start(String task, int totalSteps) {
            this.task = task;
            this.total = totalSteps;
            this.done = 0;
            this.started = clock.millis();
            err.println(task + ": " + totalSteps + " steps");
            err.flush();
        }

        @Override
        public synchronized void step(String message) {
            done++;
            err.println(task + ": [" + done + "/" + total + "] " + message);
            err.flush();
        }

        @Override
        public synchronized void finish() {
            err.println(task + ": done in " + String.format(Locale.ROOT, "%.1fs", (clock.millis() - started) / 1000.0));
            err.flush();
        }
    }

    /** A me.tongfei progress bar redrawn in place on the terminal. */
    static final class Bar implements ProgressListener {
        private final PrintWriter err;
        private ProgressBar bar;

        Bar(PrintWriter err) {
            this.err = err;
        }

        @Override
        public synchronized void start(String task, int totalSteps) {
            finish();
            bar = new ProgressBarBuilder()
                    .setTaskName(task)
                    .setInitialMax(totalSteps)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(200)
                    .setConsumer(new WriterConsumer(err))
                    .build();
        }

        @Override
        public synchronized void step(String message) {
            if (bar != null) {
                bar.setExtraMessage(message);
                bar.step();
            }
        }

        @Override
        public synchronized void finish() {
            if (bar != null) {
                bar.close(); // renders the final state
                bar = null;
                err.println();
                err.flush();
            }
        }
    }

    /** Redraws the bar's line on a writer: carriage return, the line, flush. */
    static final class WriterConsumer implements ProgressBarConsumer {
        private final PrintWriter err;

        WriterConsumer(PrintWriter err) {
            this.err = err;
        }

        @Override
        public int getMaxRenderedLength() {
            return 100;
        }

        @Override
        public void accept(String rendered) {
            err.print('\r');
            err.print(rendered);
            err.flush();
        }

        @Override
        public void close() {
            err.flush(); // the bar's owner ends the line
        }
    }
}
