package org.cropcast.pipeline.stages;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.cropcast.pipeline.config.ConfigLoader;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.pipeline.runs.TrackingTarget;
import org.cropcast.tracking.ActiveRun;
import org.cropcast.tracking.ExperimentId;
import org.cropcast.tracking.FoldReportLogger;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.MemoryRunStore;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.RunId;

/**
 * The benchmark entry point for bench/pipeline (whole process: JVM start to exit), calling a stage
 * directly in a run opened by the application's run scope ({@link StageHarness}), over core's
 * memory run store with local-file artifacts (under {@code <dir>/mlartifacts}; the run directory
 * is {@code <dir>/run}). Prints one line: stage, wall time of the stage call, time spent inside
 * tracking calls and its share, and the JVM's uptime at exit.
 *
 * <p>Usage: {@code StageBench <config.yaml> <dir> [hindcast|fit-production|forecast] [init-date]}
 *
 * <p>The run store lives for one process: a second forecast in the same {@code <dir>} resumes the
 * recorded forecast run, which this process's store does not have, and fails as the command line
 * does with {@code memory:}.
 */
public final class StageBench {
    private StageBench() {}

    public static void main(String[] args) throws Exception {
        Path config = Path.of(args[0]);
        StageHarness harness = new StageHarness(Path.of(args[1]));
        String stageName = args.length > 2 ? args[2] : "hindcast";
        Optional<LocalDate> initDate = args.length > 3 ? Optional.of(LocalDate.parse(args[3])) : Optional.empty();
        PipelineConfig cfg = new ConfigLoader(System.getenv()).load(config, List.of());
        Stage stage = switch (stageName) {
            case "hindcast" -> new HindcastStage();
            case "fit-production" -> new FitProductionStage();
            case "forecast" -> new ForecastStage();
            default -> throw new IllegalArgumentException("unknown stage " + stageName);
        };
        // the memory: backend keeps artifacts in memory; a large panel's datasets belong on disk, as the
        // embedded store keeps them: so this store is built directly, with a local artifact base
        MemoryRunStore store = new MemoryRunStore(Clock.systemUTC(), new SecureRandom(),
                harness.root.resolve("mlartifacts").toUri().toString());
        TimedStage timed = new TimedStage(stage);
        StageResult result = harness.run(timed, cfg, Location.local(harness.runDirectory), initDate, store,
                new TrackingTarget("memory:")).result();
        double stageSeconds = timed.stageNanos / 1e9;
        double trackingSeconds = timed.trackingNanos.get() / 1e9;
        System.out.println(String.format(Locale.ROOT,
                "stage=%s stage_s=%.3f tracking_s=%.3f tracking_share=%.1f%% uptime_s=%.3f summary=\"%s\"", stageName,
                stageSeconds, trackingSeconds, 100 * trackingSeconds / stageSeconds,
                java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1e3, result.summaryLines().get(0)));
    }

    /** Times the stage call, and inside it every call into the tracking layer. */
    private static final class TimedStage implements Stage {
        final Stage stage;
        final AtomicLong trackingNanos = new AtomicLong();
        long stageNanos;

        TimedStage(Stage stage) {
            this.stage = stage;
        }

        @Override
        public String name() {
            return stage.name();
        }

        @Override
        public StageResult run(StageContext c) {
            StageContext timed = new StageContext(c.config(), c.settings(), new TimedRun(c.run(), trackingNanos), c.storage(),
                    c.runDirectory(), c.workDirectory(), c.initDate(), c.clock(), c.progress(), c.models());
            long start = System.nanoTime();
            try {
                return stage.run(timed);
            } finally {
                stageNanos = System.nanoTime() - start;
            }
        }
    }

    /** Times every call into the tracking layer. */
    private static final class TimedRun implements ActiveRun {
        final ActiveRun delegate;
        final AtomicLong nanos;

        TimedRun(ActiveRun delegate, AtomicLong nanos) {
            this.delegate = delegate;
            this.nanos = nanos;
        }

        private void time(Runnable call) {
            long start = System.nanoTime();
            try {
                call.run();
            } finally {
                nanos.addAndGet(System.nanoTime() - start);
            }
        }

        @Override
        public RunId runId() {
            return delegate.runId();
        }

        @Override
        public ExperimentId experimentId() {
            return delegate.experimentId();
        }

        @Override
        public Location runDirectory() {
            return delegate.runDirectory();
        }

        @Override
        public String stage() {
            return delegate.stage();
        }

        @Override
        public void logMetrics(List<Metric> metrics) {
            time(() -> delegate.logMetrics(metrics));
        }

        @Override
        public void logMetric(String key, double value, long step) {
            time(() -> delegate.logMetric(key, value, step));
        }

        @Override
        public void setTags(Map<String, String> tags) {
            time(() -> delegate.setTags(tags));
        }

        @Override
        public void logArtifact(Path localFile, String artifactPath) {
            time(() -> delegate.logArtifact(localFile, artifactPath));
        }

        @Override
        public void logArtifact(Location source, String artifactPath) {
            time(() -> delegate.logArtifact(source, artifactPath));
        }

        @Override
        public FoldReportLogger foldReportLogger() {
            FoldReportLogger logger = delegate.foldReportLogger();
            return (key, file) -> time(() -> logger.reportSaved(key, file));
        }
    }
}
