package org.cropcast.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Core's entry point on the adapters core itself registers (memory tracking, file and memory storage). */
class TestTracking {
    @TempDir
    Path temp;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z").toEpochMilli());

    private Tracking.Builder memory(String name) {
        return Tracking.builder("memory:" + name).clock(clock).random(new Random(7)).environment(Map.of())
                .endRunsOnShutdown(false);
    }

    @Test
    void coreRegistersMemoryTrackingAndFileAndMemoryStorageThroughServiceLoader() {
        TrackingAdapters found = TrackingAdapters.discover(getClass().getClassLoader());
        assertThat(found.trackingSchemes()).containsExactly("memory");
        assertThat(found.storageSchemes()).containsExactly("file", "memory");
        assertThat(found.artifactSchemes()).containsExactly("file", "memory");
    }

    @Test
    void everydayCallsLandInTheRunStoreAndArtifactStore() throws IOException {
        Path file = Files.writeString(temp.resolve("report.txt"), "hello");
        Path dir = Files.createDirectories(temp.resolve("plots/sub"));
        Files.writeString(dir.resolve("a.txt"), "a");
        Files.writeString(temp.resolve("plots/b.txt"), "b");
        try (Tracking tracking = memory("everyday").user("ana").open()) {
            RunId id;
            try (EmbeddedRun run = tracking.startRun("exp", "first")) {
                id = run.runId();
                run.logParam("alpha", "0.5");
                run.logParams(Map.of("beta", "2", "gamma", "x"));
                run.logMetric("rmse", 0.3);
                clock.advance(Duration.ofSeconds(1));
                run.logMetric("rmse", 0.2, 1);
                run.logMetrics(Map.of("mae", 0.1, "r2", 0.9), 2);
                run.setTag("team", "crops");
                run.setTags(Map.of("source", "https://user:secret@example.com/x"));
                run.logBatch(List.of(new Metric("loss", 1.5, clock.millis(), 3)), List.of(new Param("delta", "d")),
                        List.of(new Tag("k", "v")));
                run.logArtifact(file);
                run.logArtifact(file, "reports");
                run.logArtifacts(temp.resolve("plots"), "figures");
                run.finish();
                assertThat(run.isOpen()).isFalse();
            }
            Run stored = tracking.runStore().getRun(id).orElseThrow();
            assertThat(stored.info().status()).isEqualTo(RunStatus.FINISHED);
            assertThat(stored.info().runName()).isEqualTo("first");
            assertThat(stored.info().userId()).isEqualTo("ana");
            assertThat(stored.info().startTimeMillis()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z").toEpochMilli());
            assertThat(stored.data().params()).containsExactlyInAnyOrderEntriesOf(
                    Map.of("alpha", "0.5", "beta", "2", "gamma", "x", "delta", "d"));
            assertThat(stored.data().tags()).containsEntry("team", "crops").containsEntry("k", "v")
                    .containsEntry("mlflow.user", "ana").containsKey(RunTags.HEARTBEAT);
            assertThat(stored.data().tags().get("source")).doesNotContain("secret");
            assertThat(tracking.runStore().getMetricHistory(id, "rmse")).extracting(Metric::step).containsExactly(0L, 1L);
            assertThat(tracking.runStore().getMetricHistory(id, "mae")).singleElement().extracting(Metric::step).isEqualTo(2L);
            String root = stored.info().artifactUri();
            assertThat(root).startsWith("memory://mlartifacts/everyday/");
            assertThat(read(tracking, root, "report.txt")).isEqualTo("hello");
            assertThat(read(tracking, root, "reports/report.txt")).isEqualTo("hello");
            assertThat(read(tracking, root, "figures/b.txt")).isEqualTo("b");
            assertThat(read(tracking, root, "figures/sub/a.txt")).isEqualTo("a");
        }
    }

    @Test
    void aBlockLeftWithoutFinishEndsTheRunFailed() {
        try (Tracking tracking = memory("failed").open()) {
            RunId id;
            try (EmbeddedRun run = tracking.startRun("exp")) {
                id = run.runId();
            }
            Run stored = tracking.runStore().getRun(id).orElseThrow();
            assertThat(stored.info().status()).isEqualTo(RunStatus.FAILED);
            assertThat(stored.data().tags()).containsEntry(RunTags.ERROR, "the run was closed without finish()");
        }
    }

    @Test
    void callbackFormEndsFinishedOrFailedAndRethrowsUnchanged() {
        try (Tracking tracking = memory("callback").open()) {
            RunId ok = tracking.withRun("exp", Optional.of("ok"), run -> {
                run.logMetric("m", 1);
                return run.runId();
            });
            assertThat(tracking.runStore().getRun(ok).orElseThrow().info().status()).isEqualTo(RunStatus.FINISHED);
            RunId[] failed = new RunId[1];
            IllegalStateException boom = new IllegalStateException("boom");
            assertThatThrownBy(() -> tracking.withRun("exp", Optional.empty(), run -> {
                failed[0] = run.runId();
                throw boom;
            })).isSameAs(boom);
            Run stored = tracking.runStore().getRun(failed[0]).orElseThrow();
            assertThat(stored.info().status()).isEqualTo(RunStatus.FAILED);
            assertThat(stored.data().tags()).containsEntry(RunTags.ERROR, "IllegalStateException: boom");
        }
    }

    @Test
    void resumeKeepsWhatWasLoggedAndParamsStayWriteOnce() {
        try (Tracking tracking = memory("resume").open()) {
            RunId id;
            try (EmbeddedRun run = tracking.startRun("exp", "r")) {
                id = run.runId();
                run.logParam("alpha", "1");
                run.logMetric("m", 1, 0);
                run.end(RunStatus.KILLED);
            }
            assertThat(tracking.runStore().getRun(id).orElseThrow().info().status()).isEqualTo(RunStatus.KILLED);
            try (EmbeddedRun run = tracking.resumeRun(id)) {
                assertThat(tracking.runStore().getRun(id).orElseThrow().info().status()).isEqualTo(RunStatus.RUNNING);
                run.logParam("alpha", "1");
                assertThatThrownBy(() -> run.logParam("alpha", "2"))
                        .isInstanceOfSatisfying(CropcastException.class,
                                e -> assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.PARAM_CONFLICT));
                run.logMetric("m", 2, 1);
                run.finish();
            }
            assertThat(tracking.runStore().getMetricHistory(id, "m")).extracting(Metric::value).containsExactly(1.0, 2.0);
            assertThat(tracking.runStore().getRun(id).orElseThrow().info().status()).isEqualTo(RunStatus.FINISHED);
            RunId unknown = RunId.of("0123456789abcdef0123456789abcdef");
            assertThatThrownBy(() -> tracking.resumeRun(unknown))
                    .isInstanceOfSatisfying(CropcastException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.RUN_NOT_FOUND);
                        assertThat(e.getMessage()).contains(unknown.value());
                    });
        }
    }

    @Test
    void anEndedRunRefusesMoreCalls() {
        try (Tracking tracking = memory("ended").open(); EmbeddedRun run = tracking.startRun("exp")) {
            run.finish();
            assertThatThrownBy(() -> run.logMetric("m", 1))
                    .isInstanceOfSatisfying(CropcastException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.INVALID_RUN_STATE));
            assertThatThrownBy(() -> run.end(RunStatus.RUNNING))
                    .isInstanceOfSatisfying(CropcastException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.INVALID_ARGUMENT));
        }
    }

    @Test
    void closingTrackingEndsItsOpenRunsFailed() {
        Tracking tracking = memory("close").open();
        EmbeddedRun run = tracking.startRun("exp");
        RunStore store = tracking.runStore();
        tracking.close();
        assertThat(run.isOpen()).isFalse();
        Run stored = store.getRun(run.runId()).orElseThrow();
        assertThat(stored.info().status()).isEqualTo(RunStatus.FAILED);
        assertThat(stored.data().tags()).containsEntry(RunTags.ERROR, "the Tracking was closed while the run was open");
    }

    @Test
    void artifactRootOnLocalDiskForNewExperiments() throws IOException {
        Path file = Files.writeString(temp.resolve("model.bin"), "weights");
        Path root = temp.resolve("artifacts");
        try (Tracking tracking = memory("rooted").artifactRoot(root.toString()).open();
                EmbeddedRun run = tracking.startRun("exp")) {
            run.logArtifact(file, "model");
            run.finish();
            assertThat(run.artifactUri()).startsWith(root.toString());
            assertThat(Files.readString(Path.of(run.artifactUri(), "model", "model.bin"))).isEqualTo("weights");
        }
    }

    @Test
    void unknownSchemesListWhatTheClassPathHasWithoutSecrets() {
        assertThatThrownBy(() -> Tracking.builder("sqlite:////tmp/x.db").environment(Map.of()).open())
                .isInstanceOfSatisfying(CropcastException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.UNKNOWN_SCHEME);
                    assertThat(e.getMessage()).contains("'sqlite'", "schemes found on the class path: memory",
                            "org.cropcast:tracking-mlflow-adapter");
                });
        assertThatThrownBy(() -> Tracking.builder("postgresql://u:hunter2@db/mlflow").environment(Map.of()).open())
                .isInstanceOfSatisfying(CropcastException.class, e -> assertThat(e.getMessage())
                        .contains("'postgresql'").doesNotContain("hunter2"));
        assertThatThrownBy(() -> Tracking.builder("mlruns.db").environment(Map.of()).open())
                .isInstanceOfSatisfying(CropcastException.class, e -> assertThat(e.getMessage()).contains("has no scheme"));
        assertThatThrownBy(() -> memory("x").artifactRoot("s3://bucket/prefix").open())
                .isInstanceOfSatisfying(CropcastException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.UNKNOWN_SCHEME);
                    assertThat(e.getMessage()).contains("artifact root", "'s3'", "file, memory", "org.cropcast:storage-s3-adapter");
                });
    }

    @Test
    void environmentGivesTheTrackingUriAndTheUserAsMlflowReadsThem() {
        Map<String, String> env = Map.of(Tracking.TRACKING_URI_VARIABLE, "memory:env", "MLFLOW_TRACKING_USERNAME", "ci-bot");
        try (Tracking tracking = Tracking.fromEnvironment(env).endRunsOnShutdown(false).open()) {
            assertThat(tracking.trackingUri()).isEqualTo("memory:env");
            assertThat(tracking.user()).isEqualTo("ci-bot");
            try (EmbeddedRun run = tracking.startRun("exp")) {
                run.finish();
                assertThat(tracking.runStore().getRun(run.runId()).orElseThrow().info().userId()).isEqualTo("ci-bot");
            }
        }
        assertThat(Tracking.fromEnvironment(Map.of()).adapters(TrackingAdapters.of(List.of(), List.of(), List.of())))
                .isNotNull();
        assertThatThrownBy(() -> Tracking.fromEnvironment(Map.of()).environment(Map.of()).open())
                .isInstanceOfSatisfying(CropcastException.class, e -> assertThat(e.getMessage())
                        .contains("'" + Tracking.MLFLOW_DEFAULT_TRACKING_URI + "'"));
    }

    @Test
    void heartbeatRefreshesWhileTheRunIsOpen() throws InterruptedException {
        try (Tracking tracking = memory("beat").heartbeat(Duration.ofMillis(20)).open();
                EmbeddedRun run = tracking.startRun("exp")) {
            String first = tracking.runStore().getRun(run.runId()).orElseThrow().data().tags().get(RunTags.HEARTBEAT);
            clock.advance(Duration.ofMinutes(1));
            String later = first;
            for (int i = 0; i < 500 && later.equals(first); i++) {
                Thread.sleep(10);
                later = tracking.runStore().getRun(run.runId()).orElseThrow().data().tags().get(RunTags.HEARTBEAT);
            }
            assertThat(Long.parseLong(later)).isEqualTo(Long.parseLong(first) + 60_000);
            run.finish();
        }
        assertThatThrownBy(() -> memory("beat").heartbeat(Duration.ZERO))
                .isInstanceOfSatisfying(CropcastException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.INVALID_ARGUMENT));
    }

    /**
     * Closing a Tracking stops its heartbeat first (the thread has terminated when close returns, so
     * no beat reaches the closed store), then ends the runs still open FAILED; its runs share that
     * one thread, and a closed Tracking starts no run.
     */
    @Test
    void closeStopsTheHeartbeatBeforeTheStoreClosesAndEndsOpenRunsFailed() throws InterruptedException {
        Tracking tracking = memory("close").heartbeat(Duration.ofMillis(5)).open();
        EmbeddedRun first = tracking.startRun("exp");
        EmbeddedRun second = tracking.startRun("exp");
        RunStore store = tracking.runStore();
        clock.advance(Duration.ofMinutes(1));
        String expected = Long.toString(clock.millis());
        for (EmbeddedRun run : List.of(first, second)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!expected.equals(store.getRun(run.runId()).orElseThrow().data().tags().get(RunTags.HEARTBEAT))
                    && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(store.getRun(run.runId()).orElseThrow().data().tags()).containsEntry(RunTags.HEARTBEAT, expected);
        }
        assertThat(tracking.live.beating()).isTrue();
        second.finish();
        assertThat(tracking.live.open()).hasSize(1);

        tracking.close();
        assertThat(tracking.live.beating()).isFalse();
        assertThat(first.isOpen()).isFalse();
        assertThat(store.getRun(first.runId()).orElseThrow().info().status()).isEqualTo(RunStatus.FAILED);
        assertThat(store.getRun(second.runId()).orElseThrow().info().status()).isEqualTo(RunStatus.FINISHED);
        assertThatThrownBy(() -> tracking.startRun("exp")).isInstanceOfSatisfying(CropcastException.class,
                e -> assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.INVALID_RUN_STATE));
        tracking.close();
    }

    @Test
    void twoAdaptersForOneSchemeAreRefusedNamingBoth() {
        assertThatThrownBy(() -> TrackingAdapters.of(List.of(new MemoryRunStoreProvider(), new RunStoreProvider() {
            @Override
            public java.util.Set<String> schemes() {
                return java.util.Set.of("memory");
            }

            @Override
            public RunStoreFactory create(TrackingContext context) {
                throw new AssertionError("not created");
            }
        }), List.of(), List.of())).isInstanceOfSatisfying(CropcastException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).contains("'memory'", MemoryRunStoreProvider.class.getName());
        });
    }

    @Test
    void datasetsAndLoggedModelsThroughTheEntryPoint() {
        Dataset data = new Dataset("features", "0123456789abcdef0123456789abcdef", "local", "{\"uri\": \"/data/f.csv\"}",
                Optional.empty(), Optional.empty());
        try (Tracking tracking = memory("models").open(); EmbeddedRun run = tracking.startRun("exp")) {
            run.logInputs(List.of(DatasetInput.withContext(data, "training")));
            LoggedModel model = run.createLoggedModel("yield-model");
            ModelStore models = tracking.modelStore();
            models.finalizeLoggedModel(model.modelId(), LoggedModelStatus.READY);
            models.createRegisteredModel("yield");
            assertThat(models.createModelVersion("yield", model.modelId()).version()).isEqualTo(1);
            run.finish();
            assertThat(models.getRunInputs(run.runId()).datasets()).singleElement()
                    .satisfies(d -> assertThat(d.dataset().name()).isEqualTo("features"));
            assertThat(models.getRunOutputs(run.runId())).extracting(ModelOutput::modelId).containsExactly(model.modelId());
            assertThat(models.getLoggedModel(model.modelId()).orElseThrow().sourceRunId()).contains(run.runId());
            assertThat(tracking.modelStore()).isSameAs(models);
        }
    }

    private static String read(Tracking tracking, String root, String path) throws IOException {
        try (InputStream in = tracking.artifactStore().open(root, path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
