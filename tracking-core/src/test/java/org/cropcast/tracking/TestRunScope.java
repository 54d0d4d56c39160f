package org.cropcast.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

class TestRunScope {
    private static final long T0 = 1_750_000_000_000L;
    private static final GitInfo GIT = new GitInfo("0123456789abcdef0123456789abcdef01234567", "0123456", "false");

    @TempDir
    Path temp;

    private final MutableClock clock = new MutableClock(T0);
    private final MemoryStorage memory = new MemoryStorage();
    private final RecordingStorage storage = new RecordingStorage(SwitchingStorage.localAndMemory(memory));
    private final SerializingDocumentWriter documents = new SerializingDocumentWriter();
    private MemoryRunStore store;
    private Location runDir;

    @BeforeEach
    void setUp() {
        store = new MemoryRunStore(clock, new SplittableRandom(1));
        runDir = Location.local(temp.resolve("runs/2026-11-26T09-00-00"));
    }

    private RunScope scope(Duration heartbeat) {
        return scope(store, heartbeat);
    }

    private RunScope scope(RunStore runs, Duration heartbeat) {
        StorageArtifactStore artifacts = new StorageArtifactStore(storage);
        return new RunScope(runs, new SwitchingArtifactStore(Map.of("file", artifacts, "memory", artifacts)), storage,
                documents, clock, new RunScopeSettings("alice", "https://user:hunter2@mlflow.example.com", heartbeat, false,
                        EnvironmentInfo.current(Map.of("slf4j-api", Logger.class)), GIT));
    }

    private RunScope scope() {
        return scope(Duration.ofHours(1));
    }

    private static BoundedParams params(String detrend) {
        return new BoundedParams(42, "/data", 2001, 2020, "soy-brazil", "soy_br_v1", detrend, "ridge", 0.9);
    }

