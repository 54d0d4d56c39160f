package org.cropcast.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.cropcast.pipeline.CliHarness;
import org.cropcast.pipeline.CliHarness.Result;
import org.cropcast.tracking.mlflow.MlflowPython;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fit-production logs and registers its model in the embedded SQLite store; {@code models list,
 * show, promote}; {@code run forecast --model models:/...} in its three forms with lineage; the
 * pinned Python MLflow reads all of it; bad model URIs and a Python model without the cropcast
 * flavor are refused (exit 2, one line, no forecast run), a model whose features differ from the
 * features file too, from the registry or a run directory (exit 2, before any run or run directory
 * exists); a Python-logged model with the cropcast flavor is forecast with.
 */
class ModelsEndToEndTest {
    private static final Duration PYTHON = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    /** Python reads the fit-production run, its model, the registry and the forecast run's lineage. */
    private static final String READ = """
            import os, sys, tempfile
            import mlflow
            from mlflow import MlflowClient
            from mlflow.models import Model
            mlflow.set_tracking_uri(sys.argv[1])
            client = MlflowClient()
            name, fit_id, forecast_id = sys.argv[2], sys.argv[3], sys.argv[4]
            mv = client.get_model_version_by_alias(name, "champion")
            print("version", mv.version, mv.run_id == fit_id, mv.status, mv.source.startswith("models:/m-"))
            model_id = mv.source[len("models:/"):]
            m = mlflow.get_logged_model(model_id)
            print("model", m.name, m.status, m.source_run_id == fit_id, sorted(m.params))
            print("metrics", sorted(set((x.key, x.dataset_name) for x in m.metrics))[:2])
            found = mlflow.search_logged_models(experiment_ids=[m.experiment_id], output_format="list")
            print("search", [x.model_id == model_id for x in found])
            local = mlflow.artifacts.download_artifacts("models:/" + name + "@champion", dst_path=tempfile.mkdtemp())
            print("files", sorted(f for f in os.listdir(local) if f != "registered_model_meta"))
            mm = Model.load(local)
            print("flavors", sorted(mm.flavors), mm.model_id == model_id, mm.run_id == fit_id)
            print("signature", mm.signature.inputs.input_names()[:2], mm.signature.outputs.input_names())
            run = client.get_run(fit_id)
            print("datasets", sorted((d.dataset.name, [t.value for t in d.tags if t.key == "mlflow.data.context"][0]) for d in run.inputs.dataset_inputs))
            print("digests", all(len(d.dataset.digest) == 16 for d in run.inputs.dataset_inputs))
            import csv, json
            print("profiles", all(d.dataset.profile for d in run.inputs.dataset_inputs))
            ref = [d.dataset for d in run.inputs.dataset_inputs if d.dataset.name.startswith("reference-")][0]
            rows = list(csv.DictReader(open(json.loads(ref.source)["uri"])))
            print("reference-profile", json.loads(ref.profile) == {"num_rows": len(rows), "regions": len({r["region"] for r in rows}),
                  "years": len({r["year"] for r in rows}), "first_year": min(int(r["year"]) for r in rows),
                  "issues": len({r["issue"] for r in rows})}, len(rows) > 0)
            print("outputs", [o.model_id == model_id for o in run.outputs.model_outputs])
            t = run.data.tags
            print("source", t.get("mlflow.source.name"), t.get("mlflow.source.type"), t.get("mlflow.note.content", "").startswith("### cropcast fit-production"))
            forecast = client.get_run(forecast_id)
            print("forecast", [i.model_id == model_id for i in forecast.inputs.model_inputs], forecast.info.status)
            note = forecast.data.tags.get("mlflow.note.content", "")
            print("forecast-note", "| init date | target year | level |" in note, "| 2022-08-15 | 2022 | national |" in note, "```" in note)
            """;

