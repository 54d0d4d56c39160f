package org.cropcast.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cropcast.pipeline.CliHarness.Result;
import org.cropcast.pipeline.CliHarness;
import org.cropcast.pipeline.TestStages;
import org.cropcast.tracking.CreateRunRequest;
import org.cropcast.tracking.Run;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunStatus;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.RunStoreFactory;
import org.cropcast.tracking.RunTags;
import org.cropcast.tracking.Tag;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line driven in-process on the memory backend, with test stages: exit codes and output. */
class CommandLineTest {
    static final String URI = "memory:cli";

    @TempDir
    Path dir;

    private Path config;
    private CliHarness cli;

    @BeforeEach
    void setUp() throws Exception {
        config = CliFixture.write(dir.resolve("data"), URI);
        cli = new CliHarness(Map.of(), TestStages.module());
    }

    private Result ok(String... args) {
        Result result = cli.run(args);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result;
    }

    private Result fails(int exitCode, String... args) {
        Result result = cli.run(args);
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(exitCode);
        assertThat(result.err().lines().toList()).as(result.toString()).hasSize(1);
        assertThat(result.err()).startsWith("cropcast: ");
        return result;
    }

    private Run run(String id) {
        RunStore store = cli.injector().getInstance(RunStoreFactory.class).create(URI);
        return store.getRun(RunId.of(id)).orElseThrow();
    }

    private List<Run> allRuns() {
        RunStore store = cli.injector().getInstance(RunStoreFactory.class).create(URI);
        return store.listExperiments().stream()
                .flatMap(e -> store.searchRuns(org.cropcast.tracking.RunSearch.all(e.id())).stream()).toList();
    }

