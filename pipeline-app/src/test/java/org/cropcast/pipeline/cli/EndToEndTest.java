package org.cropcast.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import java.util.regex.Matcher;
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

    /** The configuration file the demo command reports. */
    static Path demoConfig(Result demo) {
        return Path.of(demo.out().lines().filter(l -> l.contains("configuration:")).findFirst().orElseThrow()
                .replaceFirst(".*configuration: ", ""));
    }

    @Test
    void demoEndToEndOnTheEmbeddedSqliteStore() throws Exception {
        CliHarness cli = new CliHarness(Map.of());
        Path root = dir.resolve("demo");
        Path config = demoConfig(ok(cli, "demo", root.toString()));
        assertThat(config).exists();
        assertThat(cli.run("demo", root.toString()).exitCode()).isEqualTo(2); // not empty any more

        Result hindcast = ok(cli, "run", "hindcast", "--config", config.toString(), "--set", "feature_start_year=2006");
        String hindcastId = group(RUN_ID, hindcast);
        String runDir = group(RUN_DIR, hindcast);
        Path db = root.resolve("mlruns.db").toAbsolutePath().normalize();
        assertThat(db).exists();
        assertThat(hindcast.out()).contains("RMSE", "MLflow UI: mlflow ui --backend-store-uri sqlite:///" + db,
                "tracking:  sqlite:///" + db);
        assertThat(Path.of(runDir)).isDirectoryContaining("glob:**/config_resolved.yaml")
                .isDirectoryContaining("glob:**/metadata.yaml").isDirectoryContaining("glob:**/metadata_hindcast.yaml");
        assertThat(Path.of(runDir, "datasets")).isDirectory();
        assertThat(Path.of(runDir, "reports", "folds")).isDirectory();

        Result fit = ok(cli, "run", "fit-production", "--config", config.toString(), "--set", "feature_start_year=2006", "--run-dir", runDir);
        String fitId = group(RUN_ID, fit);
        assertThat(Path.of(runDir, "model")).isDirectory();
        Result july = ok(cli, "run", "forecast", "--run-dir", runDir, "--init-date", "2022-07-15");
        Result august = ok(cli, "run", "forecast", "--run-dir", runDir, "--init-date", "2022-08-15");
        String forecastId = group(RUN_ID, july);
        assertThat(group(RUN_ID, august)).isEqualTo(forecastId);
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
        Result list = ok(cli, "runs", "list", "--config", config.toString());
        assertThat(list.out()).contains(hindcastId, fitId, forecastId, "cropcast-demo", "fit-production", "forecast");
        JsonNode json = new JsonMapper().readTree(ok(cli, "runs", "list", "--tracking-uri", uri, "--json", "--status", "FINISHED").out());
        assertThat(json.size()).isEqualTo(3);
        Result show = ok(cli, "runs", "show", hindcastId, "--tracking-uri", uri);
        assertThat(show.out()).contains("hindcast/regression", "ridge", "datasets/", "reports/folds/", "config_resolved.yaml");
        Result compare = ok(cli, "runs", "compare", hindcastId, fitId, "--tracking-uri", uri);
        assertThat(compare.out()).containsPattern("\\*  stage +hindcast +fit-production");
    }

    @Test
    void demoHindcastOnTheMemoryBackend() throws Exception {
        CliHarness cli = new CliHarness(Map.of());
        Path root = dir.resolve("demo-memory");
        Path config = demoConfig(ok(cli, "demo", root.toString()));
        Result hindcast = ok(cli, "run", "hindcast", "--config", config.toString(), "--set", "mlflow_tracking_uri=memory:e2e",
                "--set", "feature_start_year=2010", "--no-progress");
        String id = group(RUN_ID, hindcast);
        assertThat(hindcast.out()).doesNotContain("MLflow UI");
        assertThat(root.resolve("mlruns.db")).doesNotExist();
        Result show = ok(cli, "runs", "show", id, "--tracking-uri", "memory:e2e", "--json");
        JsonNode run = new JsonMapper().readTree(show.out());
        assertThat(run.get("status").asText()).isEqualTo("FINISHED");
        assertThat(run.get("params").get("hindcast/feature_start_year").asText()).isEqualTo("2010");
        assertThat(run.get("artifacts").findValuesAsText("path")).contains("datasets/fit.parquet", "datasets/pred.parquet");
        assertThat(Files.list(root.resolve("runs/cropcast-demo")).count()).isEqualTo(1);
    }
}
