package org.cropcast.tracking.mlflow;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cropcast.tracking.ArtifactStore;
import org.cropcast.tracking.CreateRunRequest;
import org.cropcast.tracking.Dataset;
import org.cropcast.tracking.DatasetInput;
import org.cropcast.tracking.Experiment;
import org.cropcast.tracking.LoggedModel;
import org.cropcast.tracking.LoggedModelRequest;
import org.cropcast.tracking.LoggedModelStatus;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.ModelOutput;
import org.cropcast.tracking.ModelStore;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunInfo;
import org.cropcast.tracking.RunStatus;
import org.cropcast.tracking.RunStore;

/**
 * One training run that logs two datasets, a READY logged model (with files, params and metrics on
 * its training dataset), registers it with an alias; and a forecast run that uses the model. Written
 * by cropcast through any backend, then read by the pinned Python MLflow with {@link #READ}.
 */
final class ModelLineageScenario {
    static final long T0 = 1_700_000_000_000L;
    static final Dataset TARGET = new Dataset("target", "0123456789abcdef0123456789abcdef", "local",
            "{\"uri\": \"/data/target.csv\"}",
            Optional.of("{\"mlflow_colspec\": [{\"type\": \"string\", \"name\": \"region\", \"required\": true},"
                    + " {\"type\": \"double\", \"name\": \"yield\", \"required\": true}]}"),
            Optional.of("{\"num_rows\": 12, \"regions\": 3, \"years\": 4}"));
    static final Dataset FEATURES = new Dataset("features", "fedcba9876543210fedcba9876543210", "s3",
            "{\"uri\": \"s3://bucket/features.csv\"}", Optional.empty(), Optional.of("{\"num_rows\": 12}"));

    /** What Python MLflow sees, one fact per line: argv = tracking URI, experiment, model id, registered name, forecast run. */
    static final String READ = """
            import json, os, sys, tempfile
            import mlflow
            from mlflow import MlflowClient
            from mlflow.models import Model
            mlflow.set_tracking_uri(sys.argv[1])
            client = MlflowClient()
            exp = client.get_experiment_by_name(sys.argv[2])
            for m in mlflow.search_logged_models(experiment_ids=[exp.experiment_id], output_format="list"):
                print("search", m.model_id, m.name, m.status, m.source_run_id)
            m = mlflow.get_logged_model(sys.argv[3])
            print("model", m.model_id, m.name, m.status, m.source_run_id, m.artifact_location.endswith("/models/" + m.model_id + "/artifacts"))
            for k in sorted(m.params): print("mparam", k, m.params[k])
            for k in sorted(m.tags):  # the REST adapter's request id is its own plumbing (MlflowRestLostAnswerTest)
                if k != "cropcast.create_request_id": print("mtag", k, m.tags[k])
            for x in sorted(m.metrics, key=lambda x: x.key):
                print("mmetric", x.key, x.value, x.step, x.run_id == m.source_run_id, x.dataset_name, x.dataset_digest)
            local = mlflow.artifacts.download_artifacts("models:/" + m.model_id, dst_path=tempfile.mkdtemp())
            for f in sorted(os.listdir(local)): print("file", f)
            mm = Model.load(local)
            print("mlmodel", sorted(mm.flavors), mm.model_id == m.model_id, mm.run_id == m.source_run_id)
            rm = client.get_registered_model(sys.argv[4])
            print("registered", rm.name, json.dumps({k: int(v) for k, v in rm.aliases.items()}, sort_keys=True))  # "1" over REST, 1 from SQL
            mv = client.get_model_version(sys.argv[4], "1")
            print("version", mv.version, mv.source == "models:/" + m.model_id, mv.run_id == m.source_run_id, mv.model_id, mv.status, mv.current_stage)
            mv = client.get_model_version_by_alias(sys.argv[4], "champion")
            print("alias", mv.version, mv.aliases)
            local = mlflow.artifacts.download_artifacts("models:/" + sys.argv[4] + "@champion", dst_path=tempfile.mkdtemp())
            print("alias-files", sorted(os.listdir(local)))
            run = client.get_run(m.source_run_id)
            for di in sorted(run.inputs.dataset_inputs, key=lambda d: d.dataset.name):
                d = di.dataset
                print("dataset", d.name, d.digest, d.source_type, d.source, d.schema, d.profile, sorted((t.key, t.value) for t in di.tags))
            for mo in run.outputs.model_outputs: print("output", mo.model_id == m.model_id, mo.step)
            forecast = client.get_run(sys.argv[5])
            print("forecast-inputs", [mi.model_id == m.model_id for mi in forecast.inputs.model_inputs])
            """;

    record Written(String experiment, RunId training, LoggedModel model, String registeredName, RunId forecast) {
        List<String> pythonArgs(String trackingUri) {
            return List.of(trackingUri, experiment, model.modelId().value(), registeredName, forecast.value());
        }
    }

    private ModelLineageScenario() {}

