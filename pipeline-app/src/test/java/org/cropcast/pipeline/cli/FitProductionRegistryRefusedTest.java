package org.cropcast.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.cropcast.pipeline.CliHarness;
import org.cropcast.pipeline.CliHarness.Result;
import org.cropcast.tracking.mlflow.ForwardingProxy;
import org.cropcast.tracking.mlflow.MlflowPython;
import org.cropcast.tracking.mlflow.MlflowServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cropcast run fit-production} against a tracking server that refuses registry writes (a
 * proxy in front of a real {@code mlflow server} answering 403 PERMISSION_DENIED to every
 * {@code registered-models} and {@code model-versions} write, as an auth-enabled MLflow does for a
 * user without the permission): one line on standard error, exit 3, nothing half-registered. The
 * pinned Python MLflow reads the server behind the proxy: no registered model and no version; the
 * logged model complete (READY, not PENDING) but unregistered; the fit-production run FAILED with
 * the refusal as its error.
 */
class FitProductionRegistryRefusedTest {
    @TempDir
    Path dir;

    private static final String READ = """
            import sys
            import mlflow
            from mlflow import MlflowClient
            mlflow.set_tracking_uri(sys.argv[1])
            client = MlflowClient()
            print("registered", [m.name for m in client.search_registered_models()])
            print("versions", [(v.name, v.version) for v in client.search_model_versions()])
            exp = client.get_experiment_by_name(sys.argv[2]).experiment_id
            runs = client.search_runs([exp], filter_string="tags.stage = 'fit-production'")
            print("runs", [r.info.status for r in runs])
            run = runs[0]
            print("error", "Permission denied" in run.data.tags.get("cropcast.error", ""))
            models = mlflow.search_logged_models(experiment_ids=[exp], output_format="list")
            print("models", [(str(m.status), m.source_run_id == run.info.run_id, "mlflow.modelVersions" in m.tags) for m in models])
            print("outputs", [o.model_id == models[0].model_id for o in run.outputs.model_outputs])
            """;

    @Test
    void aRefusedRegistryWriteIsOneLineExitThreeAndRegistersNothing() throws Exception {
        try (MlflowServerProcess server = MlflowServerProcess.builder(dir.resolve("server")).start();
                ForwardingProxy proxy = ForwardingProxy.start(server.trackingUri(), ForwardingProxy.refusingRegistryWrites())) {
            CliHarness cli = new CliHarness(Map.of());
            Path root = dir.resolve("demo");
            Path config = EndToEndTest.demoConfig(cli.ok("demo", root.toString()));
            Result fit = cli.run("run", "fit-production", "--config", config.toString(), "--set", "mlflow_tracking_uri=" + proxy.uri(),
                    "--set", "feature_start_year=2010", "--set", "model_name=refused-demo", "--no-progress");

            assertThat(fit.exitCode()).as(fit.toString()).isEqualTo(3);
            String error = fit.err().strip();
            assertThat(error.lines().count()).as(error).isEqualTo(1);
            assertThat(error).containsIgnoringCase("permission denied").contains("refused-demo");

            MlflowPython.Result read = MlflowPython.runScript(READ, List.of(server.trackingUri(), "cropcast-demo"), Map.of(),
                    Duration.ofMinutes(2)).requireSuccess();
            assertThat(read.stdout().lines().toList()).containsExactly(
                    "registered []",
                    "versions []",
                    "runs ['FAILED']",
                    "error True",
                    "models [('READY', True, False)]",
                    "outputs [True]");
        }
    }
}
