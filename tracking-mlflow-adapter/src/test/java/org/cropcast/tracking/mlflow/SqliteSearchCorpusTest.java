package org.cropcast.tracking.mlflow;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cropcast.tracking.CreateRunRequest;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.ExperimentId;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.Param;
import org.cropcast.tracking.Run;
import org.cropcast.tracking.RunFilter;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunOrder;
import org.cropcast.tracking.RunSearch;
import org.cropcast.tracking.RunStatus;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.Tag;
import org.cropcast.tracking.TrackingErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corpus of filters and order-bys run through cropcast's SQLite store and through the pinned
 * Python MLflow's {@code MlflowClient.search_runs} on the same database: the same runs in the same
 * order, or both reject the search. Runs written by cropcast and by Python (with dataset inputs)
 * share the experiment. A short list of inputs that MLflow reads oddly and cropcast rejects is
 * checked too, so that the difference stays known (docs/TRACKING.md, "Searching runs").
 */
class SqliteSearchCorpusTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final String EXPERIMENT = "search corpus";
    private static final char FIELD = '\u001f';
    private static final char ITEM = '\u001e';

    /** Python MLflow's answer for each case: "OK id id ..." or "ERR message". */
    private static final String SEARCH = """
            import sys
            from mlflow import MlflowClient
            client = MlflowClient(tracking_uri="sqlite:///" + sys.argv[1])
            exp = client.get_experiment_by_name(sys.argv[2])
            for line in open(sys.argv[3], encoding="utf-8").read().split("\\n"):
                if not line:
                    continue
                filt, orders, limit = line.split("\\x1f")
                order_by = [o for o in orders.split("\\x1e") if o]
                try:
                    runs = client.search_runs([exp.experiment_id], filter_string=filt, order_by=order_by,
                                              max_results=int(limit))
                    print("OK " + " ".join(r.info.run_id for r in runs))
                except Exception as e:
                    print("ERR " + str(e).replace("\\n", " ")[:200])
            """;

    /** Runs written by Python into the same experiment: dataset inputs, a metric and a param. */
    private static final String PYTHON_RUNS = """
            import sys
            from mlflow import MlflowClient
            from mlflow.entities import Dataset, DatasetInput, InputTag, Metric, Param
            client = MlflowClient(tracking_uri="sqlite:///" + sys.argv[1])
            exp = client.get_experiment_by_name(sys.argv[2])
            t0 = int(sys.argv[3])
            def run(name, start, dataset, digest, context, rmse):
                r = client.create_run(exp.experiment_id, start_time=start, run_name=name)
                client.log_batch(r.info.run_id, metrics=[Metric("model.national.rmse", rmse, t0, 0)],
                                 params=[Param("hindcast/detrend", "linear")])
                client.log_inputs(r.info.run_id, datasets=[DatasetInput(
                    Dataset(name=dataset, digest=digest, source_type="local", source="/data/" + dataset),
                    tags=[InputTag("mlflow.data.context", context)])])
                client.set_terminated(r.info.run_id, "FINISHED", end_time=start + 100)
                print(r.info.run_id)
            run("python-yields", t0 + 20000, "yields", "abc123", "training", 0.7)
            run("python-weather", t0 + 21000, "weather", "def456", "evaluation", 0.9)
            """;

    @TempDir
    Path dir;

    private final Map<String, RunId> runs = new LinkedHashMap<>();

    @Test
    void everyCaseGivesTheSameRunsInTheSameOrderAsPythonMlflow() throws Exception {
        Path db = dir.resolve("mlruns.db");
        String uri = "sqlite:///" + db;
        try (RunStore store = new SqliteRunStoreFactory().create(uri)) {
            writeRuns(store, store.getOrCreateExperiment(EXPERIMENT).id());
        }
        MlflowPython.run(SqlitePythonInteropTest.pythonCommand(PYTHON_RUNS, db.toString(), EXPERIMENT, Long.toString(T0)),
                Map.of(), Duration.ofMinutes(3), dir).requireSuccess();

        List<Case> cases = corpus();
        cases.addAll(malformed());
        List<String> python = pythonAnswers(db, cases);
        List<String> disagreements = new ArrayList<>();
        int matchedSomething = 0;
        try (RunStore store = new SqliteRunStoreFactory().create(uri)) {
            ExperimentId experiment = store.findExperiment(EXPERIMENT).orElseThrow().id();
            for (int i = 0; i < cases.size(); i++) {
                String ours = cropcastAnswer(store, experiment, cases.get(i));
                String theirs = python.get(i);
                boolean agree = ours.startsWith("ERR") ? theirs.startsWith("ERR") : ours.equals(theirs);
                if (!agree) {
                    disagreements.add(cases.get(i) + "\n    cropcast: " + ours + "\n    mlflow:   " + theirs);
                }
                if (ours.startsWith("OK ") && ours.length() > 3) {
                    matchedSomething++;
                }
            }
        }
        assertThat(disagreements).as("cases where cropcast and Python MLflow differ").isEmpty();
        // the corpus means something only if most cases select some runs and the malformed ones fail
        assertThat(matchedSomething).isGreaterThan(cases.size() / 2);
        assertThat(python.stream().filter(a -> a.startsWith("ERR")).count()).isGreaterThanOrEqualTo(malformed().size());
    }

    @Test
    void inputsMlflowReadsOddlyAreRejectedWithThePosition() throws Exception {
        Path db = dir.resolve("mlruns.db");
        try (RunStore store = new SqliteRunStoreFactory().create("sqlite:///" + db)) {
            writeRuns(store, store.getOrCreateExperiment(EXPERIMENT).id());
        }
        // MLflow accepts these: a space after the dot becomes part of the key, a backquoted part keeps its
        // backquotes, and quotes doubled or escaped inside a list are read as Python literals
        List<Case> odd = List.of(
                new Case("metrics. rmse > 0", List.of(), 100),
                new Case("metrics.`model`.national > 0", List.of(), 100),
                new Case("attributes.run_id IN ('a''b')", List.of(), 100));
        List<String> python = pythonAnswers(db, odd);
        assertThat(python).allSatisfy(answer -> assertThat(answer).startsWith("OK"));
        for (Case c : odd) {
            CropcastException e = org.junit.jupiter.api.Assertions.assertThrows(CropcastException.class, () -> RunFilter.parse(c.filter()));
            assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.INVALID_FILTER);
            assertThat(e.getMessage()).contains("at position").doesNotContain("\n");
        }
    }

    private List<String> pythonAnswers(Path db, List<Case> cases) throws Exception {
        Path file = dir.resolve("cases.txt");
        StringBuilder text = new StringBuilder();
        for (Case c : cases) {
            text.append(c.filter()).append(FIELD).append(String.join(String.valueOf(ITEM), c.orderBy())).append(FIELD)
                    .append(c.maxResults()).append('\n');
        }
        Files.writeString(file, text, UTF_8);
        MlflowPython.Result result = MlflowPython.run(SqlitePythonInteropTest.pythonCommand(SEARCH, db.toString(), EXPERIMENT,
                file.toString()), Map.of(), Duration.ofMinutes(3), dir).requireSuccess();
        List<String> lines = result.stdout().lines().toList();
        assertThat(lines).hasSize(cases.size());
        return lines.stream().map(String::strip).toList();
    }

    private static String cropcastAnswer(RunStore store, ExperimentId experiment, Case c) {
        try {
            RunSearch search = new RunSearch(experiment, Optional.empty(), c.maxResults(), RunFilter.parse(c.filter()),
                    RunOrder.parseAll(c.orderBy()));
            List<String> ids = store.searchRuns(search).stream().map(Run::id).map(RunId::value).toList();
            return ("OK " + String.join(" ", ids)).strip();
        } catch (CropcastException e) {
            assertThat(e.errorCode()).as(e.getMessage()).isEqualTo(TrackingErrorCode.INVALID_FILTER);
            return "ERR " + e.getMessage();
        }
    }

    private void writeRuns(RunStore store, ExperimentId experiment) {
        String rmse = "model.national.rmse";
        String detrend = "hindcast/detrend";
        RunId parent = add(store, experiment, "sweep-parent", 9, RunStatus.FINISHED, List.of(m(rmse, Double.POSITIVE_INFINITY)),
                List.of(), List.of(new Tag("cropcast.stage", "sweep")));
        String p = parent.value();
        add(store, experiment, "hindcast-maize-linear", 1, RunStatus.FINISHED,
                List.of(new Metric(rmse, 2.0, T0, 0), new Metric(rmse, 0.81, T0, 1), m("mae", 0.6), m("r2", 0.5)),
                List.of(new Param(detrend, "linear"), new Param("hindcast/alpha", "0.1"), new Param("features", "rain,temp"),
                        new Param("with space", "a b")),
                List.of(new Tag("crop", "maize"), new Tag("team", "Crops"), new Tag("note", "50% off"), new Tag("mlflow.parentRunId", p)));
        add(store, experiment, "hindcast-maize-quadratic", 2, RunStatus.FINISHED, List.of(m(rmse, 1.2), m("mae", Double.NaN)),
                List.of(new Param(detrend, "quadratic"), new Param("hindcast/alpha", "1.0")),
                List.of(new Tag("crop", "maize"), new Tag("team", "crops"), new Tag("note", "100_percent"), new Tag("mlflow.parentRunId", p)));
        add(store, experiment, "hindcast-wheat-linear", 3, RunStatus.FAILED, List.of(m(rmse, Double.NaN)),
                List.of(new Param(detrend, "Linear")),
                List.of(new Tag("crop", "wheat"), new Tag("team", "CROPS_X"), new Tag("note", "a'b"), new Tag("mlflow.parentRunId", p)));
        add(store, experiment, "hindcast-wheat-none", 4, null, List.of(),
                List.of(new Param(detrend, "none"), new Param("hindcast/alpha", "10")),
                List.of(new Tag("crop", "wheat"), new Tag("unicode", "é"), new Tag("mlflow.parentRunId", p)));
        add(store, experiment, "killed", 5, RunStatus.KILLED, List.of(m(rmse, Double.NEGATIVE_INFINITY)),
                List.of(new Param(detrend, "")), List.of(new Tag("team", "")));
        add(store, experiment, "negative-zero", 6, RunStatus.FINISHED, List.of(m(rmse, -0.0), m("r2", 0.5)),
                List.of(new Param("hindcast/alpha", "0.10")), List.of(new Tag("note", "%")));
        add(store, experiment, "tie", 1, RunStatus.FINISHED, List.of(m(rmse, 0.81)), List.of(new Param(detrend, "linear")),
                List.of(new Tag("crop", "Maize")));
        add(store, experiment, "tiny", 7, RunStatus.FINISHED, List.of(m(rmse, 1e-300)), List.of(), List.of(new Tag("crop", "MAIZE")));
        RunId deleted = add(store, experiment, "deleted", 8, RunStatus.FINISHED, List.of(m(rmse, 0.1)),
                List.of(new Param(detrend, "linear")), List.of(new Tag("crop", "maize")));
        store.deleteRun(deleted);
    }

    private RunId add(RunStore store, ExperimentId experiment, String name, int second, RunStatus end, List<Metric> metrics,
            List<Param> params, List<Tag> tags) {
        RunId id = store.createRun(new CreateRunRequest(experiment, name, second % 2 == 0 ? "alice" : "bob", T0 + second * 1000L,
                List.of())).runId();
        store.logBatch(id, metrics, params, tags);
        if (end != null) {
            store.endRun(id, end, T0 + second * 1000L + 300 + second);
        }
        runs.put(name, id);
        return id;
    }

    private static Metric m(String key, double value) {
        return new Metric(key, value, T0, 0);
    }

    private record Case(String filter, List<String> orderBy, int maxResults) {
        @Override
        public String toString() {
            return "filter <" + filter + "> order-by " + orderBy + " max " + maxResults;
        }
    }

    private List<Case> corpus() {
        List<String> filters = List.of(
                "",
                "metrics.model.national.rmse < 1",
                "metrics.`model.national.rmse` <= 0.81",
                "metrics.\"model.national.rmse\" >= 0.81",
                "metrics.model.national.rmse = 0.81",
                "metrics.model.national.rmse != 0.81",
                "metrics.model.national.rmse > 1e308",
                "metrics.model.national.rmse < -1e308",
                "metrics.model.national.rmse = 1.7976931348623157e308",
                "metrics.model.national.rmse > 1e400",
                "metrics.model.national.rmse < 1e400",
                "metrics.model.national.rmse = 0",
                "metrics.model.national.rmse = -0.0",
                "metrics.model.national.rmse > 0",
                "metrics.model.national.rmse >= .5",
                "metrics.model.national.rmse < 5.",
                "metrics.model.national.rmse > 1E-301",
                "metrics.model.national.rmse < 00001",
                "metrics.mae != 0",
                "metrics.mae = 0",
                "metrics.r2 = 0.5 and metrics.model.national.rmse < 1",
                "metric.mae > 0",
                "metrics.rmse > 0",
                "params.`hindcast/detrend` = 'linear'",
                "params.`hindcast/detrend` = \"linear\"",
                "params.'hindcast/detrend' = 'linear'",
                "params.\"hindcast/detrend\" != 'linear'",
                "params.`hindcast/detrend` = ''",
                "params.`hindcast/detrend` != ''",
                "params.`hindcast/detrend` LIKE 'lin%'",
                "params.`hindcast/detrend` LIKE '%in%'",
                "params.`hindcast/detrend` like 'L%'",
                "params.`hindcast/detrend` ILIKE 'l%'",
                "params.`hindcast/detrend` ILIKE 'LINEAR'",
                "params.`hindcast/detrend` LIKE '_inear'",
                "params.`hindcast/detrend` LIKE '%'",
                "params.`hindcast/detrend` IS NULL",
                "params.`hindcast/detrend` IS NOT NULL",
                "params.`hindcast/alpha` = '0.1'",
                "params.`hindcast/alpha` LIKE '0.1%'",
                "params.`with space` = 'a b'",
                "params.features LIKE '%,%'",
                "param.features = 'rain,temp'",
                "parameters.features = 'rain,temp'",
                "params.missing = 'x'",
                "params.missing IS NULL",
                "tags.crop = 'maize'",
                "tags.crop ILIKE 'maize'",
                "tags.crop LIKE 'M%'",
                "tags.crop != 'maize'",
                "tags.team = ''",
                "tags.team LIKE 'CROPS_X'",
                "tags.team LIKE 'Crop_'",
                "tags.team ILIKE '%crops%'",
                "tags.note LIKE '%\\%%'",
                "tags.note LIKE '%_%'",
                "tags.note LIKE '%''%'",
                "tags.note = 'a''b'",
                "tags.note = \"a'b\"",
                "tags.note LIKE '%*%'",
                "tags.note LIKE '[%'",
                "tags.note LIKE '%?%'",
                "tags.unicode = 'é'",
                "tags.unicode LIKE '_'",
                "tags.unicode ILIKE 'É'",
                "tags.`mlflow.parentRunId` = '" + runs.get("sweep-parent").value() + "'",
                "tags.mlflow.parentRunId IS NOT NULL",
                "tags.`mlflow.parentRunId` IS NULL",
                "tags.`cropcast.stage` = 'sweep'",
                "tag.crop = 'wheat'",
                "attributes.status = 'FINISHED'",
                "attributes.status != 'FINISHED'",
                "status = 'RUNNING'",
                "attr.status LIKE 'F%'",
                "run.status ILIKE 'f%'",
                "attributes.status = 'finished'",
                "attributes.run_name = 'tie'",
                "attributes.run_name LIKE 'hindcast-%'",
                "run_name ILIKE 'HINDCAST-MAIZE%'",
                "`run name` = 'killed'",
                "attributes.`Run Name` != 'killed'",
                "attributes.`Run name` LIKE '%e%'",
                "attributes.user_id = 'alice'",
                "attributes.user_id != 'alice'",
                "attributes.artifact_uri LIKE 'file:%'",
                "attributes.run_id = '" + runs.get("tie").value() + "'",
                "attributes.run_id IN ('" + runs.get("tie").value() + "', '" + runs.get("killed").value() + "')",
                "attributes.run_id in (\"" + runs.get("tie").value() + "\",)",
                "attributes.run_id NOT IN ('" + runs.get("tie").value() + "')",
                "run_id not in ('" + runs.get("tie").value() + "', 'nope')",
                "attributes.run_id LIKE '" + runs.get("tie").value().substring(0, 6) + "%'",
                "attributes.start_time > " + (T0 + 3000),
                "attributes.start_time >= " + (T0 + 3000),
                "attributes.start_time < " + (T0 + 3000) + ".5",
                "attributes.start_time = " + (T0 + 1000),
                "created > " + (T0 + 5000),
                "attributes.Created <= " + (T0 + 2000),
                "attributes.start_time > 1e12",
                "attributes.end_time > " + (T0 + 3000),
                "attributes.end_time != 0",
                "attributes.end_time < 0",
                "datasets.name = 'yields'",
                "dataset.name != 'yields'",
                "datasets.digest = 'def456'",
                "datasets.context = 'training'",
                "datasets.context IN ('training', 'evaluation')",
                "datasets.name NOT IN ('yields')",
                "datasets.name LIKE 'w%'",
                "datasets.context ILIKE 'EVAL%'",
                "metrics.model.national.rmse < 1 and params.`hindcast/detrend` = 'linear' and tags.crop != 'wheat'"
                        + " and attributes.status = 'FINISHED'",
                "metrics.model.national.rmse<1 AND params.`hindcast/detrend`='linear'",
                "params.`hindcast/detrend` = 'linear' and and metrics.model.national.rmse > 0",
                "and metrics.model.national.rmse > 0 and",
                "metrics.model.national.rmse > 0 metrics.r2 > 0",
                "tags.crop = 'maize' AND tags.crop IS NOT NULL AND status = 'FINISHED'",
                "  \tstatus = 'FINISHED'  ");
        List<List<String>> orders = List.of(
                List.of(),
                List.of("metrics.model.national.rmse"),
                List.of("metrics.model.national.rmse ASC"),
                List.of("metrics.`model.national.rmse` DESC"),
                List.of("metrics.mae desc"),
                List.of("metrics.r2 ASC", "attributes.run_name DESC"),
                List.of("params.`hindcast/detrend`"),
                List.of("params.`hindcast/detrend` DESC"),
                List.of("params.\"hindcast/alpha\" ASC"),
                List.of("tags.crop"),
                List.of("tags.crop DESC", "metrics.model.national.rmse"),
                List.of("tags.note DESC"),
                List.of("attributes.start_time ASC"),
                List.of("attributes.start_time"),
                List.of("start_time DESC"),
                List.of("created"),
                List.of("attributes.end_time DESC"),
                List.of("attributes.end_time"),
                List.of("attributes.run_name"),
                List.of("run_name DESC"),
                List.of("attributes.status", "metrics.model.national.rmse DESC"),
                List.of("attributes.user_id", "attributes.start_time ASC"),
                List.of("attributes.run_id DESC"),
                List.of("attributes.artifact_uri"),
                List.of("attr.status DESC", "params.`hindcast/detrend` ASC", "tags.crop DESC"));
        List<Case> cases = new ArrayList<>();
        for (String filter : filters) {
            cases.add(new Case(filter, List.of(), 1000));
        }
        for (List<String> order : orders) {
            cases.add(new Case("", order, 1000));
            cases.add(new Case("metrics.model.national.rmse != 12345", order, 4));
            cases.add(new Case("params.`hindcast/detrend` ILIKE '%n%'", order, 1000));
        }
        return cases;
    }

    private static List<Case> malformed() {
        List<Case> cases = new ArrayList<>();
        for (String filter : Arrays.asList(
                "metrics.rmse",
                "metrics.rmse >",
                "metrics.rmse > 'a'",
                "metrics.rmse = nan",
                "metrics.rmse > - 1",
                "metrics.rmse > +1",
                "metrics.rmse > 0x10",
                "metrics.rmse > 1e+3",
                "metrics.rmse == 1",
                "metrics.rmse <> 1",
                "metrics.rmse IS NULL",
                "metrics.rmse IN (1)",
                "metrics.rmse LIKE '1'",
                "params.x = z",
                "params.x = `z`",
                "params.x > 'a'",
                "params.x IN ('a')",
                "params.x NOT LIKE 'a'",
                "params.x RLIKE 'a'",
                "params.x = 'a",
                "params.x = 'a''",
                "params.`x = 'a'",
                "params.a-b = 'x'",
                "params.x = 'a' or params.y = 'b'",
                "(params.x = 'a')",
                "params.x = 'a';",
                "params.x = 'a'; params.y = 'b'",
                "params.x = 'a' -- comment",
                "METRICS.rmse > 1",
                "Params.x = 'a'",
                "foo.x = 'a'",
                "metrics .rmse > 1",
                "attributes.foo = 'a'",
                "foo = 'a'",
                "attributes.status IN ('FINISHED')",
                "attributes.status > 'A'",
                "attributes.status = 1",
                "attributes.start_time = 'a'",
                "attributes.start_time LIKE '1%'",
                "attributes.start_time IN (1, 2)",
                "attributes.run_id IN ()",
                "attributes.run_id IN ('a', 1)",
                "attributes.run_id IN 'a'",
                "attributes.run_name IN ('a')",
                "tags.x IS 'a'",
                "tags.x IS NOT 'a'",
                "datasets.foo = 'a'",
                "datasets.name > 'a'",
                "attributes.experiment_id = '0'",
                "attributes.lifecycle_stage = 'active'")) {
            cases.add(new Case(filter, List.of(), 1000));
        }
        for (List<String> order : List.of(
                List.of("metrics.rmse SIDEWAYS"),
                List.of("metrics.rmse ASC DESC"),
                List.of("datasets.name"),
                List.of("foo.x"),
                List.of("attributes.foo"),
                List.of("`run name`"),
                List.of("attributes.start_time", "created DESC"),
                List.of("metrics.rmse", "metrics.rmse DESC"))) {
            cases.add(new Case("", order, 1000));
        }
        return cases;
    }
}