    static Written write(RunStore runs, ModelStore models, ArtifactStore artifacts, Path scratch, String experimentName,
            String registeredName) throws Exception {
        Experiment experiment = runs.getOrCreateExperiment(experimentName);
        RunInfo training = runs.createRun(new CreateRunRequest(experiment.id(), "fit-production", "alice", T0, List.of()));
        models.logInputs(training.runId(), List.of(DatasetInput.withContext(TARGET, "training"),
                DatasetInput.withContext(FEATURES, "training")), List.of());
        LoggedModel model = models.createLoggedModel(new LoggedModelRequest(experiment.id(), "production", Optional.of(training.runId()),
                Optional.of("cropcast"), Map.of("learner", "ridge", "alpha", "0.5"), Map.of("cropcast.stage", "fit-production")));
        Path dir = Files.createDirectories(scratch.resolve("model-" + model.modelId()));
        Files.writeString(dir.resolve("MLmodel"), """
                artifact_path: %s
                flavors:
                  cropcast:
                    config: config_resolved.yaml
                    model: model.json
                model_id: %s
                run_id: %s
                signature:
                  inputs: '[{"type": "double", "name": "ndvi_max", "required": true}]'
                  outputs: '[{"type": "double", "name": "yield", "required": true}]'
                  params: null
                utc_time_created: '2023-11-14 22:13:20.000000'
                """.formatted(model.artifactLocation(), model.modelId(), training.runId()), UTF_8);
        Files.writeString(dir.resolve("model.json"), "{\"coefficients\": [1.5]}\n", UTF_8);
        Files.writeString(dir.resolve("config_resolved.yaml"), "experiment: demo\n", UTF_8);
        artifacts.logDirectoryContents(model.artifactLocation(), dir, "");
        models.logModelMetrics(training.runId(), model.modelId(), List.of(new Metric("rmse_in_sample", 0.25, T0 + 10, 0)),
                Optional.of(TARGET));
        LoggedModel ready = models.finalizeLoggedModel(model.modelId(), LoggedModelStatus.READY);
        models.logOutputs(training.runId(), List.of(new ModelOutput(model.modelId(), 0)));
        runs.endRun(training.runId(), RunStatus.FINISHED, T0 + 20);
        models.createRegisteredModel(registeredName);
        models.createModelVersion(registeredName, model.modelId());
        models.setAlias(registeredName, "champion", 1);

        RunInfo forecast = runs.createRun(new CreateRunRequest(experiment.id(), "forecast", "alice", T0 + 30, List.of()));
        models.logInputs(forecast.runId(), List.of(), List.of(model.modelId()));
        runs.endRun(forecast.runId(), RunStatus.FINISHED, T0 + 40);
        return new Written(experimentName, training.runId(), ready, registeredName, forecast.runId());
    }

    /** Runs {@link #READ} and checks every line. */
    static void assertPythonReads(Written w, String trackingUri, Map<String, String> env, Path workingDirectory) throws Exception {
        assertPythonReads(w, trackingUri, env, workingDirectory, line -> false);
    }

    /** As {@link #assertPythonReads(Written, String, Map, Path)}, lines matching {@code extra} left out (a sync's own model tags). */
    static void assertPythonReads(Written w, String trackingUri, Map<String, String> env, Path workingDirectory,
            java.util.function.Predicate<String> extra) throws Exception {
        MlflowPython.Result result = MlflowPython.run(SqlitePythonInteropTest.pythonCommand(READ,
                w.pythonArgs(trackingUri).toArray(String[]::new)), env, Duration.ofMinutes(3), workingDirectory).requireSuccess();
        String id = w.model().modelId().value();
        assertThat(result.stdout().lines().filter(extra.negate()).toList()).containsExactly(
                "search " + id + " production READY " + w.training(),
                "model " + id + " production READY " + w.training() + " True",
                "mparam alpha 0.5",
                "mparam learner ridge",
                "mtag cropcast.stage fit-production",
                "mtag mlflow.modelVersions [{\"name\": \"" + w.registeredName() + "\", \"version\": 1}]",
                "mmetric rmse_in_sample 0.25 0 True target 0123456789abcdef0123456789abcdef",
                "file MLmodel",
                "file config_resolved.yaml",
                "file model.json",
                "file registered_model_meta", // written by Python's download into the destination
                "mlmodel ['cropcast'] True True",
                "registered " + w.registeredName() + " {\"champion\": 1}",
                "version 1 True True None READY None", // MLflow's SQL registry has no model_id column; the source names the model
                "alias 1 ['champion']",
                "alias-files ['MLmodel', 'config_resolved.yaml', 'model.json', 'registered_model_meta']",
                "dataset features fedcba9876543210fedcba9876543210 s3 {\"uri\": \"s3://bucket/features.csv\"} None {\"num_rows\": 12}"
                        + " [('mlflow.data.context', 'training')]",
                "dataset target 0123456789abcdef0123456789abcdef local {\"uri\": \"/data/target.csv\"} " + TARGET.schema().orElseThrow()
                        + " " + TARGET.profile().orElseThrow() + " [('mlflow.data.context', 'training')]",
                "output True 0",
                "forecast-inputs [True]");
    }
}
