package org.cropcast.tracking.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.cropcast.tracking.CreateRunRequest;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.Experiment;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.Param;
import org.cropcast.tracking.Run;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunInfo;
import org.cropcast.tracking.RunSearch;
import org.cropcast.tracking.RunStatus;
import org.cropcast.tracking.Tag;
import org.cropcast.tracking.TrackingErrorCode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The REST run store against a real {@code mlflow server}: behaviour beyond the shared contract suite. */
class MlflowRestRunStoreTest {
    private static MlflowServerProcess server;
    private static MlflowRestRunStore store;

    @BeforeAll
    static void setUp() {
        server = SharedMlflowServer.get();
        store = MlflowRestRunStore.open(server.trackingUri(), MlflowRestSettings.defaults());
    }

    private static RunInfo newRun(String experiment) {
        Experiment e = store.getOrCreateExperiment(experiment);
        return store.createRun(new CreateRunRequest(e.id(), "run", "tester", 1_700_000_000_000L, List.of(new Tag("stage", "hindcast"))));
    }

    @Test
    void splitsLargeBatchesAndKeepsEveryMetric() {
        RunInfo run = newRun("split");
        List<Metric> metrics = IntStream.range(0, 2_500).mapToObj(i -> new Metric("loss", i * 0.5, 1_700_000_000_000L + i, i)).toList();
        List<Param> params = IntStream.range(0, 250).mapToObj(i -> new Param("p" + i, "v" + i)).toList();
        List<Tag> tags = IntStream.range(0, 150).mapToObj(i -> new Tag("t" + i, "x".repeat(7_000))).toList();

        store.logBatch(run.runId(), metrics, params, tags);

        Run read = store.getRun(run.runId()).orElseThrow();
        assertThat(read.data().params()).hasSize(250).containsEntry("p249", "v249");
        assertThat(read.data().tags()).containsEntry("t149", "x".repeat(7_000)).containsEntry("stage", "hindcast");
        assertThat(read.data().latestMetrics().get("loss").value()).isEqualTo(2_499 * 0.5);
        assertThat(store.getMetricHistory(run.runId(), "loss")).hasSize(2_500).isEqualTo(metrics);
    }

    @Test
    void requestsStayWithinTheServerLimits() {
        List<Metric> metrics = IntStream.range(0, 2_001).mapToObj(i -> new Metric("m", i, 1, i)).toList();
        List<Param> params = IntStream.range(0, 101).mapToObj(i -> new Param("p" + i, "v")).toList();
        List<Tag> tags = IntStream.range(0, 300).mapToObj(i -> new Tag("t" + i, "y".repeat(7_900))).toList();
        var requests = MlflowRestBatches.split("r", metrics, params, tags);
        for (var request : requests) {
            assertThat(request.getMetricsCount()).isLessThanOrEqualTo(1_000);
            assertThat(request.getParamsCount()).isLessThanOrEqualTo(100);
            assertThat(request.getTagsCount()).isLessThanOrEqualTo(100);
            assertThat(request.getMetricsCount() + request.getParamsCount() + request.getTagsCount()).isLessThanOrEqualTo(1_000);
            assertThat(MlflowRestClient.toJson(request).length()).isLessThan(1_000_000);
        }
        assertThat(requests.stream().mapToInt(r -> r.getMetricsCount()).sum()).isEqualTo(2_001);
        assertThat(requests.stream().mapToInt(r -> r.getTagsCount()).sum()).isEqualTo(300);
        assertThat(requests.get(0).getParamsCount()).isEqualTo(100);
    }

