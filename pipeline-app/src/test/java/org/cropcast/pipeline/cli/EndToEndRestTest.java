package org.cropcast.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    private static final Pattern RUN_ID = Pattern.compile("run id: +([0-9a-f]{32})");
    private static final Pattern RUN_DIR = Pattern.compile("run dir: +(\\S+)");

    @TempDir
    Path dir;

    private static Result ok(CliHarness cli, String... args) {
        Result result = cli.run(args);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result;
    }

    private static String group(Pattern pattern, Result result) {
        Matcher m = pattern.matcher(result.out());
        assertThat(m.find()).as(result.toString()).isTrue();
        return m.group(1);
    }

    @Test
    void demoTrackedByAnMlflowServer() throws Exception {
        try (MlflowServerProcess server = MlflowServerProcess.builder(dir.resolve("server")).start()) {
            CliHarness cli = new CliHarness(Map.of());
            Path root = dir.resolve("demo");
            Path config = EndToEndTest.demoConfig(ok(cli, "demo", root.toString()));
            String uri = server.trackingUri();
            Result hindcast = ok(cli, "run", "hindcast", "--config", config.toString(), "--set", "mlflow_tracking_uri=" + uri,
                    "--set", "feature_start_year=2010", "--no-progress");
            String id = group(RUN_ID, hindcast);
            String runDir = group(RUN_DIR, hindcast);
            assertThat(hindcast.out()).contains("tracking:  " + uri).doesNotContain("MLflow UI");
            assertThat(root.resolve("mlruns.db")).doesNotExist();

            Result fit = ok(cli, "run", "fit-production", "--config", config.toString(), "--set", "mlflow_tracking_uri=" + uri,
                    "--set", "feature_start_year=2010", "--run-dir", runDir, "--no-progress");
            Result first = ok(cli, "run", "forecast", "--run-dir", runDir, "--init-date", "2022-07-15", "--no-progress");
            Result second = ok(cli, "run", "forecast", "--run-dir", runDir, "--init-date", "2022-08-15", "--no-progress");
            assertThat(group(RUN_ID, second)).isEqualTo(group(RUN_ID, first));

            JsonNode shown = new JsonMapper().readTree(ok(cli, "runs", "show", id, "--tracking-uri", uri, "--json").out());
            assertThat(shown.get("status").asText()).isEqualTo("FINISHED");
            assertThat(shown.get("artifact_uri").asText()).startsWith("mlflow-artifacts:");
            assertThat(shown.get("artifacts").findValuesAsText("path"))
                    .contains("config_resolved.yaml", "metadata.yaml", "datasets/fit.parquet", "datasets/pred.parquet");
            // the server stored the bytes the run directory holds
            try (var files = Files.walk(server.artifactsDestination())) {
                Path stored = files.filter(p -> p.endsWith("datasets/fit.parquet")).findFirst().orElseThrow();
                assertThat(Files.mismatch(stored, Path.of(runDir, "datasets", "fit.parquet"))).isEqualTo(-1L);
            }
            Result list = ok(cli, "runs", "list", "--tracking-uri", uri, "--experiment", "cropcast-demo");
            assertThat(list.out()).contains(id, group(RUN_ID, fit), group(RUN_ID, first));
        }
    }
}
