package org.cropcast.pipeline.stages;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.cropcast.pipeline.config.ConfigLoader;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.tracking.ActiveRun;
import org.cropcast.tracking.ExperimentId;
import org.cropcast.tracking.FoldReportLogger;
import org.cropcast.tracking.LocalStorage;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.RunId;

/**
 * The benchmark entry point for bench/pipeline (whole process: JVM start to exit), calling a stage
 * directly with core's memory run store and local-file artifacts until the CLI lands on main.
 * Prints one line: stage, wall time of the stage call, time spent inside tracking calls and its
 * share, and the JVM's uptime at exit.
 *
 * <p>Usage: {@code StageBench <config.yaml> <run-dir> [hindcast|fit-production|forecast] [init-date]}
 */
public final class StageBench {
    private StageBench() {}

    public static void main(String[] args) throws Exception {
        Path config = Path.of(args[0]);
        Path runDirectory = Path.of(args[1]);
        String stageName = args.length > 2 ? args[2] : "hindcast";
        Optional<LocalDate> initDate = args.length > 3 ? Optional.of(LocalDate.parse(args[3])) : Optional.empty();
        Files.createDirectories(runDirectory);
        PipelineConfig cfg = new ConfigLoader(System.getenv()).load(config, List.of());
        Stage stage = switch (stageName) {
            case "hindcast" -> new HindcastStage();
            case "fit-production" -> new FitProductionStage();
            case "forecast" -> new ForecastStage();
            default -> throw new IllegalArgumentException("unknown stage " + stageName);
        };
        Path work = Files.createTempDirectory("cropcast-bench");
        TimedRun run = new TimedRun(StoreBackedActiveRun.open(runDirectory.resolve("mlartifacts"), Location.local(runDirectory),
                stageName));
        long start = System.nanoTime();
        StageResult result = stage.run(new StageContext(cfg, run, new LocalStorage(), Location.of(cfg.dataRoot()),
                Location.local(runDirectory), work, initDate, cfg.randomSeed(), ProgressListener.NONE));
        long stageNanos = System.nanoTime() - start;
        double stageSeconds = stageNanos / 1e9;
        double trackingSeconds = run.nanos.get() / 1e9;
        System.out.println(String.format(Locale.ROOT,
                "stage=%s stage_s=%.3f tracking_s=%.3f tracking_share=%.1f%% uptime_s=%.3f summary=\"%s\"", stageName,
                stageSeconds, trackingSeconds, 100 * trackingSeconds / stageSeconds,
                java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1e3, result.summaryLines().get(0)));
    }

    /** Times every call into the tracking layer. */
    private static final class TimedRun implements ActiveRun {
        final ActiveRun delegate;
        final AtomicLong nanos = new AtomicLong();

        TimedRun(ActiveRun delegate) {
            this.delegate = delegate;
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
