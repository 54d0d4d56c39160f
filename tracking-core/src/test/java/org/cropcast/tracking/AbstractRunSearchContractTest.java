package org.cropcast.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link RunStore#searchRuns} with a filter and order-by in MLflow's grammar: every
 * store returns the same runs in the same order, MLflow's (its SQL store's). Shipped in core's
 * test-jar; an adapter's test extends it. The fixture has five runs whose metrics, params and tags
 * exercise missing values, NaN, infinity, letter case and LIKE wildcards, and one deleted run that
 * matches everything and is never returned.
 */
public abstract class AbstractRunSearchContractTest {
    protected static final long T0 = 1_700_000_000_000L;

    protected RunStore store;
    private ExperimentId experiment;
    private RunId r1;
    private RunId r2;
    private RunId r3;
    private RunId r4;
    private RunId r5;

    /** A store over a fresh or shared backend (each test uses an experiment of its own). Closed after each test. */
    protected abstract RunStore createStore();

    @BeforeEach
    public final void createRuns() {
        store = createStore();
        experiment = store.getOrCreateExperiment("search-" + UUID.randomUUID().toString().substring(0, 8)).id();
        r1 = run("alpha-run", 1, RunStatus.FINISHED, List.of(metric("rmse", 0.5), metric("acc", 0.9)),
                List.of(new Param("detrend", "linear"), new Param("hindcast/alpha", "0.1")), List.of(new Tag("team", "Crops")));
        r2 = run("beta-run", 2, RunStatus.FINISHED, List.of(metric("rmse", 1.5)),
                List.of(new Param("detrend", "quadratic"), new Param("hindcast/alpha", "1.0")), List.of(new Tag("team", "crops")));
        r3 = run("gamma", 3, RunStatus.FAILED, List.of(metric("rmse", Double.NaN)), List.of(new Param("detrend", "Linear")), List.of());
        r4 = run("delta", 4, null, List.of(), List.of(new Param("detrend", "none")), List.of(new Tag("team", "CROPS_X")));
        r5 = run("epsilon", 5, RunStatus.KILLED, List.of(metric("rmse", Double.POSITIVE_INFINITY)), List.of(), List.of());
        RunId deleted = run("alpha-run", 6, RunStatus.FINISHED, List.of(metric("rmse", 0.1)),
                List.of(new Param("detrend", "linear")), List.of(new Tag("team", "Crops")));
        store.deleteRun(deleted);
    }

    @AfterEach
    public final void closeStore() {
        store.close();
    }

    private RunId run(String name, int second, RunStatus end, List<Metric> metrics, List<Param> params, List<Tag> tags) {
        RunId id = store.createRun(new CreateRunRequest(experiment, name, "alice", T0 + second * 1000L, List.of())).runId();
        store.logBatch(id, metrics, params, tags);
        if (end != null) {
            store.endRun(id, end, T0 + second * 1000L + 500);
        }
        return id;
    }

    private static Metric metric(String key, double value) {
        return new Metric(key, value, T0, 0);
    }

    private List<RunId> search(String filter, String... orderBy) {
        RunSearch search = RunSearch.all(experiment).withFilter(RunFilter.parse(filter)).withOrderBy(RunOrder.parseAll(List.of(orderBy)));
        return store.searchRuns(search).stream().map(Run::id).toList();
    }

    @Test
    public void noFilterIsEveryActiveRunNewestFirst() {
        assertThat(search("")).containsExactly(r5, r4, r3, r2, r1);
    }

    @Test
    public void metricComparisonsUseTheLatestValueAndSkipRunsWithoutTheMetric() {
        assertThat(search("metrics.rmse < 1")).containsExactly(r1);
        assertThat(search("metrics.rmse > 1")).containsExactly(r5, r2);
        assertThat(search("metrics.rmse >= 1.5 and metrics.rmse <= 1.5")).containsExactly(r2);
        assertThat(search("metrics.rmse = 0.5")).containsExactly(r1);
        assertThat(search("metrics.acc > -1")).containsExactly(r1);
    }

    @Test
    public void nanSatisfiesOnlyNotEqualAndInfinityIsTheLargestDouble() {
        assertThat(search("metrics.rmse != 1.5")).containsExactly(r5, r3, r1);
        assertThat(search("metrics.rmse = 1.7976931348623157e308")).containsExactly(r5);
        assertThat(search("metrics.rmse < 1e400")).containsExactly(r5, r2, r1);
    }

    @Test
    public void paramsCompareCaseSensitivelyAndOnlyWhenPresent() {
        assertThat(search("params.detrend = 'linear'")).containsExactly(r1);
        assertThat(search("params.detrend = \"Linear\"")).containsExactly(r3);
        assertThat(search("params.detrend != 'linear'")).containsExactly(r4, r3, r2);
        assertThat(search("params.`hindcast/alpha` = '0.1'")).containsExactly(r1);
        assertThat(search("param.\"hindcast/alpha\" = '1.0'")).containsExactly(r2);
    }