    private RunRequest request(String stage, RunMode mode, BoundedParams params, List<Location> dataFiles) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("experiment_name", "soy-brazil");
        config.put("mlflow_tracking_uri", "https://user:hunter2@mlflow.example.com");
        config.put("features", Map.of("variables", List.of("ndvi", "precip")));
        return RunRequest.of(stage, "soy-brazil", runDir, "/configs/soy.yaml", config, params, mode, dataFiles);
    }

    private RunRequest request(String stage, RunMode mode) {
        return request(stage, mode, params("linear"), List.of());
    }

    private Run run(RunId id) {
        return store.getRun(id).orElseThrow();
    }

    private String readArtifact(String artifactUri, String path) throws IOException {
        try (InputStream in = new StorageArtifactStore(storage).open(artifactUri, path)) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void openSetsTagsParamsAndWritesTheRunFiles() throws Exception {
        Path data = Files.writeString(temp.resolve("target.csv"), "region,year,yield\nMT,2020,3.5\n");
        String expectedPrefix = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(data)))
                .substring(0, 16);
        TrackedRun run = scope().open(request("hindcast", RunMode.CREATE, params("linear"), List.of(Location.local(data))));
        Run stored = run(run.runId());
        assertThat(stored.info().status()).isEqualTo(RunStatus.RUNNING);
        assertThat(stored.info().userId()).isEqualTo("alice");
        assertThat(stored.info().runName()).isEqualTo("hindcast-2026-11-26T09-00-00");
        assertThat(store.getExperiment(stored.info().experimentId()).orElseThrow().name()).isEqualTo("soy-brazil");
        assertThat(stored.data().tags())
                .containsEntry("stage", "hindcast")
                .containsEntry("run_dir", runDir.toString())
                .containsEntry("config_path", "/configs/soy.yaml")
                .containsEntry("git_commit", GIT.commit())
                .containsEntry("git_short", "0123456")
                .containsEntry("git_dirty", "false")
                .containsEntry("java_version", System.getProperty("java.version"))
                .containsEntry("java_vendor", System.getProperty("java.vendor"))
                .containsEntry("os_name", System.getProperty("os.name"))
                .containsEntry("os_arch", System.getProperty("os.arch"))
                .containsEntry("lib/slf4j-api", "2.0.17")
                .containsEntry("cropcast.heartbeat", Long.toString(T0));
        assertThat(stored.data().params()).hasSize(9).containsEntry("hindcast/random_seed", "42")
                .containsEntry("hindcast/detrend", "linear");

        Map<String, Object> record = documents.read(storage, runDir.resolve("metadata_hindcast.yaml"));
        assertThat(record).containsEntry("mlflow_run_id", run.runId().value())
                .containsEntry("experiment_id", run.experimentId().value())
                .containsEntry("tracking_uri", "https://***@mlflow.example.com");

        Map<String, Object> metadata = documents.read(storage, runDir.resolve("metadata.yaml"));
        assertThat(metadata).containsEntry("seed", 42L).containsEntry("stage", "hindcast")
                .containsEntry("created_at", "2025-06-15T15:06:40Z").containsEntry("run_started_at", "2025-06-15T15:06:40Z");
        assertThat(SerializingDocumentWriter.map(metadata.get("git"))).containsEntry("commit", GIT.commit()).containsEntry("dirty", "false");
        assertThat(SerializingDocumentWriter.map(SerializingDocumentWriter.map(metadata.get("environment")).get("libraries")))
                .containsEntry("slf4j-api", "2.0.17");
        assertThat(SerializingDocumentWriter.list(metadata.get("data_files"))).singleElement()
                .satisfies(e -> assertThat(SerializingDocumentWriter.map(e))
                        .containsEntry("location", data.toString()).containsEntry("sha256_prefix", expectedPrefix));

        Map<String, Object> config = documents.read(storage, runDir.resolve("config_resolved.yaml"));
        assertThat(config).containsEntry("mlflow_tracking_uri", "https://***@mlflow.example.com");

        List<String> artifacts = new StorageArtifactStore(storage).list(stored.info().artifactUri(), "").stream()
                .map(ArtifactEntry::path).toList();
        assertThat(artifacts).containsExactly("config_resolved.yaml", "metadata.yaml");
        assertThat(readArtifact(stored.info().artifactUri(), "config_resolved.yaml"))
                .isEqualTo(Files.readString(temp.resolve("runs/2026-11-26T09-00-00/config_resolved.yaml"), StandardCharsets.ISO_8859_1));

        clock.advance(Duration.ofSeconds(5));
        run.finish();
        assertThat(run(run.runId()).info().status()).isEqualTo(RunStatus.FINISHED);
        assertThat(run(run.runId()).info().endTimeMillis()).contains(T0 + 5_000);
        assertThat(run.isOpen()).isFalse();
        run.close();
        assertThat(run(run.runId()).info().status()).as("close after finish keeps FINISHED").isEqualTo(RunStatus.FINISHED);
    }

    @Test
    void noSecretReachesTagsParamsOrFiles() throws IOException {
        BoundedParams secretRoot = new BoundedParams(1, "s3://AKIA:wJalr@bucket/data", 2001, 2020, "e", "k", "none", "ols", 1.0);
        RunRequest request = RunRequest.of("hindcast", "e", runDir, "https://u:pw@configs.example.com/soy.yaml?token=tok123",
                Map.of("tracking", "https://user:hunter2@mlflow.example.com"), secretRoot, RunMode.CREATE, List.of());
        RunId id = scope().run(request, TrackedRun::runId);
        Run run = run(id);
        assertThat(run.data().params().values()).noneMatch(v -> v.contains("wJalr"));
        assertThat(run.data().tags().values()).noneMatch(v -> v.contains("pw@") || v.contains("tok123"));
        try (var files = Files.walk(temp)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(file, StandardCharsets.ISO_8859_1);
                assertThat(text).as(file.toString()).doesNotContain("hunter2", "wJalr", "tok123");
            }
        }
    }

    @Test
    void callbackFormFinishesAndReturnsTheResult() {
        RunId id = scope().run(request("hindcast", RunMode.CREATE), run -> {
            run.logMetric("rmse", 0.5, 0);
            return run.runId();
        });
        Run run = run(id);
        assertThat(run.info().status()).isEqualTo(RunStatus.FINISHED);
        assertThat(run.data().latestMetrics().get("rmse").value()).isEqualTo(0.5);
    }

    @Test
    void exceptionEndsFailedWithRedactedMessageAndPropagatesUnchanged() {
        IllegalStateException boom = new IllegalStateException("cannot reach https://user:hunter2@host/api");
        RunId[] id = new RunId[1];
        assertThatThrownBy(() -> scope().run(request("hindcast", RunMode.CREATE), run -> {
            id[0] = run.runId();
            throw boom;
        })).isSameAs(boom);
        Run run = run(id[0]);
        assertThat(run.info().status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.data().tags().get(RunTags.ERROR))
                .isEqualTo("IllegalStateException: cannot reach https://***@host/api");
        assertThat(boom.getSuppressed()).isEmpty();
    }

    @Test
    void checkedExceptionPropagatesUnchanged() {
        IOException io = new IOException("disk full");
        RunId[] id = new RunId[1];
        assertThatThrownBy(() -> scope().<Void, IOException>run(request("hindcast", RunMode.CREATE), run -> {
            id[0] = run.runId();
            throw io;
        })).isSameAs(io);
        assertThat(run(id[0]).info().status()).isEqualTo(RunStatus.FAILED);
    }

    @Test
    void tryWithResourcesWithoutFinishEndsFailed() {
        RunId id;
        try (TrackedRun run = scope().open(request("hindcast", RunMode.CREATE))) {
            id = run.runId();
        }
        assertThat(run(id).info().status()).isEqualTo(RunStatus.FAILED);
        assertThat(run(id).data().tags().get(RunTags.ERROR)).contains("without finish()");
    }

    @Test
    void closedRunRejectsWritesAndFoldLoggerSkips() throws IOException {
        TrackedRun run = scope().open(request("hindcast", RunMode.CREATE));
        run.finish();
        assertThatThrownBy(() -> run.logMetric("m", 1, 0)).isInstanceOfSatisfying(CropcastException.class,
                e -> assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.INVALID_RUN_STATE));
        Path png = Files.write(temp.resolve("fold.png"), new byte[] {1, 2, 3});
        run.foldReportLogger().reportSaved("2019", png);
        assertThat(new StorageArtifactStore(storage).list(run.artifactUri(), "reports")).isEmpty();
    }

    @Test
    void foldReportsAreUploadedUnderTheirFoldKey() throws IOException {
        Path png = Files.write(temp.resolve("scatter.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        String artifactUri = scope().run(request("hindcast", RunMode.CREATE), run -> {
            run.foldReportLogger().reportSaved("2019", png);
            run.foldReportLogger().reportSaved("../escape", png);
            return run.artifactUri();
        });
        assertThat(new StorageArtifactStore(storage).list(artifactUri, "reports/folds/2019"))
                .extracting(ArtifactEntry::path).containsExactly("reports/folds/2019/scatter.png");
        assertThat(new StorageArtifactStore(storage).list(artifactUri, "reports/folds"))
                .extracting(ArtifactEntry::path).containsExactly("reports/folds/2019");
    }

    @Test
    void foldLoggerWithoutRunWarnsAndSkips() throws IOException {
        Path png = Files.write(temp.resolve("fold.png"), new byte[] {1});
        FoldReports.logger(Optional::empty).reportSaved("2019", png);
        assertThat(png).exists();
    }

    @Test
    void resumeReopensTheRecordedRunForEveryStage() {
        RunScope scope = scope();
        for (String stage : List.of("hindcast", "fit-production", "forecast")) {
            RunId created = scope.run(request(stage, RunMode.CREATE), TrackedRun::runId);
            assertThat(run(created).info().status()).isEqualTo(RunStatus.FINISHED);
            RunId resumed;
            try (TrackedRun run = scope.open(request(stage, RunMode.RESUME))) {
                resumed = run.runId();
                assertThat(run(resumed).info().status()).isEqualTo(RunStatus.RUNNING);
                run.logMetric(stage + "/resumed", 1, 0);
                run.finish();
            }
            assertThat(resumed).isEqualTo(created);
            assertThat(run(resumed).info().status()).isEqualTo(RunStatus.FINISHED);
            assertThat(run(resumed).data().latestMetrics()).containsKey(stage + "/resumed");
        }
        assertThat(store.searchRuns(RunSearch.all(store.findExperiment("soy-brazil").orElseThrow().id()))).hasSize(3);
    }

    @Test
    void resumeRemovesTheUnfinishedWritesOfTheKilledProcessFromArtifactsAndRunDirectory() throws IOException {
        store = new MemoryRunStore(clock, new SplittableRandom(1), temp.resolve("mlartifacts").toUri().toString());
        RunScope scope = scope();
        RunId created;
        try (TrackedRun run = scope.open(request("hindcast", RunMode.CREATE))) {
            created = run.runId(); // never finished: the process "dies" here, mid-write
        }
        Path artifactRoot = Path.of(java.net.URI.create(run(created).info().artifactUri()));
        Path runDirectory = temp.resolve("runs/2026-11-26T09-00-00");
        // what a writer killed between creating its temporary file and moving it into place leaves
        Path artifactLeftover = Files.writeString(artifactRoot.resolve(".config_resolved.yaml.cropcast-tmp-4711"), "half");
        Path nestedLeftover = Files.writeString(Files.createDirectories(artifactRoot.resolve("reports/folds"))
                .resolve(".fold-0.png.cropcast-tmp-4712"), "half");
        Path runDirLeftover = Files.writeString(runDirectory.resolve(".metadata.yaml.cropcast-tmp-4713"), "half");

        try (TrackedRun run = scope.open(request("hindcast", RunMode.RESUME))) {
            assertThat(run.runId()).isEqualTo(created);
            run.finish();
        }

        assertThat(artifactLeftover).doesNotExist();
        assertThat(nestedLeftover).doesNotExist();
        assertThat(runDirLeftover).doesNotExist();
        assertThat(artifactRoot.resolve(RunScope.CONFIG_FILE)).isRegularFile();
        assertThat(runDirectory.resolve(RunScope.METADATA_FILE)).isRegularFile();
        try (java.util.stream.Stream<Path> files = Files.walk(temp)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(name -> name.contains(".cropcast-tmp-"));
        }
    }

    @Test
    void resumeFromAnotherStageSharesTheRunWithoutParamCollisions() {
        RunScope scope = scope();
        RunId hindcast = scope.run(request("hindcast", RunMode.CREATE), TrackedRun::runId);
        RunRequest base = request("forecast", RunMode.RESUME);
        RunRequest forecast = new RunRequest(base.stage(), base.experimentName(), base.runDirectory(), base.configPath(),
                base.configDocument(), params("quadratic"), RunMode.RESUME, Optional.of("hindcast"), Optional.empty(), List.of());
        RunId shared = scope.run(forecast, TrackedRun::runId);
        assertThat(shared).isEqualTo(hindcast);
        assertThat(run(shared).data().params()).containsEntry("hindcast/detrend", "linear").containsEntry("forecast/detrend", "quadratic");
    }

    @Test
    void resumeWithChangedParamFailsBeforeWritingAnything() throws IOException {
        RunScope scope = scope();
        RunId id = scope.run(request("hindcast", RunMode.CREATE), TrackedRun::runId);
        Run before = run(id);
        Path config = temp.resolve("runs/2026-11-26T09-00-00/config_resolved.yaml");
        byte[] configBefore = Files.readAllBytes(config);
        clock.advance(Duration.ofMinutes(1));

        RunRequest changed = request("hindcast", RunMode.RESUME, params("quadratic"), List.of());
        assertThatThrownBy(() -> scope.open(changed)).isInstanceOfSatisfying(CropcastException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.PARAM_CONFLICT);
            assertThat(e.getMessage()).contains("hindcast/detrend", "'linear'", "'quadratic'").doesNotContain("\n");
        });
        assertThat(run(id)).isEqualTo(before);
        assertThat(Files.readAllBytes(config)).isEqualTo(configBefore);
    }

    @Test
    void resumeWithAChangedStageParamFailsLikeABoundedOne() {
        RunScope scope = scope();
        RunId id = scope.run(request("hindcast", RunMode.CREATE).withStageParams(Map.of("ridge_alpha", "10.0")), TrackedRun::runId);
        assertThat(run(id).data().params()).containsEntry("hindcast/ridge_alpha", "10.0");
        RunRequest changed = request("hindcast", RunMode.RESUME).withStageParams(Map.of("ridge_alpha", "100.0"));
        assertThatThrownBy(() -> scope.open(changed)).isInstanceOfSatisfying(CropcastException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.PARAM_CONFLICT);
            assertThat(e.getMessage()).contains("hindcast/ridge_alpha", "'10.0'", "'100.0'");
        });
        assertThatThrownBy(() -> request("hindcast", RunMode.CREATE).withStageParams(Map.of("detrend", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is a bounded param");
    }

    @Test
    void resumeWithADifferentConfigurationIsRefusedBeforeAnyWriteNamingTheFirstDifference() throws IOException {
        RunScope scope = scope();
        RunId id = scope.run(request("hindcast", RunMode.CREATE), TrackedRun::runId);
        Run before = run(id);
        Path config = temp.resolve("runs/2026-11-26T09-00-00/config_resolved.yaml");
        byte[] configBefore = Files.readAllBytes(config);
        Path leftover = temp.resolve("runs/2026-11-26T09-00-00/.metadata.yaml.cropcast-tmp-4713");
        Files.writeString(leftover, "half a file");
        clock.advance(Duration.ofMinutes(1));

        Map<String, Object> document = new LinkedHashMap<>(request("hindcast", RunMode.RESUME).configDocument());
        document.put("features", Map.of("variables", List.of("ndvi", "rain")));
        document.put("ridge_alpha", 100.0);
        RunRequest changed = RunRequest.of("hindcast", "soy-brazil", runDir, "/configs/soy.yaml", document, params("linear"),
                RunMode.RESUME, List.of());
        assertThatThrownBy(() -> scope.open(changed)).isInstanceOfSatisfying(CropcastException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.CONFIG_CHANGED);
            assertThat(e.category()).isEqualTo(ErrorCategory.USER_INPUT);
            assertThat(e.getMessage()).isEqualTo("cannot resume run " + id + ": the configuration differs from the run's "
                    + runDir.resolve(RunScope.CONFIG_FILE) + " at 'features.variables.1': 'precip' in the run, 'rain' now"
                    + " (start a new run directory instead)");
        });
        assertThat(run(id)).isEqualTo(before);
        assertThat(Files.readAllBytes(config)).isEqualTo(configBefore);
        assertThat(leftover).as("nothing removed either").exists();
    }

    @Test
    void configurationDifferencesCompareNumbersByValueAndNameAbsentKeys() {
        assertThat(ConfigDifference.first(Map.of("a", 1, "b", List.of(1.0)), Map.of("a", 1L, "b", List.of(1)))).isEmpty();
        assertThat(ConfigDifference.first(Map.of("a", 1), Map.of("a", 1, "b", "x")))
                .contains(new ConfigDifference("b", "(absent)", "'x'"));
        assertThat(ConfigDifference.first(Map.of("a", "1"), Map.of("a", 1))).contains(new ConfigDifference("a", "'1'", "1"));
        assertThat(ConfigDifference.first(Map.of("u", "https://user:hunter2@h.example"), Map.of("u", "https://h.example")).orElseThrow()
                .recorded()).doesNotContain("hunter2");
    }

    @Test
    void resumeWithoutRecordFailsAndCreatesNothing() {
        assertThatThrownBy(() -> scope().open(request("forecast", RunMode.RESUME)))
                .isInstanceOfSatisfying(CropcastException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.INVALID_RUN_DIRECTORY);
                    assertThat(e.getMessage()).contains("metadata_forecast.yaml");
                });
        assertThat(store.findExperiment("soy-brazil")).isEmpty();
    }

    /** The memory store, with createRun's requests recorded and every write refused once {@code full[0]} is set. */
    private RunStore intercepted(List<CreateRunRequest> created, boolean[] full) {
        return (RunStore) java.lang.reflect.Proxy.newProxyInstance(RunStore.class.getClassLoader(), new Class<?>[] {RunStore.class},
                (self, method, args) -> {
                    if (method.getName().equals("createRun")) {
                        created.add((CreateRunRequest) args[0]);
                    }
                    if (full[0] && (method.getName().equals("logBatch") || method.getName().equals("endRun"))) {
                        throw new CropcastException(TrackingErrorCode.STORAGE_FAILURE, "database /db/mlruns.db is full");
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /**
     * Issue 20: a process killed right after creating its run (before the record, the params, the
     * first beat): the heartbeat and run directory go in with the creation itself, so the run goes
     * stale, and a resume of the directory finds it without metadata_<stage>.yaml.
     */
    @Test
    void resumeWithoutRecordResumesTheRunAKilledProcessMadeInThisDirectory() throws IOException {
        List<CreateRunRequest> created = new java.util.ArrayList<>();
        RunId id = scope(intercepted(created, new boolean[1]), Duration.ofHours(1)).run(request("hindcast", RunMode.CREATE), TrackedRun::runId);
        assertThat(created).singleElement().satisfies(c -> assertThat(c.tags()).contains(new Tag(RunTags.RUN_DIR, runDir.toString()),
                new Tag(RunTags.HEARTBEAT, Long.toString(T0)), new Tag(RunTags.STAGE, "hindcast")));
        store.reopenRun(id); // RUNNING, as a process killed mid-run leaves it
        java.nio.file.Files.delete(runDir.localPath().resolve(RunRecord.fileName("hindcast")));
        try (TrackedRun resumed = scope().open(request("hindcast", RunMode.RESUME))) {
            assertThat(resumed.runId()).isEqualTo(id);
            resumed.finish();
        }
        assertThat(run(id).info().status()).isEqualTo(RunStatus.FINISHED);
        assertThat(runDir.localPath().resolve(RunRecord.fileName("hindcast"))).exists();
    }

    /** Issue 20: a failure the store cannot record (full, locked) is said as such, attached to the failure. */
    @Test
    void aFailureTheStoreCannotRecordIsAttachedSayingTheRunStaysRunning() {
        boolean[] full = new boolean[1];
        IllegalStateException boom = new IllegalStateException("stage failed");
        RunId[] id = new RunId[1];
        assertThatThrownBy(() -> scope(intercepted(new java.util.ArrayList<>(), full), Duration.ofHours(1))
                .run(request("hindcast", RunMode.CREATE), run -> {
                    id[0] = run.runId();
                    full[0] = true;
                    throw boom;
                })).isSameAs(boom);
        assertThat(run(id[0]).info().status()).isEqualTo(RunStatus.RUNNING);
        assertThat(boom.getSuppressed()).singleElement().isInstanceOfSatisfying(CropcastException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.RUN_NOT_ENDED);
            assertThat(e.getMessage()).isEqualTo("run " + id[0] + " could not be marked FAILED (database /db/mlruns.db is full): it stays"
                    + " RUNNING and `cropcast runs list` shows it stale once its heartbeat is older than --stale-after");
        });
    }

    @Test
    void resumeOfRunMissingFromStoreIsRunNotFound() {
        RunScope scope = scope();
        scope.run(request("hindcast", RunMode.CREATE), TrackedRun::runId);
        store = new MemoryRunStore(clock, new SplittableRandom(2));
        assertThatThrownBy(() -> scope().open(request("hindcast", RunMode.RESUME)))
                .isInstanceOfSatisfying(CropcastException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.RUN_NOT_FOUND);
                    assertThat(e.getMessage()).doesNotContain("hunter2");
                });
    }

    @Test
    void failureWhileOpeningEndsTheRunFailed() {
        Location missing = Location.local(temp.resolve("no-such-input.csv"));
        assertThatThrownBy(() -> scope().open(request("hindcast", RunMode.CREATE, params("linear"), List.of(missing))))
                .isInstanceOfSatisfying(CropcastException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.LOCATION_NOT_FOUND));
        ExperimentId experiment = store.findExperiment("soy-brazil").orElseThrow().id();
        assertThat(store.searchRuns(RunSearch.all(experiment))).singleElement()
                .satisfies(r -> assertThat(r.info().status()).isEqualTo(RunStatus.FAILED));
    }

    @Test
    void heartbeatIsRefreshedWhileOpen() throws InterruptedException {
        try (TrackedRun run = scope(Duration.ofMillis(20)).open(request("hindcast", RunMode.CREATE))) {
            clock.advance(Duration.ofMinutes(3));
            String expected = Long.toString(T0 + 180_000);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!expected.equals(run(run.runId()).data().tags().get(RunTags.HEARTBEAT)) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Run stored = run(run.runId());
            assertThat(stored.data().tags()).containsEntry(RunTags.HEARTBEAT, expected);
            assertThat(RunHealth.of(stored, clock.instant(), Duration.ofMinutes(2))).isEqualTo(RunHealth.ALIVE);
            assertThat(RunHealth.of(stored, clock.instant().plus(Duration.ofMinutes(5)), Duration.ofMinutes(2)))
                    .isEqualTo(RunHealth.STALE);
            run.finish();
        }
    }

    /** Polls until the run's heartbeat tag is {@code expected} (a beat has happened), at most ten seconds. */
    private void awaitHeartbeat(RunId id, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!expected.equals(run(id).data().tags().get(RunTags.HEARTBEAT)) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(run(id).data().tags()).containsEntry(RunTags.HEARTBEAT, expected);
    }

    /**
     * A run left open on purpose ({@code sweep --print-commands} leaves its parent RUNNING) or by a
     * failure: closing the scope, before the store, stops its heartbeat, so none reaches a closed
     * store (the review's "heartbeat of run ... not recorded" after the store was closed). The run
     * stays RUNNING and goes stale, as when its process ends.
     */
    @Test
    void closingTheScopeStopsTheHeartbeatOfARunLeftOpenBeforeTheStoreCloses() throws InterruptedException {
        RunScope scope = scope(Duration.ofMillis(5));
        TrackedRun run = scope.open(request("sweep", RunMode.CREATE));
        clock.advance(Duration.ofMinutes(1));
        awaitHeartbeat(run.runId(), Long.toString(T0 + 60_000));
        assertThat(scope.live.beating()).isTrue();

        scope.close();
        // close() returns once the heartbeat thread has terminated: no beat can start after it
        assertThat(scope.live.beating()).isFalse();
        assertThat(run.isOpen()).isTrue();
        assertThat(run(run.runId()).info().status()).isEqualTo(RunStatus.RUNNING);
        assertThatThrownBy(() -> scope.open(request("hindcast", RunMode.CREATE)))
                .isInstanceOfSatisfying(CropcastException.class, e -> assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.INVALID_RUN_STATE));
        scope.close();
    }

    /** The scope's runs share one heartbeat thread, which goes with the last open run (a scope never closed leaves no thread). */
    @Test
    void oneHeartbeatThreadBeatsEveryOpenRunAndGoesWithTheLast() throws InterruptedException {
        RunScope scope = scope(Duration.ofMillis(5));
        TrackedRun parent = scope.open(request("sweep", RunMode.CREATE));
        runDir = Location.local(temp.resolve("runs/child"));
        TrackedRun child = scope.open(request("hindcast", RunMode.CREATE).withParent(parent.runId()));
        clock.advance(Duration.ofMinutes(2));
        awaitHeartbeat(parent.runId(), Long.toString(T0 + 120_000));
        awaitHeartbeat(child.runId(), Long.toString(T0 + 120_000));
        assertThat(scope.live.open()).hasSize(2);

        child.finish();
        assertThat(scope.live.open()).hasSize(1);
        assertThat(scope.live.beating()).isTrue();
        parent.finish();
        assertThat(scope.live.open()).isEmpty();
        assertThat(scope.live.beating()).isFalse();
        // a later run brings the thread back
        runDir = Location.local(temp.resolve("runs/later"));
        try (TrackedRun later = scope.open(request("hindcast", RunMode.CREATE))) {
            assertThat(scope.live.beating()).isTrue();
            later.finish();
        }
        assertThat(scope.live.beating()).isFalse();
    }

    /** The one shutdown hook ends every run still open KILLED (end reason "signal"), and none that has ended. */
    @Test
    void theShutdownHookEndsEveryOpenRunKilled() {
        RunScope scope = scope();
        TrackedRun parent = scope.open(request("sweep", RunMode.CREATE));
        runDir = Location.local(temp.resolve("runs/child"));
        TrackedRun child = scope.open(request("hindcast", RunMode.CREATE).withParent(parent.runId()));
        runDir = Location.local(temp.resolve("runs/done"));
        TrackedRun done = scope.open(request("hindcast", RunMode.CREATE));
        done.finish();

        scope.live.killAllOnShutdown();

        for (TrackedRun run : List.of(parent, child)) {
            assertThat(run.isOpen()).isFalse();
            assertThat(run(run.runId()).info().status()).isEqualTo(RunStatus.KILLED);
            assertThat(run(run.runId()).data().tags()).containsEntry(RunTags.END_REASON, "signal");
        }
        assertThat(run(done.runId()).info().status()).isEqualTo(RunStatus.FINISHED);
        assertThat(scope.live.open()).isEmpty();
    }

    @Test
    void objectStoreSourceIsCopiedDirectlyToAnObjectStoreRoot() throws IOException {
        Location source = Location.of("memory://data/outputs/pred.parquet");
        memory.write(source, out -> out.write("parquet bytes".getBytes(StandardCharsets.UTF_8)));
        Location prefix = Location.of("memory://data/outputs/reference/conab-lev");
        for (String name : List.of("a.csv", "nested/b.csv")) {
            memory.write(prefix.resolve(name), out -> out.write(name.getBytes(StandardCharsets.UTF_8)));
        }
        String artifactUri = scope().run(request("hindcast", RunMode.CREATE), run -> {
            storage.calls.clear();
            run.logArtifact(source, DatasetArtifacts.DIRECTORY);
            run.logArtifact(prefix, DatasetArtifacts.referenceDirectory("conab-lev"));
            return run.artifactUri();
        });
        assertThat(artifactUri).startsWith("memory://");
        assertThat(storage.calls).noneMatch(c -> c.startsWith("stage")).anyMatch(c -> c.startsWith("copy"));
        assertThat(readArtifact(artifactUri, "datasets/pred.parquet")).isEqualTo("parquet bytes");
        assertThat(readArtifact(artifactUri, "datasets/conab-lev/conab-lev/nested/b.csv")).isEqualTo("nested/b.csv");
    }

    @Test
    void objectStoreSourceIsStagedForALocalRoot() throws IOException {
        store = new MemoryRunStore(clock, new SplittableRandom(3), temp.resolve("mlartifacts").toUri().toString());
        Location source = Location.of("memory://data/outputs/fit.parquet");
        memory.write(source, out -> out.write("fit bytes".getBytes(StandardCharsets.UTF_8)));
        String artifactUri = scope().run(request("hindcast", RunMode.CREATE), run -> {
            storage.calls.clear();
            run.logArtifact(source, DatasetArtifacts.DIRECTORY);
            return run.artifactUri();
        });
        assertThat(artifactUri).startsWith("file:");
        assertThat(storage.calls).containsExactly("stage " + source);
        assertThat(readArtifact(artifactUri, "datasets/fit.parquet")).isEqualTo("fit bytes");
    }

    @Test
    void objectStoreRunDirectory() throws IOException {
        runDir = Location.of("memory://runs/2026-11-26");
        RunId id = scope().run(request("hindcast", RunMode.CREATE), TrackedRun::runId);
        assertThat(memory.exists(runDir.resolve("config_resolved.yaml"))).isTrue();
        assertThat(memory.exists(runDir.resolve("metadata.yaml"))).isTrue();
        assertThat(run(id).data().tags()).containsEntry("run_dir", "memory://runs/2026-11-26");
        assertThat(new StorageArtifactStore(storage).list(run(id).info().artifactUri(), ""))
                .extracting(ArtifactEntry::path).containsExactly("config_resolved.yaml", "metadata.yaml");
    }

    @Test
    void aChildRunCarriesItsParentsIdAsMlflowsNestedRunTag() {
        TrackedRun parent = scope().open(request("sweep", RunMode.CREATE));
        runDir = Location.local(temp.resolve("runs/child"));
        try (TrackedRun child = scope().open(request("hindcast", RunMode.CREATE).withParent(parent.runId()))) {
            assertThat(run(child.runId()).data().tags()).containsEntry(RunTags.PARENT_RUN_ID, parent.runId().value());
            Map<String, Object> metadata = documents.read(storage, runDir.resolve("metadata.yaml"));
            assertThat(metadata).containsEntry("parent_run_id", parent.runId().value());
            child.finish();
        }
        parent.finish();
        parent.close();
    }

    @Test
    void aParentMustExistAndBelongToTheSameExperiment() {
        RunId unknown = RunId.of("0123456789abcdef0123456789abcdef");
        assertThatThrownBy(() -> scope().open(request("hindcast", RunMode.CREATE).withParent(unknown)))
                .isInstanceOfSatisfying(CropcastException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.RUN_NOT_FOUND))
                .hasMessageContaining("parent run " + unknown + " not found");
        ExperimentId other = store.getOrCreateExperiment("other").id();
        RunId elsewhere = store.createRun(new CreateRunRequest(other, "x", "alice", T0, List.of())).runId();
        assertThatThrownBy(() -> scope().open(request("hindcast", RunMode.CREATE).withParent(elsewhere)))
                .isInstanceOfSatisfying(CropcastException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("belongs to experiment " + other.value());
        assertThat(store.searchRuns(RunSearch.all(store.findExperiment("soy-brazil").orElseThrow().id()))).isEmpty();
    }
}
