package org.cropcast.pipeline.stages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cropcast.pipeline.CliHarness;
import org.cropcast.pipeline.CliHarness.Result;
import org.cropcast.tracking.mlflow.MlflowPython;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reports of the demo pipeline against independent readers of the same run: every row of the
 * terminal's skill table is a row of the report's, the skill numbers are the run's metrics (as
 * {@code runs show --json} gives them), the error by year is the metric history as Python MLflow
 * reads it, the national series and the heat map are {@code pred.parquet} as DuckDB reads it, and
 * {@code runs report} renders the same file the stage wrote.
 */
class RunReportTest {
    private static final JsonMapper JSON = new JsonMapper();

    @TempDir
    Path dir;

    @Test
    void hindcastAndForecastReportsShowTheRunsNumbers() throws Exception {
        CliHarness cli = new CliHarness(Map.of());
        Path root = dir.resolve("demo");
        Path config = demoConfig(cli.ok("demo", root.toString()));
        Result hindcast = cli.ok("run", "hindcast", "--config", config.toString(), "--set", "feature_start_year=2008", "--no-progress");
        String id = hindcast.runId();
        Path runDir = Path.of(hindcast.runDir());
        Path file = runDir.resolve("report/hindcast.html");
        assertThat(hindcast.out()).contains("report: " + file);
        String sqlite = "sqlite:///" + root.toAbsolutePath().resolve("mlruns.db");
        JsonNode shown = JSON.readTree(cli.ok("runs", "show", id, "--tracking-uri", sqlite, "--json").out());
        assertThat(shown.get("artifacts").findValuesAsText("path")).contains("report/hindcast.html", "reports/coefficients.csv");
        JsonNode metrics = shown.get("metrics");
        Document doc = Jsoup.parse(file.toFile(), "UTF-8");

        // self-contained: no script, no external resource, every image a data URI
        assertThat(doc.select("script, link[href], iframe")).isEmpty();
        assertThat(doc.select("img")).isNotEmpty().allSatisfy(img -> assertThat(img.attr("src")).startsWith("data:image/png;base64,"));

        // every line of the terminal's skill tables is a row of the report's, cell for cell
        List<List<String>> reportRows = new ArrayList<>();
        for (Element tr : doc.select("table.skill tbody tr, table.references tbody tr")) {
            reportRows.add(tr.children().eachText());
        }
        List<String> terminal = hindcast.out().lines().filter(l -> l.matches("^(model|trend|DEMO-SURVEY) .*")).toList();
        assertThat(terminal).hasSizeGreaterThanOrEqualTo(4);
        for (String line : terminal) {
            assertThat(reportRows).as(line).contains(List.of(line.trim().split("\\s+")));
        }
        assertThat(reportRows).hasSize(terminal.size());

        // the skill numbers are the run's metrics
        for (Element tr : doc.select("table.skill tbody tr")) {
            String key = tr.attr("data-key");
            List<String> cells = tr.children().eachText();
            assertThat(cells.get(2)).isEqualTo(count(metrics, key + ".n"));
            assertThat(cells.subList(3, 8)).containsExactly(fixed(metrics, key + ".rmse", 3), fixed(metrics, key + ".mae", 3),
                    fixed(metrics, key + ".mape", 2), fixed(metrics, key + ".bias", 3), fixed(metrics, key + ".r2", 3));
        }
        for (Element tr : doc.select("table.errors-by-region tbody tr")) {
            String key = tr.attr("data-key");
            assertThat(tr.child(1).text()).isEqualTo(fixed(metrics, key + ".rmse", 3));
            assertThat(tr.child(2).text()).isEqualTo(fixed(metrics, key.replace("model.region.", "trend.region.") + ".rmse", 3));
        }
        assertThat(doc.select("table.errors-by-region tbody tr")).hasSize((int) metrics.get("hindcast.regions").get("value").asDouble());

        // the error by year is the metric history, as Python MLflow reads it
        Map<Long, Double> history = pythonHistory(sqlite, id, "fold.model.national.error");
        assertThat(history).hasSize((int) metrics.get("hindcast.folds").get("value").asDouble());
        for (Element tr : doc.select("table.errors-by-year tbody tr")) {
            long year = Long.parseLong(tr.attr("data-step"));
            assertThat(tr.child(1).text()).as("year " + year).isEqualTo(String.format(Locale.ROOT, "%.3f", history.get(year)));
        }
        assertThat(doc.select("table.errors-by-year tbody tr")).hasSize(history.size());

        // the national series and the heat map are pred.parquet, as DuckDB reads it
        Path pred = runDir.resolve("datasets/pred.parquet");
        List<Map<String, Object>> national = DuckDb.query(pred,
                "SELECT year, observed, predicted, trend FROM ?file WHERE level = 'national' ORDER BY year");
        List<Element> nationalRows = doc.select("table.national tbody tr");
        assertThat(nationalRows).hasSize(national.size());
        for (int i = 0; i < national.size(); i++) {
            Map<String, Object> row = national.get(i);
            assertThat(nationalRows.get(i).children().eachText().subList(0, 4)).containsExactly(row.get("year").toString(),
                    format(row.get("observed")), format(row.get("predicted")), format(row.get("trend")));
        }
        List<Map<String, Object>> cells = DuckDb.query(pred,
                "SELECT region, year, predicted - observed AS error FROM ?file WHERE level = 'region'");
        assertThat(doc.select("#heatmap tbody td")).hasSize(cells.size());
        for (Map<String, Object> cell : cells) {
            String title = cell.get("region") + " " + cell.get("year") + ": " + format(cell.get("error"));
            assertThat(doc.select("#heatmap td[title]").eachAttr("title")).contains(title);
        }
        // the coefficients: the mean over folds of reports/coefficients.csv, as DuckDB reads it
        Path coefficients = runDir.resolve("reports/coefficients.csv");
        for (Map<String, Object> row : DuckDb.query(coefficients, "SELECT feature, avg(standardised_coefficient) AS mean FROM "
                + "read_csv('" + coefficients + "') GROUP BY feature")) {
            Element tr = doc.select("table.coefficients tbody tr").stream().filter(r -> r.child(0).text().equals(row.get("feature")))
                    .findFirst().orElseThrow();
            assertThat(tr.child(1).text()).isEqualTo(format(row.get("mean")));
        }
        // links to every fold's plot, relative to report/
        assertThat(doc.select("#fold-plots a").eachAttr("href")).hasSizeGreaterThan(history.size())
                .allSatisfy(href -> assertThat(runDir.resolve("report").resolve(href).normalize()).exists());

        // runs report renders the same page from the store and the artifacts, and the files it links to beside it
        Path output = dir.resolve("out");
        Result rendered = cli.ok("runs", "report", id, "--tracking-uri", sqlite, "--output", output.toString());
        assertThat(rendered.out()).contains(output.resolve("report/hindcast.html").toString());
        assertThat(Files.readString(output.resolve("report/hindcast.html"))).isEqualTo(Files.readString(file));
        assertThat(doc.select("#fold-plots a").eachAttr("href"))
                .filteredOn(href -> href.startsWith("../reports/"))
                .allSatisfy(href -> assertThat(output.resolve("report").resolve(href).normalize()).exists());

        // the forecast report: one row per init date, the run's metrics, regions and references beside
        Result fit = cli.ok("run", "fit-production", "--config", config.toString(), "--set", "feature_start_year=2008",
                "--run-dir", runDir.toString(), "--no-progress");
        assertThat(fit.out()).doesNotContain("report:");
        Result bad = cli.run("runs", "report", fit.runId(), "--tracking-uri", sqlite, "--output", dir.resolve("fit").toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("fit-production run").contains("only hindcast and forecast runs have a report");
        cli.ok("run", "forecast", "--run-dir", runDir.toString(), "--init-date", "2022-07-15", "--no-progress");
        Result second = cli.ok("run", "forecast", "--run-dir", runDir.toString(), "--init-date", "2022-08-15", "--no-progress");
        Document forecast = Jsoup.parse(runDir.resolve("report/forecast.html").toFile(), "UTF-8");
        Map<Long, Double> predicted = pythonHistory(sqlite, second.runId(), "forecast.national.predicted");
        List<Element> rows = forecast.select("table.forecast-national tbody tr");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).child(0).text()).isEqualTo("2022-07-15");
        for (Element tr : rows) {
            assertThat(tr.child(2).text()).isEqualTo(String.format(Locale.ROOT, "%.3f", predicted.get(Long.parseLong(tr.attr("data-step")))));
        }
        assertThat(forecast.select("table.forecast-national thead th").eachText()).contains("DEMO_SURVEY_1");
        assertThat(forecast.select("table.forecast-regions tbody tr")).hasSize((int) metrics.get("hindcast.regions").get("value").asDouble());
        assertThat(forecast.select("table.forecast-regions thead th").eachText()).contains("forecast 2022-07-15", "forecast 2022-08-15");
        assertThat(forecast.select("img.forecast-chart")).hasSize(1);
        JsonNode forecastRun = JSON.readTree(cli.ok("runs", "show", second.runId(), "--tracking-uri", sqlite, "--json").out());
        assertThat(forecastRun.get("artifacts").findValuesAsText("path")).contains("report/forecast.html");
    }

    /** A metric's history (step to value) read by the pinned Python MLflow client from the SQLite store. */
    private static Map<Long, Double> pythonHistory(String trackingUri, String runId, String key) throws Exception {
        MlflowPython.Result result = MlflowPython.runScript(String.join("\n",
                "import sys, mlflow",
                "client = mlflow.MlflowClient(tracking_uri=sys.argv[1])",
                "for m in client.get_metric_history(sys.argv[2], sys.argv[3]):",
                "    print(m.step, repr(m.value))"), List.of(trackingUri, runId, key), Map.of(), Duration.ofMinutes(3)).requireSuccess();
        Map<Long, Double> out = new HashMap<>();
        result.stdout().lines().filter(l -> !l.isBlank()).forEach(l -> {
            String[] parts = l.trim().split(" ");
            out.put(Long.parseLong(parts[0]), Double.parseDouble(parts[1]));
        });
        return out;
    }

    static Path demoConfig(Result demo) {
        return Path.of(demo.out().lines().filter(l -> l.contains("configuration:")).findFirst().orElseThrow()
                .replaceFirst(".*configuration: ", ""));
    }

    private static String fixed(JsonNode metrics, String key, int decimals) {
        JsonNode metric = metrics.get(key);
        return metric == null ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", metric.get("value").asDouble());
    }

    private static String count(JsonNode metrics, String key) {
        return Long.toString((long) metrics.get(key).get("value").asDouble());
    }

    private static String format(Object value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.3f", ((Number) value).doubleValue());
    }
}
