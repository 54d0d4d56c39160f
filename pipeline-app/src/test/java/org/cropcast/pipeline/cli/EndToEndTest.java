package org.cropcast.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.cropcast.pipeline.CliHarness;
import org.cropcast.pipeline.CliHarness.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole journey with the real stages, on the demo data root: {@code demo}, {@code run hindcast},
 * {@code run fit-production}, {@code run forecast} twice (one run), then {@code runs list/show/compare},
 * on the embedded SQLite store (the default, anchored in the data root) and on {@code memory:}.
 */
class EndToEndTest {

    @TempDir
    Path dir;

    /** The configuration file the demo command reports. */
    static Path demoConfig(Result demo) {
        return Path.of(demo.out().lines().filter(l -> l.contains("configuration:")).findFirst().orElseThrow()
                .replaceFirst(".*configuration: ", ""));
    }

    @Test
    void demoEndToEndOnTheEmbeddedSqliteStore() throws Exception {
        CliHarness cli = new CliHarness(Map.of());
        Path root = dir.resolve("demo");
        Path config = demoConfig(cli.ok("demo", root.toString()));
        assertThat(config).exists();
        assertThat(cli.run("demo", root.toString()).exitCode()).isEqualTo(2); // not empty any more

        Result hindcast = cli.ok("run", "hindcast", "--config", config.toString(), "--set", "feature_start_year=2006");
        String hindcastId = hindcast.runId();
        String runDir = hindcast.runDir();
        Path db = root.resolve("mlruns.db").toAbsolutePath().normalize();
        assertThat(db).exists();
        assertThat(hindcast.out()).contains("RMSE", "MLflow UI: mlflow ui --backend-store-uri sqlite:///" + db,
                "tracking:  sqlite:///" + db);
        assertThat(Path.of(runDir)).isDirectoryContaining("glob:**/config_resolved.yaml")
                .isDirectoryContaining("glob:**/metadata.yaml").isDirectoryContaining("glob:**/metadata_hindcast.yaml");
        assertThat(Path.of(runDir, "datasets")).isDirectory();
        assertThat(Path.of(runDir, "reports", "folds")).isDirectory();

        Result fit = cli.ok("run", "fit-production", "--config", config.toString(), "--set", "feature_start_year=2006", "--run-dir", runDir);
        String fitId = fit.runId();
        assertThat(Path.of(runDir, "model")).isDirectory();
        Result july = cli.ok("run", "forecast", "--run-dir", runDir, "--init-date", "2022-07-15");
        Result august = cli.ok("run", "forecast", "--run-dir", runDir, "--init-date", "2022-08-15");
        String forecastId = july.runId();
        assertThat(august.runId()).isEqualTo(forecastId);
        assertThat(Path.of(runDir, "forecasts", "2022-07-15")).isDirectory();
        assertThat(Path.of(runDir, "forecasts", "2022-08-15")).isDirectory();

        // what MLflow's own tools will read: the runs in MLflow's schema, ended FINISHED
        try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + db);
                ResultSet rows = sql.createStatement().executeQuery("select run_uuid, status from runs order by start_time")) {
            StringBuilder seen = new StringBuilder();
            while (rows.next()) {
                seen.append(rows.getString(1)).append('=').append(rows.getString(2)).append(';');
            }
            assertThat(seen.toString()).isEqualTo(hindcastId + "=FINISHED;" + fitId + "=FINISHED;" + forecastId + "=FINISHED;");
        }

        String uri = "sqlite:///" + db;
        Result list = cli.ok("runs", "list", "--config", config.toString());
        assertThat(list.out()).contains(hindcastId, fitId, forecastId, "cropcast-demo", "fit-production", "forecast");
        JsonNode json = new JsonMapper().readTree(cli.ok("runs", "list", "--tracking-uri", uri, "--json", "--status", "FINISHED").out());
        assertThat(json.size()).isEqualTo(3);
        Result show = cli.ok("runs", "show", hindcastId, "--tracking-uri", uri);
        assertThat(show.out()).contains("hindcast/regression", "ridge", "datasets/", "reports/folds/", "config_resolved.yaml");
        Result compare = cli.ok("runs", "compare", hindcastId, fitId, "--tracking-uri", uri);
        assertThat(compare.out()).containsPattern("\\*  stage +hindcast +fit-production");
    }

    @Test
    void demoRunOnTheMemoryBackendFromTheEnvironment() throws Exception {
        CliHarness cli = new CliHarness(Map.of("MLFLOW_TRACKING_URI", "memory:e2e"));
        Path root = dir.resolve("demo-memory");
        Result demo = cli.ok("demo", root.toString(), "--run", "--no-progress");
        assertThat(demo.out()).contains("hindcast finished (new run)", "fit-production finished (new run)", "forecast finished (new run)",
                "tracking:  memory:e2e", "Look at the runs: cropcast runs list --config").doesNotContain("MLflow UI");
        assertThat(root.resolve("mlruns.db")).doesNotExist();
        List<String> ids = Pattern.compile("run id: +([0-9a-f]{32})").matcher(demo.out()).results().map(m -> m.group(1)).toList();
        assertThat(ids).hasSize(3).doesNotHaveDuplicates();
        JsonNode runs = new JsonMapper().readTree(cli.ok("runs", "list", "--tracking-uri", "memory:e2e", "--json").out());
        assertThat(runs.findValuesAsText("run_id")).containsExactlyInAnyOrderElementsOf(ids);
        runs.forEach(r -> assertThat(r.get("status").asText()).isEqualTo("FINISHED"));
        List<String> stages = new java.util.ArrayList<>();
        runs.forEach(r -> stages.add(r.get("stage").asText()));
        assertThat(stages).containsExactlyInAnyOrder("hindcast", "fit-production", "forecast");
        JsonNode hindcast = new JsonMapper().readTree(cli.ok("runs", "show", ids.get(0), "--tracking-uri", "memory:e2e", "--json").out());
        assertThat(hindcast.get("artifacts").findValuesAsText("path")).contains("datasets/fit.parquet", "datasets/pred.parquet");
        try (var runDirs = Files.list(root.resolve("runs/cropcast-demo"))) {
            List<Path> all = runDirs.toList();
            assertThat(all).hasSize(1); // one run directory for the three stages
            Path runDir = all.get(0);
            assertThat(runDir.resolve("metadata_hindcast.yaml")).exists();
            assertThat(runDir.resolve("metadata_fit-production.yaml")).exists();
            assertThat(runDir.resolve("metadata_forecast.yaml")).exists();
        }
    }
}