    @Test
    void helpAndVersionOnEveryCommand() {
        for (String[] command : new String[][] {{}, {"run"}, {"run", "hindcast"}, {"run", "fit-production"}, {"run", "forecast"},
                {"runs"}, {"runs", "list"}, {"runs", "show"}, {"runs", "compare"}, {"demo"}}) {
            String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(command), java.util.stream.Stream.of("--help")).toArray(String[]::new);
            Result help = ok(args);
            assertThat(help.out()).as(String.join(" ", args)).contains("Usage: cropcast" + (command.length == 0 ? "" : " " + String.join(" ", command)));
            assertThat(help.err()).isEmpty();
        }
        assertThat(ok("--version").out()).startsWith("cropcast ").contains("Java ");
        assertThat(ok("run", "hindcast", "--help").out()).contains("--config=FILE", "--run-dir=DIR", "--set=KEY=VALUE", "--no-progress", "--verbose");
    }

    @Test
    void usageErrorsExit2WithOneLine() {
        assertThat(fails(2).err()).contains("missing command");
        assertThat(fails(2, "run").err()).contains("missing stage");
        assertThat(fails(2, "run", "hindcast").err()).contains("Missing required option: '--config=FILE'").contains("cropcast run hindcast --help");
        assertThat(fails(2, "run", "hindcats").err()).contains("did you mean");
        assertThat(fails(2, "runs", "list", "--status", "SLEEPING").err()).contains("--status");
        assertThat(fails(2, "-v", "-q", "runs", "list").err()).contains("--verbose and --quiet");
        assertThat(fails(2, "run", "forecast", "--run-dir", dir.toString(), "--init-date", "2024-13-01").err())
                .contains("'2024-13-01' is not a date (expected YYYY-MM-DD");
        assertThat(fails(2, "run", "forecast", "--run-dir", dir.toString(), "--init-date", "yesterday").err())
                .contains("'yesterday' is not a date");
    }

    @Test
    void hindcastCreatesARunAndPrintsHowToSeeIt() throws Exception {
        Result result = ok("run", "hindcast", "--config", config.toString(), "--no-progress");
        String id = result.runId();
        Path runDir = Path.of(result.runDir());
        assertThat(runDir.getParent()).isEqualTo(dir.resolve("data/runs/test-corn"));
        assertThat(runDir.getFileName().toString()).matches("\\d{8}T\\d{6}Z(-\\d+)?");
        assertThat(result.out()).contains("hindcast: 5 folds (test stage)", "hindcast finished (new run)",
                "cropcast runs show " + id + " --tracking-uri memory:cli");
        assertThat(runDir.resolve("config_resolved.yaml")).exists();
        assertThat(runDir.resolve("metadata.yaml")).exists();
        assertThat(Files.readString(runDir.resolve("metadata_hindcast.yaml"))).contains("mlflow_run_id: " + id);
        assertThat(runDir.resolve("model/hindcast.txt")).hasContent("hindcast seed 42");
        Run run = run(id);
        assertThat(run.info().status()).isEqualTo(RunStatus.FINISHED);
        assertThat(run.data().params()).containsEntry("hindcast/detrend", "linear").containsEntry("hindcast/experiment_key", "test-corn");
        assertThat(run.data().tags()).containsEntry(RunTags.STAGE, "hindcast").containsEntry(RunTags.RUN_DIR, runDir.toString());
        assertThat(run.data().latestMetrics()).containsKey("hindcast/rmse");
    }

    @Test
    void progressIsPlainLinesWhenNotATerminal() {
        Result result = ok("run", "hindcast", "--config", config.toString());
        assertThat(result.err()).contains("hindcast: 5 steps", "hindcast: [1/5] test year 2001", "hindcast: [5/5] test year 2005")
                .doesNotContain("\r");
        assertThat(ok("-q", "run", "hindcast", "--config", config.toString()).err()).isEmpty();
    }

    @Test
    void setOverridesReachTheResolvedConfigAndTheParams() throws Exception {
        Result result = ok("run", "hindcast", "--config", config.toString(), "--set", "detrend=quadratic", "--set", "random_seed=7");
        Path runDir = Path.of(result.runDir());
        assertThat(Files.readString(runDir.resolve("config_resolved.yaml"))).contains("detrend: quadratic", "random_seed: 7",
                "mlflow_tracking_uri: memory:cli", "data_root: " + dir.resolve("data"));
        assertThat(run(result.runId()).data().params()).containsEntry("hindcast/detrend", "quadratic");
        assertThat(runDir.resolve("model/hindcast.txt")).hasContent("hindcast seed 7");
    }

    @Test
    void resumeReopensTheRecordedRunAndRefusesChangedParams() {
        Result first = ok("run", "hindcast", "--config", config.toString());
        String id = first.runId();
        String runDir = first.runDir();
        Result again = ok("run", "hindcast", "--config", config.toString(), "--run-dir", runDir, "--resume");
        assertThat(again.runId()).isEqualTo(id);
        assertThat(again.out()).contains("(resumed run)");
        assertThat(run(id).info().status()).isEqualTo(RunStatus.FINISHED);

        Result changed = fails(2, "run", "hindcast", "--config", config.toString(), "--run-dir", runDir, "--set", "detrend=none");
        assertThat(changed.err()).contains("the configuration differs from the run's " + Path.of(runDir, "config_resolved.yaml"),
                "at 'detrend': 'linear' in the run, 'none' now");
        // a setting outside the nine bounded params is checked too, and is a param of its own
        Result alpha = fails(2, "run", "hindcast", "--config", config.toString(), "--run-dir", runDir, "--resume",
                "--set", "ridge_alpha=100");
        assertThat(alpha.err()).contains("at 'ridge_alpha': 1.0 in the run, 100.0 now");
        assertThat(Path.of(runDir, "config_resolved.yaml")).content().contains("ridge_alpha: 1.0");
        assertThat(run(id).data().params()).containsEntry("hindcast/ridge_alpha", "1.0").containsEntry("hindcast/cv_scheme",
                "leave_one_year_out").containsKey("hindcast/config_hash").containsKey("hindcast/features.sha256");
        assertThat(run(id).info().status()).isEqualTo(RunStatus.FINISHED);
        assertThat(allRuns()).noneMatch(r -> r.info().status() == RunStatus.RUNNING);
    }

    @Test
    void theTreesHyperparametersAreParamsAndAResumeWithOthersIsRefused() {
        Result first = ok("run", "hindcast", "--config", config.toString(), "--set", "regression=gbt");
        String runDir = first.runDir();
        assertThat(run(first.runId()).data().params()).containsEntry("hindcast/regression", "gbt")
                .containsEntry("hindcast/gbt.trees", "300").containsEntry("hindcast/gbt.learning_rate", "0.03")
                .containsEntry("hindcast/gbt.seed", "42");
        assertThat(Path.of(runDir, "config_resolved.yaml")).content().contains("gbt:", "trees: 300", "max_depth: 3");
        Result changed = fails(2, "run", "hindcast", "--config", config.toString(), "--run-dir", runDir, "--resume",
                "--set", "regression=gbt", "--set", "gbt.trees=50");
        assertThat(changed.err()).contains("gbt.trees", "300", "50");
        assertThat(run(first.runId()).data().params()).containsEntry("hindcast/gbt.trees", "300");
        // a linear model's resolved configuration has no gbt section
        Result ridge = ok("run", "hindcast", "--config", config.toString());
        assertThat(Path.of(ridge.runDir(), "config_resolved.yaml")).content().doesNotContain("gbt");
        assertThat(fails(2, "run", "hindcast", "--config", config.toString(), "--set", "regression=gbt", "--set", "gbt.max_depth=0")
                .err()).contains("key 'gbt.max_depth': must be 1-16 (got 0)");
    }

    @Test
    void fitProductionAndForecastShareTheRunDirectoryAndForecastReopensOneRun() throws Exception {
        String runDir = ok("run", "hindcast", "--config", config.toString()).runDir();
        Result fit = ok("run", "fit-production", "--config", config.toString(), "--run-dir", runDir);
        assertThat(fit.out()).contains("fit-production finished (new run)");
        Result first = ok("run", "forecast", "--run-dir", runDir, "--init-date", "2024-07-01");
        Result second = ok("run", "forecast", "--run-dir", runDir, "--init-date", "2024-08-01");
        assertThat(first.out()).contains("(new run)");
        assertThat(second.out()).contains("(resumed run)");
        String forecastId = first.runId();
        assertThat(second.runId()).isEqualTo(forecastId);
        assertThat(Path.of(runDir, "forecasts/2024-07-01/forecast.txt")).exists();
        assertThat(Path.of(runDir, "forecasts/2024-08-01/forecast.txt")).exists();
        assertThat(Files.readString(Path.of(runDir, "metadata_forecast.yaml"))).contains(forecastId);
        Run forecast = run(forecastId);
        assertThat(forecast.info().status()).isEqualTo(RunStatus.FINISHED);
        assertThat(forecast.data().tags()).containsEntry(RunTags.STAGE, "forecast");
        assertThat(allRuns()).hasSize(3);
    }

    @Test
    void badRunDirectories() throws Exception {
        Path missing = dir.resolve("nope");
        assertThat(fails(2, "run", "forecast", "--run-dir", missing.toString(), "--init-date", "2024-07-01").err())
                .contains("--run-dir " + missing + " does not exist");
        assertThat(fails(2, "run", "hindcast", "--config", config.toString(), "--run-dir", missing.toString(), "--resume").err())
                .contains("does not exist");
        assertThat(missing).doesNotExist();

        String runDir = ok("run", "hindcast", "--config", config.toString()).runDir();
        Path other = CliFixture.write(dir.resolve("other"), URI);
        Files.writeString(other, Files.readString(other).replace("Test corn", "Test soy"));
        assertThat(fails(2, "run", "hindcast", "--config", other.toString(), "--run-dir", runDir).err())
                .contains("belongs to experiment 'test-corn'", "not to 'test-soy'");

        Path notARunDir = Files.createDirectories(dir.resolve("random"));
        Files.writeString(notARunDir.resolve("notes.txt"), "hello");
        assertThat(fails(2, "run", "hindcast", "--config", config.toString(), "--run-dir", notARunDir.toString()).err())
                .contains("is not a cropcast run directory");
        assertThat(fails(2, "run", "forecast", "--run-dir", notARunDir.toString(), "--init-date", "2024-07-01").err())
                .contains("is not a cropcast run directory");
        assertThat(allRuns()).hasSize(1);
    }

    @Test
    void badConfigurationsExit2WithoutARun() throws Exception {
        Path file = dir.resolve("data/bad.yaml");
        record Case(String yaml, String expected) {}
        String valid = Files.readString(config);
        for (Case c : List.of(
                new Case(valid + "detrnd: x\n", "unknown key 'detrnd' (did you mean 'detrend'?)"),
                new Case(valid.replace("feature_end_year: 2005", "feature_end_year: 1999"), "the years are reversed"),
                new Case(valid + "production_cumulative_threshold: 1.2\n", "must be in (0, 1]"),
                new Case(valid + "detrend: cubic\n", "key 'detrend': must be one of none, linear, quadratic"),
                new Case(valid + "regression: lasso\n", "key 'regression': must be one of none, ols, ridge, gbt"),
                new Case(valid.replace("feature_start_year: 2001", "feature_start_year: soon"), "key 'feature_start_year': expected an integer"),
                new Case("experiment_name: [unclosed\n", "bad.yaml:1:"),
                new Case(valid.replace("target.csv", "missing.csv"), "key 'target.path': input file not found"),
                new Case(valid.replace("mlflow_tracking_uri: memory:cli", "mlflow_tracking_uri: ftp://x"),
                        "tracking URI 'ftp://x' has the unknown scheme 'ftp'; known schemes: http, https, memory, sqlite"))) {
            Files.writeString(file, c.yaml());
            Result result = fails(2, "run", "hindcast", "--config", file.toString());
            assertThat(result.err()).as(c.yaml()).contains(c.expected());
        }
        assertThat(fails(2, "run", "hindcast", "--config", dir.resolve("absent.yaml").toString()).err())
                .isEqualTo("cropcast: " + dir.resolve("absent.yaml") + ": configuration file not found\n");
        assertThat(fails(2, "run", "hindcast", "--config", config.toString(), "--set", "target.yeild_column=x").err())
                .contains("--set target.yeild_column: unknown key 'target.yeild_column' (did you mean 'yield_column'?)");
        assertThat(allRuns()).isEmpty();
        assertThat(dir.resolve("data/runs")).doesNotExist();
    }

    @Test
    void failingStagesEndTheirRunFailedWithTheMessage() {
        Result user = fails(2, "run", "hindcast", "--config", config.toString(),
                "--set", "target.filter_column=mode", "--set", "target.filter_value=fail-user");
        assertThat(user.err()).contains("target.csv: column 'yield' is missing (test stage)");
        Result bug = fails(1, "run", "hindcast", "--config", config.toString(),
                "--set", "target.filter_column=mode", "--set", "target.filter_value=fail-bug");
        assertThat(bug.err()).contains("internal error: IllegalStateException: test stage bug", "--verbose");
        Result verbose = cli.run("-v", "run", "hindcast", "--config", config.toString(),
                "--set", "target.filter_column=mode", "--set", "target.filter_value=fail-bug");
        assertThat(verbose.exitCode()).isEqualTo(1);
        assertThat(verbose.err()).contains("at org.cropcast.pipeline.TestStages$FoldingStage.run");
        List<Run> runs = allRuns();
        assertThat(runs).hasSize(3).allSatisfy(r -> assertThat(r.info().status()).isEqualTo(RunStatus.FAILED));
        assertThat(runs).anySatisfy(r -> assertThat(r.data().tags().get(RunTags.ERROR)).contains("column 'yield' is missing"));
    }

    @Test
    void runsListShowAndCompare() throws Exception {
        String a = ok("run", "hindcast", "--config", config.toString()).runId();
        String b = ok("run", "hindcast", "--config", config.toString(), "--set", "detrend=quadratic").runId();

        Result list = ok("runs", "list", "--tracking-uri", URI);
        assertThat(list.out().lines().findFirst().orElseThrow()).matches("RUN ID +EXPERIMENT +STAGE +STATUS +START +DURATION +NAME");
        assertThat(list.out()).contains(a, b, "Test corn", "hindcast", "FINISHED");
        assertThat(ok("runs", "list", "--tracking-uri", URI, "--status", "failed").out()).contains("No runs");
        assertThat(ok("runs", "list", "--config", config.toString(), "--experiment", "Test corn").out()).contains(a, b);
        assertThat(fails(2, "runs", "list", "--tracking-uri", URI, "--experiment", "Test corm").err())
                .contains("experiment 'Test corm' not found", "did you mean 'Test corn'?");

        JsonNode json = new JsonMapper().readTree(ok("runs", "list", "--tracking-uri", URI, "--json").out());
        assertThat(json.size()).isEqualTo(2);
        assertThat(json.get(0).get("run_id").asText()).isEqualTo(b);
        assertThat(json.get(0).get("params").get("hindcast/detrend").asText()).isEqualTo("quadratic");

        Result show = ok("runs", "show", a, "--tracking-uri", URI);
        assertThat(show.out()).containsPattern("\n  status +FINISHED\n").contains("Run " + a, "Params (26)", "hindcast/detrend", "linear",
                "Metrics, latest values (1)", "hindcast/rmse", "Tags", "run_dir", "Artifacts", "config_resolved.yaml", "metadata.yaml",
                "reports/report.txt");
        JsonNode shown = new JsonMapper().readTree(ok("runs", "show", a, "--tracking-uri", URI, "--json").out());
        assertThat(shown.get("status").asText()).isEqualTo("FINISHED");
        assertThat(shown.get("artifacts").findValuesAsText("path")).contains("config_resolved.yaml");
        assertThat(fails(2, "runs", "show", "0123456789abcdef0123456789abcdef", "--tracking-uri", URI).err()).contains("not found");
        assertThat(fails(2, "runs", "show", "../etc/passwd", "--tracking-uri", URI).err()).contains("invalid run id");

        Result compare = ok("runs", "compare", a, b, "--tracking-uri", URI);
        assertThat(compare.out()).containsPattern("\\*  hindcast/detrend +linear +quadratic")
                .containsPattern("\n {5}hindcast/experiment_key +test-corn +test-corn")
                .contains("rows differ (marked *)");
        Result diffOnly = ok("runs", "compare", a, b, "--tracking-uri", URI, "--diff-only", "--no-tags");
        assertThat(diffOnly.out()).contains("hindcast/detrend").doesNotContain("hindcast/experiment_key", "Tags");
        JsonNode compared = new JsonMapper().readTree(ok("runs", "compare", a, b, "--tracking-uri", URI, "--json").out());
        assertThat(compared.get("runs").size()).isEqualTo(2);
        assertThat(fails(2, "runs", "compare", a, "--tracking-uri", URI).err()).contains("RUN_ID");
    }

    @Test
    void staleRunsAreMarked() {
        RunStore store = cli.injector().getInstance(RunStoreFactory.class).create(URI);
        var experiment = store.getOrCreateExperiment("Killed");
        long longAgo = System.currentTimeMillis() - 3_600_000;
        var info = store.createRun(new CreateRunRequest(experiment.id(), "hindcast-x", "tester", longAgo,
                List.of(new Tag(RunTags.STAGE, "hindcast"), new Tag(RunTags.HEARTBEAT, Long.toString(longAgo)))));
        Result list = ok("runs", "list", "--tracking-uri", URI);
        assertThat(list.out()).contains(info.runId().value(), "RUNNING (stale)", "1 stale run(s)");
        JsonNode json = cli.run("runs", "list", "--tracking-uri", URI, "--json").out().isEmpty() ? null : null;
        assertThat(ok("runs", "list", "--tracking-uri", URI, "--json").out()).contains("\"health\" : \"STALE\"", "\"stale\" : true");
        assertThat(json).isNull();
    }

    @Test
    void concurrentInvocationsInTheSameSecondGetTheirOwnRunDirectories() throws Exception {
        java.time.Clock frozen = java.time.Clock.fixed(java.time.Instant.parse("2026-01-02T03:04:05Z"), java.time.ZoneOffset.UTC);
        CliHarness shared = new CliHarness(Map.of(), frozen, TestStages.module());
        int n = 4;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            List<java.util.concurrent.Future<Result>> results = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                results.add(pool.submit(() -> shared.run("run", "hindcast", "--config", config.toString(), "--no-progress")));
            }
            java.util.Set<String> dirs = new java.util.TreeSet<>();
            for (var future : results) {
                Result result = future.get(120, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(result.exitCode()).as(result.toString()).isZero();
                dirs.add(Path.of(result.runDir()).getFileName().toString());
            }
            assertThat(dirs).containsExactly("20260102T030405Z", "20260102T030405Z-2", "20260102T030405Z-3", "20260102T030405Z-4");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void unknownTrackingSchemesListTheKnownOnes() {
        assertThat(fails(2, "runs", "list", "--tracking-uri", "mongodb://user:secret@host/db").err())
                .contains("unknown scheme 'mongodb'", "known schemes: http, https, memory, sqlite", "***")
                .doesNotContain("secret");
        assertThat(fails(2, "runs", "list", "--tracking-uri", "mlruns").err()).contains("has no scheme");
    }
}