    /** Python logs two models: one with the cropcast flavor (cropcast's own files), one pyfunc-like without it. */
    private static final String LOG_FROM_PYTHON = """
            import json, os, shutil, sys, tempfile
            import mlflow
            from mlflow import MlflowClient
            from mlflow.models import Model
            mlflow.set_tracking_uri(sys.argv[1])
            client = MlflowClient()
            source = mlflow.artifacts.download_artifacts("models:/" + sys.argv[2] + "@champion", dst_path=tempfile.mkdtemp())
            exp = client.get_experiment_by_name(sys.argv[3]).experiment_id
            for name, flavor in (("py-cropcast", "cropcast"), ("py-other", "python_function"), ("py-mismatch", "cropcast")):
                with mlflow.start_run(experiment_id=exp) as run:
                    lm = mlflow.initialize_logged_model(name="py", experiment_id=exp, source_run_id=run.info.run_id)
                    d = tempfile.mkdtemp()
                    for f in ("model.json", "config_resolved.yaml"):
                        shutil.copy(os.path.join(source, f), d)
                    if name == "py-mismatch":  # a model whose features differ from its configuration's features file
                        doc = json.load(open(os.path.join(d, "model.json")))
                        doc["features"][0]["name"] = "not_a_feature"
                        json.dump(doc, open(os.path.join(d, "model.json"), "w"))
                    m = Model(model_id=lm.model_id, run_id=run.info.run_id)
                    m.add_flavor(flavor, model="model.json", config="config_resolved.yaml")
                    m.save(os.path.join(d, "MLmodel"))
                    client.log_model_artifacts(lm.model_id, d)
                    mlflow.finalize_logged_model(lm.model_id, "READY")
                    mlflow.register_model("models:/" + lm.model_id, name)
            print("logged")
            """;

