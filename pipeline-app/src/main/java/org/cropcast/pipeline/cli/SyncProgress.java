package org.cropcast.pipeline.cli;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;
import org.cropcast.pipeline.runs.ProcessContext;
import org.cropcast.tracking.Run;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.sync.RunSyncResult;
import org.cropcast.tracking.sync.SyncListener;

/**
 * Progress of {@code runs sync} on the error writer: on a terminal progress bars (over the runs,
 * over the bytes, and one per run being synced) under a line per finished run; otherwise one plain
 * line per run; nothing with {@code --no-progress}. Thread-safe (runs are synced several at once).
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
            err.println("sync: [" + done + "/" + total + "] " + describe(r));
            r.problems().forEach(p -> err.println("sync:   " + p));
            err.flush();
        }
    }

    /** The finished run's plain line (as {@link Lines} prints it, without the counter). */
    static String describe(RunSyncResult r) {
        return r.runName() + " (" + r.sourceRunId() + "): " + r.outcome().name().toLowerCase(Locale.ROOT) + ", "
                + String.format(Locale.ROOT, "%,d", r.metricPoints()) + " metric points, " + r.artifactFiles() + " file"
                + (r.artifactFiles() == 1 ? "" : "s") + ", " + SyncProgress.bytes(r.artifactBytes())
                + (r.stale() ? ", stale" + (r.finalized() ? " (ended KILLED)" : "") : "");
    }

    /**
     * On a terminal: me.tongfei progress bars, one over the runs, one over the bytes (with the
     * speed), and one per run being synced (its metric points and files, with its bytes), redrawn
     * in place as a block under the lines of the runs already finished.
     */
    static final class Bar implements SyncListener {
        private static final int WIDTH = 100;
        private final Board board;
        private ProgressBar runs;
        private ProgressBar bytes;
        private final Map<RunId, ProgressBar> perRun = new HashMap<>();
        private final Map<RunId, Long> plannedBytes = new HashMap<>();
        private final Map<RunId, Long> copiedBytes = new HashMap<>();
        private final Map<RunId, String> names = new HashMap<>();
        private long bytesMax;
        private long points;
        private int total;
        private int done;

        Bar(PrintWriter err) {
            this.board = new Board(err);
        }

        private ProgressBar bar(String key, String task, long max, ProgressBarBuilder extra) {
            board.add(key);
            return extra.setTaskName(task).setInitialMax(max).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200)
                    .setMaxRenderedLength(WIDTH).setConsumer(board.consumer(key)).build();
        }

        @Override
        public synchronized void planned(int count) {
            total = count;
            runs = bar("runs", "runs", count, new ProgressBarBuilder());
            bytes = bar("bytes", "bytes", -1, new ProgressBarBuilder().setUnit(" MiB", 1 << 20).showSpeed());
        }

        @Override
        public synchronized void runStarted(int index, Run source) {
            names.put(source.id(), source.info().runName());
        }

        @Override
        public synchronized void runPlanned(RunId run, long metricPoints, int files, long planned) {
            String name = names.getOrDefault(run, run.value());
            perRun.put(run, bar(run.value(), name.length() > 24 ? name.substring(0, 23) + "~" : name, metricPoints + files,
                    new ProgressBarBuilder()));
            plannedBytes.put(run, planned);
            bytesMax += planned;
            bytes.maxHint(bytesMax);
            message(run);
        }

        @Override
        public synchronized void metricPoints(RunId run, long count) {
            points += count;
            Optional.ofNullable(perRun.get(run)).ifPresent(b -> b.stepBy(count));
            runs.setExtraMessage(String.format(Locale.ROOT, "%,d points", points));
        }

        @Override
        public synchronized void bytes(RunId run, long count) {
            bytes.stepBy(count);
            copiedBytes.merge(run, count, Long::sum);
            message(run);
        }

        private void message(RunId run) {
            ProgressBar b = perRun.get(run);
            if (b != null) {
                b.setExtraMessage(SyncProgress.bytes(copiedBytes.getOrDefault(run, 0L)) + " / "
                        + SyncProgress.bytes(plannedBytes.getOrDefault(run, 0L)));
            }
        }

        @Override
        public synchronized void runFinished(RunSyncResult result) {
            ProgressBar b = perRun.remove(result.sourceRunId());
            if (b != null) {
                b.stepTo(b.getMax());
                b.close();
                board.remove(result.sourceRunId().value());
            }
            done++;
            board.printAbove("sync: [" + done + "/" + total + "] " + describe(result));
            result.problems().forEach(p -> board.printAbove("sync:   " + p));
            runs.step();
            if (done == total) {
                if (bytesMax > 0) {
                    bytes.maxHint(Math.max(bytesMax, bytes.getCurrent()));
                }
                runs.close();
                bytes.close();
                board.finish();
            }
        }
    }

    /**
     * The block of bar lines at the bottom of the terminal: each bar's consumer replaces its line,
     * and the block is redrawn in place (ANSI cursor-up and erase-line), under the permanent lines.
     */
    static final class Board {
        private static final String CLEAR = "\r\u001b[2K";
        private final PrintWriter err;
        private final Map<String, String> lines = new LinkedHashMap<>();
        private int drawn;
        private boolean finished;

        Board(PrintWriter err) {
            this.err = err;
        }

        synchronized void add(String key) {
            lines.put(key, "");
        }

        synchronized void remove(String key) {
            lines.remove(key);
            render(List.of());
        }

        synchronized void set(String key, String text) {
            if (!finished && lines.containsKey(key)) {
                lines.put(key, text);
                render(List.of());
            }
        }

        synchronized void printAbove(String line) {
            render(List.of(line));
        }

        synchronized void finish() {
            render(List.of());
            finished = true;
        }

        private void render(List<String> permanent) {
            if (finished) {
                permanent.forEach(err::println);
                err.flush();
                return;
            }
            StringBuilder out = new StringBuilder();
            up(out, drawn);
            permanent.forEach(line -> out.append(CLEAR).append(line).append('\n'));
            lines.values().forEach(line -> out.append(CLEAR).append(line).append('\n'));
            int extra = drawn - permanent.size() - lines.size();
            for (int i = 0; i < extra; i++) {
                out.append(CLEAR).append('\n');
            }
            up(out, extra);
            drawn = lines.size();
            err.print(out);
            err.flush();
        }

        private static void up(StringBuilder out, int count) {
            if (count > 0) {
                out.append("\u001b[").append(count).append('A');
            }
        }

        ProgressBarConsumer consumer(String key) {
            return new ProgressBarConsumer() {
                @Override
                public int getMaxRenderedLength() {
                    return Bar.WIDTH;
                }

                @Override
                public void accept(String rendered) {
                    set(key, rendered);
                }

                @Override
                public void close() {}
            };
        }
    }
}
