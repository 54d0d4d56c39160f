package org.cropcast.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.cropcast.pipeline.CliHarness;
import org.cropcast.pipeline.CliHarness.Result;
import org.cropcast.tracking.mlflow.MlflowServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo pipeline tracked by a real {@code mlflow server} (the pinned Python MLflow, artifacts
 * through its proxy): the wiring picks the REST store for {@code http:} and the
 * {@code mlflow-artifacts:} artifact store for the run's artifact root.
 */
class EndToEndRestTest {

    @TempDir
    Path dir;

    @Test
    void demoTrackedByAnMlflowServer() throws Exception {
        try (MlflowServerProcess server = MlflowServerProcess.builder(dir.resolve("server")).start()) {
            CliHarness cli = new CliHarness(Map.of());
            Path root = dir.resolve("demo");
            Path config = EndToEndTest.demoConfig(cli.ok("demo", root.toString()));
            String uri = server.trackingUri();
            Result hindcast = cli.ok("run", "hindcast", "--config", config.toString(), "--set", "mlflow_tracking_uri=" + uri,
                    "--set", "feature_start_year=2010", "--no-progress");
            String id = hindcast.runId();
            String runDir = hindcast.runDir();
            assertThat(hindcast.out()).contains("tracking:  " + uri).doesNotContain("MLflow UI");
            assertThat(root.resolve("mlruns.db")).doesNotExist();

            Result fit = cli.ok("run", "fit-production", "--config", config.toString(), "--set", "mlflow_tracking_uri=" + uri,
                    "--set", "feature_start_year=2010", "--run-dir", runDir, "--no-progress");
            Result first = cli.ok("run", "forecast", "--run-dir", runDir, "--init-date", "2022-07-15", "--no-progress");
            Result second = cli.ok("run", "forecast", "--run-dir", runDir, "--init-date", "2022-08-15", "--no-progress");
            assertThat(second.runId()).isEqualTo(first.runId());

            JsonNode shown = new JsonMapper().readTree(cli.ok("runs", "show", id, "--tracking-uri", uri, "--json").out());
            assertThat(shown.get("status").asText()).isEqualTo("FINISHED");
            assertThat(shown.get("artifact_uri").asText()).startsWith("mlflow-artifacts:");
            assertThat(shown.get("artifacts").findValuesAsText("path"))
                    .contains("config_resolved.yaml", "metadata.yaml", "datasets/fit.parquet", "datasets/pred.parquet");
            // the server stored the bytes the run directory holds
            try (var files = Files.walk(server.artifactsDestination())) {
                Path stored = files.filter(p -> p.endsWith("datasets/fit.parquet")).findFirst().orElseThrow();
                assertThat(Files.mismatch(stored, Path.of(runDir, "datasets", "fit.parquet"))).isEqualTo(-1L);
            }
            Result list = cli.ok("runs", "list", "--tracking-uri", uri, "--experiment", "cropcast-demo");
            assertThat(list.out()).contains(id, fit.runId(), first.runId());
        }
    }
}