    @Test
    void aParamConflictInALaterRequestWritesNothing() {
        RunInfo run = newRun("conflict");
        store.logBatch(run.runId(), List.of(), List.of(new Param("p150", "old")), List.of());
        List<Param> params = IntStream.range(0, 200).mapToObj(i -> new Param("p" + i, "new")).toList();
        List<Metric> metrics = List.of(new Metric("m", 1, 1, 0));

        assertThatThrownBy(() -> store.logBatch(run.runId(), metrics, params, List.of()))
                .isInstanceOfSatisfying(CropcastException.class, e -> assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.PARAM_CONFLICT))
                .hasMessageContaining("p150");
        Run read = store.getRun(run.runId()).orElseThrow();
        assertThat(read.data().params()).containsOnlyKeys("p150");
        assertThat(read.data().latestMetrics()).isEmpty();
    }

    @Test
    void retriedBatchesAreIdempotent() {
        RunInfo run = newRun("idempotent");
        List<Metric> metrics = List.of(new Metric("m", 1.5, 10, 1), new Metric("m", 2.5, 11, 2));
        store.logBatch(run.runId(), metrics, List.of(new Param("p", "v")), List.of(new Tag("t", "1")));
        store.logBatch(run.runId(), metrics, List.of(new Param("p", "v")), List.of(new Tag("t", "1")));
        assertThat(store.getMetricHistory(run.runId(), "m")).isEqualTo(metrics);
    }

    @Test
    void nanAndInfinitiesSurviveTheRoundTrip() {
        RunInfo run = newRun("nan");
        store.logBatch(run.runId(), List.of(new Metric("a", Double.NaN, 1, 0), new Metric("b", Double.POSITIVE_INFINITY, 1, 0),
                new Metric("c", Double.NEGATIVE_INFINITY, 1, 0)), List.of(), List.of());
        Map<String, Metric> latest = store.getRun(run.runId()).orElseThrow().data().latestMetrics();
        assertThat(latest.get("a").value()).isNaN();
        assertThat(latest.get("b").value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(latest.get("c").value()).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void lifecycleEndReopenSearchDelete() {
        RunInfo run = newRun("lifecycle");
        store.endRun(run.runId(), RunStatus.FAILED, 1_700_000_000_500L);
        Run ended = store.getRun(run.runId()).orElseThrow();
        assertThat(ended.info().status()).isEqualTo(RunStatus.FAILED);
        assertThat(ended.info().endTimeMillis()).contains(1_700_000_000_500L);
        assertThat(ended.info().artifactUri()).startsWith("mlflow-artifacts:/").endsWith(run.runId() + "/artifacts");

        assertThat(store.reopenRun(run.runId()).status()).isEqualTo(RunStatus.RUNNING);
        assertThat(store.searchRuns(new RunSearch(run.experimentId(), Optional.of(RunStatus.RUNNING), 10)))
                .extracting(Run::id).contains(run.runId());

        store.deleteRun(run.runId());
        assertThat(store.searchRuns(RunSearch.all(run.experimentId()))).extracting(Run::id).doesNotContain(run.runId());
        assertThatThrownBy(() -> store.logBatch(run.runId(), List.of(new Metric("m", 1, 1, 0)), List.of(), List.of()))
                .isInstanceOfSatisfying(CropcastException.class, e -> assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.INVALID_RUN_STATE));
    }

    @Test
    void unknownRunsAndExperiments() {
        RunId missing = RunId.of("0123456789abcdef0123456789abcdef");
        assertThat(store.getRun(missing)).isEmpty();
        assertThat(store.findExperiment("no-such-experiment-" + System.nanoTime())).isEmpty();
        assertThatThrownBy(() -> store.endRun(missing, RunStatus.FINISHED, 1))
                .isInstanceOfSatisfying(CropcastException.class, e -> assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.RUN_NOT_FOUND));
        assertThatThrownBy(() -> store.getMetricHistory(missing, "m"))
                .isInstanceOfSatisfying(CropcastException.class, e -> assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.RUN_NOT_FOUND));
        assertThatThrownBy(() -> store.createRun(new CreateRunRequest(org.cropcast.tracking.ExperimentId.of("987654"), "r", "u", 1, List.of())))
                .isInstanceOfSatisfying(CropcastException.class, e -> assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.EXPERIMENT_NOT_FOUND));
    }

    @Test
    void searchPagesThroughManyRuns() {
        Experiment e = store.getOrCreateExperiment("many");
        List<RunId> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(store.createRun(new CreateRunRequest(e.id(), "r" + i, "u", 1_000L + i, List.of())).runId());
        }
        List<Run> found = store.searchRuns(new RunSearch(e.id(), Optional.empty(), 25));
        assertThat(found).hasSize(25);
        assertThat(found.get(0).id()).isEqualTo(ids.get(29));
        assertThat(store.listExperiments()).extracting(Experiment::name).contains("Default", "many");
    }
}