    @Test
    void fitRegistersPromoteForecastFromTheRegistryAndPythonReadsIt() throws Exception {
        CliHarness cli = new CliHarness(Map.of());
        Path root = dir.resolve("demo");
        Path config = EndToEndTest.demoConfig(cli.ok("demo", root.toString()));
        Path db = root.resolve("mlruns.db").toAbsolutePath().normalize();
        String uri = "sqlite:///" + db;

        Result fit = cli.ok("run", "fit-production", "--config", config.toString(), "--set", "feature_start_year=2006");
        String fitId = fit.runId();
        Matcher logged = Pattern.compile("logged model models:/(m-[0-9a-f]{32}) \\(READY\\), registered as models:/([^/]+)/1").matcher(fit.out());
        assertThat(logged.find()).as(fit.out()).isTrue();
        String modelId = logged.group(1);
        String name = logged.group(2);

        assertThat(cli.ok("models", "list", "--config", config.toString()).out()).contains(name).containsPattern(name + " +1 +-");
        assertThat(cli.ok("models", "promote", name, "1", "--alias", "champion", "--tracking-uri", uri).out())
                .contains(name + " version 1 is now @champion (models:/" + modelId + ")");
        assertThat(cli.ok("models", "show", name, "--tracking-uri", uri).out()).contains("@champion=1")
                .containsPattern("1 +@champion +READY +" + fitId + " +models:/" + modelId);

        Result byAlias = cli.ok("run", "forecast", "--model", "models:/" + name + "@champion", "--init-date", "2022-08-15",
                "--tracking-uri", uri);
        String forecastId = byAlias.runId();
        cli.ok("run", "forecast", "--model", "models:/" + name + "/1", "--init-date", "2022-08-15", "--config", config.toString());
        cli.ok("run", "forecast", "--model", "models:/" + modelId, "--init-date", "2022-07-15", "--tracking-uri", uri);

        MlflowPython.Result read = MlflowPython.runScript(READ, List.of(uri, name, fitId, forecastId), Map.of(), PYTHON).requireSuccess();
        assertThat(read.stdout().lines().toList()).containsExactly(
                "version 1 True READY True",
                "model production READY True ['config_hash', 'detrend', 'features', 'regions', 'regression', 'ridge_alpha', 'training_years']",
                "metrics [('fit.in_sample.regions.bias', 'target'), ('fit.in_sample.regions.mae', 'target')]",
                "search [True]",
                "files ['MLmodel', 'config_resolved.yaml', 'model.json']",
                "flavors ['cropcast'] True True",
                "signature ['region', 'year'] ['yield_t_ha']", // the demo's target.yield_column
                "datasets [('features', 'training'), ('reference-DEMO-SURVEY', 'reference'), ('target', 'training')]",
                "digests True",
                "profiles True",
                "reference-profile True True",
                "outputs [True]",
                "source cropcast run fit-production LOCAL True",
                "forecast [True] FINISHED",
                "forecast-note True True False");

        // bad model URIs: exit 2, one line naming the culprit, and no forecast run made
        int runsBefore = countRuns(db);
        assertRefused(cli, uri, "models:/nope@champion", "no registered model 'nope'");
        assertRefused(cli, uri, "models:/" + name + "@missing", "has no alias 'missing'", "champion");
        assertRefused(cli, uri, "models:/" + name + "/9", "has no version 9", "versions: 1");
        assertRefused(cli, uri, "models:/m-00000000000000000000000000000000", "no logged model m-00000000000000000000000000000000");
        assertRefused(cli, uri, "models:/", "invalid model URI");
        assertThat(countRuns(db)).isEqualTo(runsBefore);

        // models logged by Python: with the cropcast flavor it forecasts; without it is refused naming its flavors
        MlflowPython.runScript(LOG_FROM_PYTHON, List.of(uri, name, "cropcast-demo"), Map.of(), PYTHON).requireSuccess();
        runsBefore = countRuns(db);
        List<Path> directoriesBefore = runDirectories(root);
        assertRefused(cli, uri, "models:/py-other/1", "is not a cropcast model: its flavors are python_function");
        // a model whose features differ from the features file: refused before any run or run directory exists
        assertRefused(cli, uri, "models:/py-mismatch/1", "the model's features [not_a_feature", "do not match the configured features");
        assertThat(countRuns(db)).isEqualTo(runsBefore);
        assertThat(runDirectories(root)).isEqualTo(directoriesBefore);

        // the same with --run-dir: the run directory's model no longer matches its configuration
        Path fitDir = Path.of(fit.runDir());
        Path modelJson = fitDir.resolve("model/model.json");
        String original = Files.readString(modelJson);
        Files.writeString(modelJson, original.replaceFirst("\"name\" : \"[^\"]+\"", "\"name\" : \"renamed_feature\""));
        assertThat(Files.readString(modelJson)).isNotEqualTo(original);
        Result mismatch = cli.run("run", "forecast", "--run-dir", fitDir.toString(), "--init-date", "2022-08-15");
        assertThat(mismatch.exitCode()).as(mismatch.err()).isEqualTo(2);
        assertThat(mismatch.err().strip()).doesNotContain("\n").contains(modelJson.toString(), "renamed_feature",
                "do not match the configured features");
        assertThat(countRuns(db)).isEqualTo(runsBefore);
        assertThat(fitDir.resolve("metadata_forecast.yaml")).doesNotExist();
        assertThat(fitDir.resolve("forecasts")).doesNotExist();
        Files.writeString(modelJson, original);
        Result python = cli.ok("run", "forecast", "--model", "models:/py-cropcast/1", "--init-date", "2022-08-15", "--tracking-uri", uri);
        assertThat(python.runId()).isNotEqualTo(forecastId);
    }

    private static void assertRefused(CliHarness cli, String uri, String model, String... parts) {
        Result result = cli.run("run", "forecast", "--model", model, "--init-date", "2022-08-15", "--tracking-uri", uri);
        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        String error = result.err().strip();
        assertThat(error.lines().count()).as(error).isEqualTo(1);
        for (String part : parts) {
            assertThat(error).contains(part);
        }
    }

    /** Every run directory under the demo's data root ({@code runs/<experiment>/<timestamp>}). */
    /** The run directories under {@code root/runs}, sorted. */
    static List<Path> runDirectories(Path root) throws IOException {
        try (Stream<Path> paths = Files.find(root.resolve("runs"), 2, (path, attributes) -> attributes.isDirectory())) {
            return paths.sorted().toList();
        }
    }

    /** How many runs the SQLite store {@code db} holds. */
    static int countRuns(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); ResultSet r = c.createStatement().executeQuery(
                "select count(*) from runs")) {
            r.next();
            return r.getInt(1);
        }
    }
}
