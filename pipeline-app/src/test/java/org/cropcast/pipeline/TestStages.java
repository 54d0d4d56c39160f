package org.cropcast.pipeline;

import com.google.inject.AbstractModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cropcast.pipeline.runs.StageRegistry;
import org.cropcast.pipeline.stages.Stage;
import org.cropcast.pipeline.stages.StageContext;
import org.cropcast.pipeline.stages.StageResult;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.TrackingErrorCode;

/**
 * Test doubles for the stages, registered through the same wiring (a map binder override), to
 * test the run-lifecycle plumbing of the command line independently of the real computations.
 * The behaviour is chosen by the configuration: {@code target.filter_value} of {@code fail-user},
 * {@code fail-bug}, {@code oom} or {@code sleep} makes the stage fail with bad input, fail with a bug,
 * run out of heap (a real {@link OutOfMemoryError}), or sleep
 * (for signal tests) up to a minute, until a file {@code wake} appears in the (local) data root: a
 * resume must keep the configuration, so a test wakes the resumed stage with that file.
 */
public final class TestStages {
    private TestStages() {}

    /** Replaces all three stages. */
    public static AbstractModule module() {
        return new AbstractModule() {
            @Override
            protected void configure() {
                bind(StageRegistry.class).toInstance(new StageRegistry(Map.of(
                        "hindcast", new FoldingStage("hindcast"),
                        "fit-production", new FoldingStage("fit-production"),
                        "forecast", new FoldingStage("forecast"))));
            }
        };
    }

    /** Logs one metric per "fold" (year), writes a report and a dataset into the run directory and as artifacts. */
    public static final class FoldingStage implements Stage {
        private final String name;

        FoldingStage(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public StageResult run(StageContext context) {
            var config = context.config();
            String behaviour = String.valueOf(config.target().filterValue());
            switch (behaviour) {
                case "fail-user" -> throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT,
                        config.target().path() + ": column 'yield' is missing (test stage)");
                case "fail-bug" -> throw new IllegalStateException("test stage bug");
                case "sleep" -> sleep(context);
                case "oom" -> exhaustTheHeap();
                default -> { }
            }
            int start = config.featureStartYear();
            int end = config.featureEndYear();
            context.progress().start(name, end - start + 1);
            List<Metric> metrics = new ArrayList<>();
            for (int year = start; year <= end; year++) {
                metrics.add(new Metric(name + "/rmse", 1.0 / (year - start + 1), System.currentTimeMillis(), year));
                context.progress().step("test year " + year);
            }
            context.progress().finish();
            context.run().logMetrics(metrics);
            String suffix = context.initDate().map(d -> "/" + d).orElse("");
            try {
                Path report = Files.writeString(context.workDirectory().resolve("report.txt"), name + suffix + "\n");
                context.run().logArtifact(report, name.equals("forecast") ? "forecasts" + suffix : "reports");
                context.storage().write(context.runDirectory()
                        .resolve(name.equals("forecast") ? "forecasts" + suffix + "/forecast.txt" : "model/" + name + ".txt"),
                        out -> out.write((name + " seed " + context.seed()).getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            context.run().setTags(Map.of(name + ".done", "true"));
            return new StageResult(List.of(name + ": " + (end - start + 1) + " folds (test stage)"));
        }

        /** Allocates until the heap is exhausted; the arrays become garbage as the error unwinds. */
        static void exhaustTheHeap() {
            List<long[]> hog = new ArrayList<>();
            while (true) {
                hog.add(new long[1 << 20]);
            }
        }

        private static void sleep(StageContext context) {
            Path wake = context.dataRoot().isLocal() ? context.dataRoot().localPath().resolve("wake") : null;
            long deadline = System.nanoTime() + 60_000_000_000L;
            try {
                while (System.nanoTime() < deadline && (wake == null || !Files.exists(wake))) {
                    Thread.sleep(50);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
