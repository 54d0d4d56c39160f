package org.cropcast.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link RunStore} keeps (MLflow's semantics). Shipped in core's test-jar; an
 * adapter's test extends it and implements {@link #createStore()}. Backend-specific set-up goes in
 * the overridable hooks ({@link #openSecondStore()}, {@link #concurrentCreators()}); the
 * assertions themselves are the contract and are not meant to be relaxed.
 */
public abstract class AbstractRunStoreContractTest {
    protected static final long T0 = 1_700_000_000_000L;

    protected RunStore store;

    /** A store over a fresh, empty backend. Closed after each test. */
    protected abstract RunStore createStore();

    /**
     * Another store over the same backend as {@link #store} (another connection, client or
     * process-like handle) for the concurrent get-or-create test. The default is the same store.
     */
    protected RunStore openSecondStore() {
        return store;
    }

    /** How many threads race to create one experiment. */
    protected int concurrentCreators() {
        return 8;
    }

    @BeforeEach
    public final void createStoreUnderTest() {
        store = createStore();
    }

    @AfterEach
    public final void closeStoreUnderTest() {
        store.close();
    }

    protected static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected ExperimentId newExperiment() {
        return store.getOrCreateExperiment(uniqueName("exp")).id();
    }

    protected RunInfo newRun(ExperimentId experiment) {
        return newRun(experiment, T0);
    }

    protected RunInfo newRun(ExperimentId experiment, long startTime) {
        return store.createRun(new CreateRunRequest(experiment, uniqueName("run"), "alice", startTime, List.of()));
    }

    protected Run run(RunId id) {
        return store.getRun(id).orElseThrow(() -> new AssertionError("run " + id + " not found"));
    }

    protected static void assertFails(ThrowingCallable call, TrackingErrorCode code, String... messageParts) {
        CropcastAssertions.assertFails(call, code, messageParts);
    }

    // ---- experiments

    @Test
    public void getOrCreateExperimentCreatesOnceAndFindsIt() {
        String name = uniqueName("exp");
        assertThat(store.findExperiment(name)).isEmpty();
        Experiment created = store.getOrCreateExperiment(name);
        assertThat(created.name()).isEqualTo(name);
        assertThat(created.lifecycleStage()).isEqualTo(LifecycleStage.ACTIVE);
        assertThat(created.artifactLocation()).isNotBlank();
        assertThat(store.getOrCreateExperiment(name)).isEqualTo(created);
        assertThat(store.findExperiment(name)).contains(created);
        assertThat(store.getExperiment(created.id())).contains(created);
        assertThat(store.listExperiments()).contains(created);
    }

    @Test
    public void distinctExperimentsGetDistinctIds() {
        Experiment a = store.getOrCreateExperiment(uniqueName("a"));
        Experiment b = store.getOrCreateExperiment(uniqueName("b"));
        assertThat(a.id()).isNotEqualTo(b.id());
    }

    @Test
    public void missingExperimentIsEmpty() {
        assertThat(store.findExperiment(uniqueName("nope"))).isEmpty();
        assertThat(store.getExperiment(ExperimentId.of("987654321"))).isEmpty();
    }

    @Test
    public void blankExperimentNameIsRejected() {
        assertFails(() -> store.getOrCreateExperiment(""), TrackingErrorCode.INVALID_ARGUMENT, "experiment name");
    }

    @Test
    public void concurrentGetOrCreateGivesOneExperiment() throws Exception {
        String name = uniqueName("race");
        int threads = concurrentCreators();
        RunStore second = openSecondStore();
        try {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<ExperimentId>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                RunStore s = i % 2 == 0 ? store : second;
                Callable<ExperimentId> task = () -> {
                    start.await();
                    return s.getOrCreateExperiment(name).id();
                };
                results.add(pool.submit(task));
            }
            start.countDown();
            Set<ExperimentId> ids = new java.util.HashSet<>();
            for (Future<ExperimentId> f : results) {
                ids.add(f.get(60, TimeUnit.SECONDS));
            }
            pool.shutdown();
            assertThat(ids).hasSize(1);
            assertThat(store.listExperiments().stream().filter(e -> e.name().equals(name))).hasSize(1);
        } finally {
            if (second != store) {
                second.close();
            }
        }
    }

    // ---- run lifecycle

    @Test
    public void createRunStartsRunningWithMlflowId() {
        ExperimentId experiment = newExperiment();
        RunInfo info = store.createRun(new CreateRunRequest(experiment, "my-run", "alice", T0,
                List.of(new Tag("stage", "hindcast"))));
        assertThat(info.runId().value()).matches("[0-9a-f]{32}");
        assertThat(info.experimentId()).isEqualTo(experiment);
        assertThat(info.runName()).isEqualTo("my-run");
        assertThat(info.userId()).isEqualTo("alice");
        assertThat(info.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(info.startTimeMillis()).isEqualTo(T0);
        assertThat(info.endTimeMillis()).isEmpty();
        assertThat(info.lifecycleStage()).isEqualTo(LifecycleStage.ACTIVE);
        assertThat(info.artifactUri()).isNotBlank().contains(info.runId().value());

        Run run = run(info.runId());
        assertThat(run.info()).isEqualTo(info);
        assertThat(run.data().tags())
                .containsEntry("stage", "hindcast")
                .containsEntry("mlflow.runName", "my-run")
                .containsEntry("mlflow.user", "alice");
    }

    @Test
    public void runIdsAreDistinct() {
        ExperimentId experiment = newExperiment();
        Set<RunId> ids = IntStream.range(0, 20).mapToObj(i -> newRun(experiment).runId()).collect(Collectors.toSet());
        assertThat(ids).hasSize(20);
    }

    @Test
    public void createRunInMissingExperimentFails() {
        assertFails(() -> store.createRun(new CreateRunRequest(ExperimentId.of("987654321"), "r", "u", T0, List.of())),
                TrackingErrorCode.EXPERIMENT_NOT_FOUND, "987654321");
    }

    @Test
    public void endRunRecordsEachTerminalStatus() {
        ExperimentId experiment = newExperiment();
        for (RunStatus status : List.of(RunStatus.FINISHED, RunStatus.FAILED, RunStatus.KILLED)) {
            RunId id = newRun(experiment).runId();
            store.endRun(id, status, T0 + 5_000);
            RunInfo info = run(id).info();
            assertThat(info.status()).isEqualTo(status);
            assertThat(info.endTimeMillis()).contains(T0 + 5_000);
        }
    }

    @Test
    public void endRunWithNonTerminalStatusIsRejected() {
        RunId id = newRun(newExperiment()).runId();
        assertFails(() -> store.endRun(id, RunStatus.RUNNING, T0), TrackingErrorCode.INVALID_ARGUMENT, "RUNNING");
        assertThat(run(id).info().status()).isEqualTo(RunStatus.RUNNING);
    }

    /** Resume: status back to RUNNING; as in MLflow's start_run(run_id=...), the end time is kept, data too. */
    @Test
    public void reopenRunSetsRunningAndKeepsData() {
        RunId id = newRun(newExperiment()).runId();
        store.logBatch(id, List.of(new Metric("m", 1.0, T0, 0)), List.of(new Param("p", "1")), List.of(new Tag("t", "v")));
        store.endRun(id, RunStatus.FINISHED, T0 + 1_000);
        RunInfo reopened = store.reopenRun(id);
        assertThat(reopened.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(reopened.runId()).isEqualTo(id);
        Run run = run(id);
        assertThat(run.info().status()).isEqualTo(RunStatus.RUNNING);
        assertThat(run.info().endTimeMillis()).contains(T0 + 1_000);
        assertThat(run.data().params()).containsEntry("p", "1");
        assertThat(run.data().tags()).containsEntry("t", "v");
        assertThat(run.data().latestMetrics()).containsKey("m");
        store.endRun(id, RunStatus.KILLED, T0 + 2_000);
        assertThat(run(id).info().status()).isEqualTo(RunStatus.KILLED);
        assertThat(run(id).info().endTimeMillis()).contains(T0 + 2_000);
    }

    @Test
    public void missingRunIsEmptyOrRunNotFound() {
        RunId missing = RunId.of("0123456789abcdef0123456789abcdef");
        assertThat(store.getRun(missing)).isEmpty();
        assertFails(() -> store.reopenRun(missing), TrackingErrorCode.RUN_NOT_FOUND, missing.value());
        assertFails(() -> store.endRun(missing, RunStatus.FINISHED, T0), TrackingErrorCode.RUN_NOT_FOUND, missing.value());
        assertFails(() -> store.logBatch(missing, List.of(), List.of(new Param("p", "1")), List.of()),
                TrackingErrorCode.RUN_NOT_FOUND, missing.value());
        assertFails(() -> store.deleteRun(missing), TrackingErrorCode.RUN_NOT_FOUND, missing.value());
        assertFails(() -> store.getMetricHistory(missing, "m"), TrackingErrorCode.RUN_NOT_FOUND, missing.value());
    }

    @Test
    public void deletedRunIsHiddenFromSearchAndCannotBeWritten() {
        ExperimentId experiment = newExperiment();
        RunId kept = newRun(experiment).runId();
        RunId deleted = newRun(experiment).runId();
        store.deleteRun(deleted);
        assertThat(run(deleted).info().lifecycleStage()).isEqualTo(LifecycleStage.DELETED);
        assertThat(store.searchRuns(RunSearch.all(experiment))).extracting(Run::id).containsExactly(kept);
        assertFails(() -> store.reopenRun(deleted), TrackingErrorCode.INVALID_RUN_STATE, deleted.value());
        assertFails(() -> store.logBatch(deleted, List.of(), List.of(), List.of(new Tag("t", "v"))),
                TrackingErrorCode.INVALID_RUN_STATE, deleted.value());
    }

    // ---- logBatch: params

    @Test
    public void paramsAreWriteOnceWithConflictBeforeAnyWrite() {
        RunId id = newRun(newExperiment()).runId();
        store.logBatch(id, List.of(), List.of(new Param("alpha", "0.5")), List.of());
        assertFails(() -> store.logBatch(id,
                        List.of(new Metric("rmse", 1.5, T0, 0)),
                        List.of(new Param("beta", "2"), new Param("alpha", "0.75")),
                        List.of(new Tag("note", "x"))),
                TrackingErrorCode.PARAM_CONFLICT, "alpha", "0.5", "0.75");
        Run run = run(id);
        assertThat(run.data().params()).containsExactlyEntriesOf(Map.of("alpha", "0.5"));
        assertThat(run.data().tags()).doesNotContainKey("note");
        assertThat(run.data().latestMetrics()).isEmpty();
        assertThat(store.getMetricHistory(id, "rmse")).isEmpty();
    }

    @Test
    public void relogIdenticalParamIsNoOp() {
        RunId id = newRun(newExperiment()).runId();
        store.logBatch(id, List.of(), List.of(new Param("alpha", "0.5")), List.of());
        store.logBatch(id, List.of(), List.of(new Param("alpha", "0.5"), new Param("beta", "1")), List.of());
        assertThat(run(id).data().params()).containsExactlyInAnyOrderEntriesOf(Map.of("alpha", "0.5", "beta", "1"));
    }

    @Test
    public void duplicateParamKeysInOneBatchAreRejected() {
        RunId id = newRun(newExperiment()).runId();
        assertFails(() -> store.logBatch(id, List.of(), List.of(new Param("k", "1"), new Param("k", "2")), List.of()),
                TrackingErrorCode.INVALID_ARGUMENT, "k");
        assertThat(run(id).data().params()).isEmpty();
    }

    @Test
    public void batchIsAllOrNothingOnInvalidKey() {
        RunId id = newRun(newExperiment()).runId();
        assertFails(() -> store.logBatch(id,
                        List.of(new Metric("good_metric", 1, T0, 0)),
                        List.of(new Param("good_param", "1")),
                        List.of(new Tag("good_tag", "1"), new Tag("bad!tag", "1"))),
                TrackingErrorCode.INVALID_KEY, "bad!tag");
        Run run = run(id);
        assertThat(run.data().params()).isEmpty();
        assertThat(run.data().tags()).doesNotContainKeys("good_tag", "bad!tag");
        assertThat(run.data().latestMetrics()).isEmpty();
    }

    @Test
    public void invalidKeysAreRejected() {
        RunId id = newRun(newExperiment()).runId();
        List<String> bad = List.of("", "bad!key", "semi;colon", "a//b", "/abs", "../up", "a/../b", "./a", "a/", "..",
                "tab\tkey", "nul\0key", "x".repeat(TrackingLimits.MAX_KEY_LENGTH + 1));
        for (String key : bad) {
            assertFails(() -> store.logBatch(id, List.of(), List.of(new Param(key, "v")), List.of()), TrackingErrorCode.INVALID_KEY);
            assertFails(() -> store.logBatch(id, List.of(), List.of(), List.of(new Tag(key, "v"))), TrackingErrorCode.INVALID_KEY);
            assertFails(() -> store.logBatch(id, List.of(new Metric(key, 1, T0, 0)), List.of(), List.of()), TrackingErrorCode.INVALID_KEY);
        }
        assertThat(run(id).data().params()).isEmpty();
    }

    @Test
    public void validKeysAtTheLimitsAreAccepted() {
        RunId id = newRun(newExperiment()).runId();
        String longKey = "k".repeat(TrackingLimits.MAX_KEY_LENGTH);
        store.logBatch(id, List.of(new Metric("fold 1/rmse-x.y_z", 1, T0, 0)),
                List.of(new Param("hindcast/random_seed", "42"), new Param(longKey, "v")),
                List.of(new Tag("a.b-c d/e_f", "v")));
        Run run = run(id);
        assertThat(run.data().params()).containsEntry("hindcast/random_seed", "42").containsEntry(longKey, "v");
        assertThat(run.data().tags()).containsEntry("a.b-c d/e_f", "v");
        assertThat(run.data().latestMetrics()).containsKey("fold 1/rmse-x.y_z");
    }

    /** Over-long values are errors naming the key, never truncated (see {@link TrackingLimits}). */
    @Test
    public void valueLengthLimits() {
        RunId id = newRun(newExperiment()).runId();
        String param6000 = "p".repeat(TrackingLimits.MAX_PARAM_VALUE_LENGTH);
        String tag8000 = "t".repeat(TrackingLimits.MAX_TAG_VALUE_LENGTH);
        store.logBatch(id, List.of(), List.of(new Param("long_param", param6000)), List.of(new Tag("long_tag", tag8000)));
        assertFails(() -> store.logBatch(id, List.of(), List.of(new Param("too_long_param", param6000 + "x")), List.of()),
                TrackingErrorCode.VALUE_TOO_LONG, "too_long_param", "6000");
        assertFails(() -> store.logBatch(id, List.of(), List.of(), List.of(new Tag("too_long_tag", tag8000 + "x"))),
                TrackingErrorCode.VALUE_TOO_LONG, "too_long_tag", "8000");
        Run run = run(id);
        assertThat(run.data().params()).containsEntry("long_param", param6000).doesNotContainKey("too_long_param");
        assertThat(run.data().tags()).containsEntry("long_tag", tag8000).doesNotContainKey("too_long_tag");
    }

    @Test
    public void unicodeValuesRoundTrip() {
        RunId id = newRun(newExperiment()).runId();
        store.logBatch(id, List.of(), List.of(new Param("region", "São Paulo – Mato Grosso 🌽")),
                List.of(new Tag("note", "ünïcödé\nline two")));
        Run run = run(id);
        assertThat(run.data().params()).containsEntry("region", "São Paulo – Mato Grosso 🌽");
        assertThat(run.data().tags()).containsEntry("note", "ünïcödé\nline two");
    }

    // ---- logBatch: tags

    @Test
    public void laterTagValuesReplaceEarlierOnes() {
        RunId id = newRun(newExperiment()).runId();
        store.logBatch(id, List.of(), List.of(), List.of(new Tag("t", "1")));
        store.logBatch(id, List.of(), List.of(), List.of(new Tag("t", "2")));
        assertThat(run(id).data().tags()).containsEntry("t", "2");
    }

    // ---- logBatch: metrics

    @Test
    public void nanAndInfinityRoundTrip() {
        RunId id = newRun(newExperiment()).runId();
        store.logBatch(id, List.of(
                new Metric("nan", Double.NaN, T0, 0),
                new Metric("pinf", Double.POSITIVE_INFINITY, T0, 0),
                new Metric("ninf", Double.NEGATIVE_INFINITY, T0, 0),
                new Metric("tiny", -0.0, T0, 0)), List.of(), List.of());
        Map<String, Metric> latest = run(id).data().latestMetrics();
        assertThat(latest.get("nan").value()).isNaN();
        assertThat(latest.get("pinf").value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(latest.get("ninf").value()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(store.getMetricHistory(id, "nan")).singleElement().satisfies(m -> assertThat(m.value()).isNaN());
        assertThat(store.getMetricHistory(id, "pinf")).singleElement()
                .satisfies(m -> assertThat(m.value()).isEqualTo(Double.POSITIVE_INFINITY));
        assertThat(store.getMetricHistory(id, "ninf")).singleElement()
                .satisfies(m -> assertThat(m.value()).isEqualTo(Double.NEGATIVE_INFINITY));
    }

    @Test
    public void negativeMetricTimestampIsRejected() {
        RunId id = newRun(newExperiment()).runId();
        assertFails(() -> store.logBatch(id, List.of(new Metric("m", 1, -1, 0)), List.of(), List.of()),
                TrackingErrorCode.INVALID_ARGUMENT, "m");
        assertThat(store.getMetricHistory(id, "m")).isEmpty();
    }

    @Test
    public void duplicateMetricRowsAreIgnored() {
        RunId id = newRun(newExperiment()).runId();
        Metric m = new Metric("loss", 0.25, T0, 3);
        store.logBatch(id, List.of(m, m), List.of(), List.of());
        store.logBatch(id, List.of(m), List.of(), List.of());
        assertThat(store.getMetricHistory(id, "loss")).containsExactly(m);
    }

    @Test
    public void latestMetricIsMaxStepThenTimestampThenValue() {
        RunId id = newRun(newExperiment()).runId();
        store.logBatch(id, List.of(
                new Metric("by_step", 1.0, T0 + 100, 0),
                new Metric("by_step", 2.0, T0 + 50, 2),
                new Metric("by_step", 3.0, T0 + 200, 1),
                new Metric("by_time", 7.0, T0 + 300, 5),
                new Metric("by_time", 8.0, T0 + 100, 5),
                new Metric("by_value", 4.0, T0, 9),
                new Metric("by_value", 6.0, T0, 9),
                new Metric("by_value", 5.0, T0, 9)), List.of(), List.of());
        // later batches with older rows must not replace the latest
        store.logBatch(id, List.of(new Metric("by_step", 9.0, T0 + 999, 1)), List.of(), List.of());
        Map<String, Metric> latest = run(id).data().latestMetrics();
        assertThat(latest.get("by_step")).isEqualTo(new Metric("by_step", 2.0, T0 + 50, 2));
        assertThat(latest.get("by_time")).isEqualTo(new Metric("by_time", 7.0, T0 + 300, 5));
        assertThat(latest.get("by_value")).isEqualTo(new Metric("by_value", 6.0, T0, 9));
    }

    @Test
    public void metricHistoryIsOrderedByStepThenTimestamp() {
        RunId id = newRun(newExperiment()).runId();
        List<Metric> logged = List.of(
                new Metric("h", 3.0, T0 + 10, 2),
                new Metric("h", 1.0, T0 + 30, 0),
                new Metric("h", 2.0, T0 + 20, 1),
                new Metric("h", 4.0, T0 + 5, 2),
                new Metric("other", 9.0, T0, 0));
        store.logBatch(id, logged, List.of(), List.of());
        assertThat(store.getMetricHistory(id, "h")).containsExactly(
                new Metric("h", 1.0, T0 + 30, 0),
                new Metric("h", 2.0, T0 + 20, 1),
                new Metric("h", 4.0, T0 + 5, 2),
                new Metric("h", 3.0, T0 + 10, 2));
        assertThat(store.getMetricHistory(id, "missing")).isEmpty();
    }

    @Test
    public void allMetricHistoriesAtOnceEqualEachKeysHistory() {
        RunId id = newRun(newExperiment()).runId();
        store.logBatch(id, List.of(
                new Metric("h", 3.0, T0 + 10, 2),
                new Metric("h", 1.0, T0 + 30, 0),
                new Metric("a", Double.NaN, T0 + 1, 0),
                new Metric("a", Double.POSITIVE_INFINITY, T0 + 2, 1),
                new Metric("z/deep", -1.0, T0, -4)), List.of(), List.of());
        var histories = store.getMetricHistories(id);
        assertThat(histories.keySet()).containsExactly("a", "h", "z/deep");
        for (String key : histories.keySet()) {
            assertThat(histories.get(key)).as(key).isEqualTo(store.getMetricHistory(id, key));
        }
        assertThat(store.getMetricHistories(newRun(newExperiment()).runId())).isEmpty();
        RunId missing = RunId.of("0123456789abcdef0123456789abcdef");
        assertFails(() -> store.getMetricHistories(missing), TrackingErrorCode.RUN_NOT_FOUND, missing.value());

        var sizes = store.getMetricHistorySizes(id);
        assertThat(sizes.keySet()).containsExactlyElementsOf(histories.keySet());
        histories.forEach((key, history) -> assertThat(sizes.get(key)).as(key).isEqualTo((long) history.size()));
        store.logBatch(id, List.of(new Metric("a", 7.0, T0 + 9, 0)), List.of(), List.of());
        assertThat(store.getMetricHistorySizes(id).get("a")).as("a row added to a history grows its size")
                .isEqualTo(histories.get("a").size() + 1L);
        assertThat(store.getMetricHistorySizes(newRun(newExperiment()).runId())).isEmpty();
        assertFails(() -> store.getMetricHistorySizes(missing), TrackingErrorCode.RUN_NOT_FOUND, missing.value());
    }

    @Test
    public void largeBatchesAreAcceptedWhole() {
        RunId id = newRun(newExperiment()).runId();
        List<Metric> metrics = IntStream.range(0, 2_500).mapToObj(i -> new Metric("series", i, T0 + i, i)).toList();
        List<Param> params = IntStream.range(0, 250).mapToObj(i -> new Param("p" + i, Integer.toString(i))).toList();
        List<Tag> tags = IntStream.range(0, 250).mapToObj(i -> new Tag("t" + i, Integer.toString(i))).toList();
        store.logBatch(id, metrics, params, tags);
        Run run = run(id);
        assertThat(store.getMetricHistory(id, "series")).hasSize(2_500);
        assertThat(run.data().params()).hasSize(250);
        assertThat(run.data().tags()).containsKeys("t0", "t249");
        assertThat(run.data().latestMetrics().get("series").value()).isEqualTo(2_499.0);
    }

    // ---- search

    @Test
    public void searchIsNewestFirstWithStatusFilter() {
        ExperimentId experiment = newExperiment();
        ExperimentId other = newExperiment();
        RunId oldest = newRun(experiment, T0).runId();
        RunId middle = newRun(experiment, T0 + 1_000).runId();
        RunId newest = newRun(experiment, T0 + 2_000).runId();
        newRun(other, T0 + 5_000);
        store.endRun(middle, RunStatus.FINISHED, T0 + 3_000);
        store.endRun(oldest, RunStatus.FAILED, T0 + 3_000);

        assertThat(store.searchRuns(RunSearch.all(experiment))).extracting(Run::id).containsExactly(newest, middle, oldest);
        assertThat(store.searchRuns(new RunSearch(experiment, Optional.of(RunStatus.FINISHED), 10)))
                .extracting(Run::id).containsExactly(middle);
        assertThat(store.searchRuns(new RunSearch(experiment, Optional.of(RunStatus.RUNNING), 10)))
                .extracting(Run::id).containsExactly(newest);
        assertThat(store.searchRuns(new RunSearch(experiment, Optional.empty(), 2)))
                .extracting(Run::id).containsExactly(newest, middle);
    }

    @Test
    public void searchReturnsRunData() {
        ExperimentId experiment = newExperiment();
        RunId id = newRun(experiment).runId();
        store.logBatch(id, List.of(new Metric("m", 2.5, T0, 1)), List.of(new Param("p", "v")), List.of(new Tag("t", "x")));
        Run found = store.searchRuns(RunSearch.all(experiment)).get(0);
        assertThat(found.data().params()).containsEntry("p", "v");
        assertThat(found.data().tags()).containsEntry("t", "x").containsEntry("mlflow.user", "alice");
        assertThat(found.data().latestMetrics().get("m").value()).isEqualTo(2.5);
    }
}
