package org.cropcast.pipeline.proof;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cropcast.pipeline.CliHarness;
import org.cropcast.pipeline.CliHarness.Result;
import org.cropcast.tracking.mlflow.MlflowServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hindcast's {@code report/hindcast.html} as people see it: a real {@code mlflow server}
 * (the pinned Python MLflow) on the cropcast database, its UI's artifact view of the run opened in
 * headless Chromium. MLflow's UI shows an HTML artifact in a sandboxed iframe (a blob: URL); the
 * test evaluates in that frame that the tables and the charts are in the DOM (the PNGs decoded),
 * that the numbers are the run's metrics, and that neither the frame nor the page logged a console
 * error (but MLflow's own 404 for the signed-in user, see below). A canary page first proves that
 * a console error would be caught.
 */
class ReportInMlflowUiTest {
    private static final JsonMapper JSON = new JsonMapper();

    @TempDir
    Path dir;

    @Test
    void theHindcastReportRendersInMlflowsArtifactView() throws Exception {
        CliHarness cli = new CliHarness(Map.of());
        Path root = dir.resolve("demo");
        Path config = demoConfig(cli.ok("demo", root.toString()));
        Result hindcast = cli.ok("run", "hindcast", "--config", config.toString(), "--set", "feature_start_year=2008", "--no-progress");
        String id = hindcast.runId();
        Path report = Path.of(hindcast.runDir(), "report", "hindcast.html");
        assertThat(report).exists();
        String sqlite = "sqlite:///" + root.toAbsolutePath().resolve("mlruns.db");
        JsonNode shown = JSON.readTree(cli.ok("runs", "show", id, "--tracking-uri", sqlite, "--json").out());
        JsonNode metrics = shown.get("metrics");

        try (MlflowServerProcess server = MlflowServerProcess.builder(dir.resolve("server")).backendStoreUri(sqlite).start();
                HeadlessChromium chromium = HeadlessChromium.start(dir.resolve("chromium"))) {
            // the canary: a page that logs an error is caught, so an empty list below means something
            chromium.open("data:text/html,<title>canary</title><script>console.error('cropcast-canary')</script>");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (chromium.consoleErrors().stream().noneMatch(e -> e.contains("cropcast-canary")) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(chromium.consoleErrors()).anyMatch(e -> e.contains("cropcast-canary"));
            int before = chromium.consoleErrors().size();

            String url = server.trackingUri() + "/#/experiments/" + shown.get("experiment_id").asText() + "/runs/" + id
                    + "/artifactPath/report/hindcast.html";
            chromium.open(url);
            String expression = "JSON.stringify({title: document.title,"
                    + " skill: [...document.querySelectorAll('table.skill tbody tr')].map(r => [...r.children].map(c => c.textContent)),"
                    + " references: document.querySelectorAll('table.references tbody tr').length,"
                    + " charts: [...document.querySelectorAll('img.chart')].map(i => i.complete && i.naturalWidth > 0),"
                    + " heat: document.querySelectorAll('#heatmap tbody td').length,"
                    + " regions: document.querySelectorAll('table.errors-by-region tbody tr').length,"
                    + " coefficients: document.querySelectorAll('table.coefficients tbody tr').length,"
                    + " foldLinks: [...document.querySelectorAll('#fold-plots a')].map(a => a.getAttribute('href'))})";
            String ready = "document.querySelector('table.skill') !== null"
                    + " && [...document.images].every(i => i.complete && i.naturalWidth > 0)";
            String found = chromium.evaluateInFrame("blob:", ready, expression, Duration.ofSeconds(120))
                    .orElseThrow(() -> new AssertionError("the report did not render in MLflow's artifact view within 120 s; frames "
                            + chromium.frameUrls() + "; console errors " + chromium.consoleErrors() + "; server log:\n"
                            + server.logTail()));
            JsonNode dom = JSON.readTree(found);
            assertThat(dom.get("title").asText()).isEqualTo("Hindcast: cropcast-demo");
            // model/trend x regions/national, with the run's metrics at the terminal's decimals
            assertThat(dom.get("skill")).hasSize(4);
            for (JsonNode row : dom.get("skill")) {
                String key = row.get(0).asText() + "." + row.get(1).asText();
                assertThat(row.get(2).asText()).isEqualTo(Long.toString((long) metrics.get(key + ".n").get("value").asDouble()));
                assertThat(row.get(3).asText()).isEqualTo(fixed(metrics.get(key + ".rmse").get("value").asDouble(), 3));
                assertThat(row.get(6).asText()).isEqualTo(fixed(metrics.get(key + ".bias").get("value").asDouble(), 3));
            }
            assertThat(dom.get("references").asInt()).isPositive();
            List<Boolean> charts = new ArrayList<>();
            dom.get("charts").forEach(c -> charts.add(c.asBoolean()));
            assertThat(charts).hasSizeGreaterThanOrEqualTo(2).containsOnly(true);
            int folds = (int) metrics.get("hindcast.folds").get("value").asDouble();
            int regions = (int) metrics.get("hindcast.regions").get("value").asDouble();
            assertThat(dom.get("heat").asInt()).isEqualTo(folds * regions);
            assertThat(dom.get("regions").asInt()).isEqualTo(regions);
            assertThat(dom.get("coefficients").asInt()).isPositive();
            assertThat(dom.get("foldLinks").toString()).contains("../reports/folds/");
            // let late errors (a failed fetch, an uncaught exception) arrive before judging
            Thread.sleep(2000);
            // MLflow's own UI asks for the signed-in user, which a server without the basic-auth app answers
            // with 404: that error is MLflow's, not the report's, and is the only one let through
            String ownUserLookup = "Failed to load resource: the server responded with a status of 404 (Not Found) ("
                    + server.trackingUri() + "/ajax-api/2.0/mlflow/users/current)";
            assertThat(chromium.consoleErrors().subList(before, chromium.consoleErrors().size()))
                    .filteredOn(e -> !e.equals("log: " + ownUserLookup)).isEmpty();

            // any backend: the report rendered through the server's REST API is the run directory's
            Path output = dir.resolve("from-rest");
            cli.ok("runs", "report", id, "--tracking-uri", server.trackingUri(), "--output", output.toString());
            assertThat(Files.readString(output.resolve("report/hindcast.html"))).isEqualTo(Files.readString(report));
            assertThat(output.resolve("reports/folds")).isDirectory();
        }
    }

    static Path demoConfig(Result demo) {
        return Path.of(demo.out().lines().filter(l -> l.contains("configuration:")).findFirst().orElseThrow()
                .replaceFirst(".*configuration: ", ""));
    }

    private static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