    @Test
    public void likeIsCaseSensitiveIlikeIsNotAndUnderscoreIsOneCharacter() {
        assertThat(search("params.detrend LIKE 'lin%'")).containsExactly(r1);
        assertThat(search("params.detrend ilike 'LIN%'")).containsExactly(r3, r1);
        assertThat(search("tags.team LIKE 'crops'")).containsExactly(r2);
        assertThat(search("tags.team LIKE 'Crop_'")).containsExactly(r1);
        assertThat(search("tags.team LIKE 'CROPS_X'")).containsExactly(r4);
        assertThat(search("tags.team ILIKE '%crops%'")).containsExactly(r4, r2, r1);
        assertThat(search("tags.team LIKE '%*%'")).isEmpty();
    }

    @Test
    public void isNullTellsMissingTagsAndParams() {
        assertThat(search("tags.team IS NULL")).containsExactly(r5, r3);
        assertThat(search("tags.team is not null")).containsExactly(r4, r2, r1);
        assertThat(search("params.detrend IS NULL")).containsExactly(r5);
    }

    @Test
    public void attributes() {
        assertThat(search("attributes.status = 'FINISHED'")).containsExactly(r2, r1);
        assertThat(search("status != 'FINISHED'")).containsExactly(r5, r4, r3);
        assertThat(search("attributes.status = 'finished'")).isEmpty();
        assertThat(search("attributes.run_name = 'alpha-run'")).containsExactly(r1);
        assertThat(search("run_name LIKE '%-run'")).containsExactly(r2, r1);
        assertThat(search("`Run Name` = 'gamma'")).containsExactly(r3);
        assertThat(search("attributes.user_id = 'alice'")).hasSize(5);
        assertThat(search("attributes.run_id = '" + r4.value() + "'")).containsExactly(r4);
        assertThat(search("attributes.run_id IN ('" + r1.value() + "', '" + r3.value() + "')")).containsExactly(r3, r1);
        assertThat(search("run_id NOT IN ('" + r1.value() + "', '" + r3.value() + "',)")).containsExactly(r5, r4, r2);
    }

    @Test
    public void timeAttributesCompareNumbersAndAMissingEndTimeMatchesNothing() {
        assertThat(search("attributes.start_time >= " + (T0 + 3000))).containsExactly(r5, r4, r3);
        assertThat(search("created < " + (T0 + 2000))).containsExactly(r1);
        assertThat(search("attributes.start_time < " + (T0 + 2000) + ".5")).containsExactly(r2, r1);
        assertThat(search("attributes.end_time > 0")).containsExactly(r5, r3, r2, r1);
        assertThat(search("attributes.end_time != 0")).containsExactly(r5, r3, r2, r1);
    }

    @Test
    public void comparisonsAreAllRequiredAndCombineWithTheStatus() {
        assertThat(search("metrics.rmse < 2 and params.detrend ILIKE 'l%' and attributes.status = 'FINISHED'")).containsExactly(r1);
        assertThat(search("metrics.rmse < 2 AND metrics.rmse > 1")).containsExactly(r2);
        RunSearch failed = new RunSearch(experiment, Optional.of(RunStatus.FAILED), 10).withFilter(RunFilter.parse("params.detrend ILIKE 'l%'"));
        assertThat(store.searchRuns(failed)).extracting(Run::id).containsExactly(r3);
    }

    @Test
    public void runsHaveNoDatasetsSoDatasetComparisonsMatchNothing() {
        assertThat(search("datasets.name = 'yields'")).isEmpty();
        assertThat(search("dataset.context IN ('training')")).isEmpty();
    }

    @Test
    public void metricOrderPutsNumbersThenNanThenMissing() {
        assertThat(search("", "metrics.rmse ASC")).containsExactly(r1, r2, r5, r3, r4);
        assertThat(search("", "metrics.rmse DESC")).containsExactly(r5, r2, r1, r3, r4);
    }

    @Test
    public void missingValuesComeLastAndTiesFallBackToNewestFirst() {
        assertThat(search("", "metrics.acc")).containsExactly(r1, r5, r4, r3, r2);
        assertThat(search("", "params.detrend")).containsExactly(r3, r1, r4, r2, r5);
        assertThat(search("", "params.detrend DESC")).containsExactly(r2, r4, r1, r3, r5);
        assertThat(search("", "tags.team desc")).containsExactly(r2, r1, r4, r5, r3);
    }

    @Test
    public void attributeOrder() {
        assertThat(search("", "attributes.start_time ASC")).containsExactly(r1, r2, r3, r4, r5);
        assertThat(search("", "created")).containsExactly(r1, r2, r3, r4, r5);
        assertThat(search("", "attributes.end_time DESC")).containsExactly(r5, r3, r2, r1, r4);
        assertThat(search("", "attributes.run_name")).containsExactly(r1, r2, r4, r5, r3);
        assertThat(search("", "attributes.status", "metrics.rmse DESC")).containsExactly(r3, r2, r1, r5, r4);
    }

    @Test
    public void filterOrderAndLimitTogether() {
        RunSearch search = new RunSearch(experiment, Optional.empty(), 2, RunFilter.parse("metrics.rmse != 0"),
                RunOrder.parseAll(List.of("metrics.rmse DESC")));
        assertThat(store.searchRuns(search)).extracting(Run::id).containsExactly(r5, r2);
    }

    @Test
    public void aKeyOrderedOnTwiceIsRejected() {
        assertThatThrownBy(() -> search("", "attributes.start_time", "created DESC"))
                .isInstanceOfSatisfying(CropcastException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.INVALID_FILTER))
                .hasMessageContaining("twice");
    }
}
