package org.cropcast.pipeline.proof;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.cropcast.pipeline.CliHarness;
import org.cropcast.pipeline.CliHarness.Result;
import org.cropcast.pipeline.demo.DemoDataGenerator;
import org.cropcast.tracking.mlflow.MlflowServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep's parent and children on a cropcast database, in MLflow's own UI ({@code mlflow server}
 * of the pinned release, headless Chromium through the DevTools protocol): the experiment's runs
 * table shows the parent alone with an expander, its children hidden; after a click on the
 * expander the children appear right under it, indented one level. A child's page renders its
 * description's skill table as an HTML table. The sweep is the in-process {@code --print-commands}
 * route (children run by this JVM, then {@code sweep finish}), so no child JVMs are started.
 */
class SweepInMlflowUiTest {
    private static final JsonMapper JSON = new JsonMapper();

    @TempDir
    Path dir;

    /** The runs-table rows: each run name link's text, the width of the nesting indent before it, ag-grid's row index, an expander. */
    private static final String ROWS = "JSON.stringify([...document.querySelectorAll('[role=row]')]"
            + ".map(r => r.querySelector('a[href*=\"/runs/\"]')).filter(a => a)"
            + ".map(a => { const cell = a.closest('[role=gridcell]'); const indent = cell && cell.querySelector('div[style*=\"width\"]');"
            + " const row = a.closest('[role=row]');"
            + " return {name: a.textContent, indent: indent ? parseInt(indent.style.width) : -1,"
            + " index: row ? parseInt(row.getAttribute('row-index')) : -1,"
            + " expander: !!(cell && cell.querySelector('button'))}; }))";

    @Test
    void theRunsTableGroupsTheChildrenUnderTheirSweep() throws Exception {
        Path config = DemoDataGenerator.write(dir.resolve("data"), 42);
        Files.writeString(config, Files.readString(config, UTF_8).replaceFirst("(?m)^feature_start_year: .*$", "feature_start_year: 2010"));
        CliHarness cli = new CliHarness(Map.of());
        Result printed = cli.ok("sweep", "hindcast", "--config", config.toString(), "--grid", "detrend=linear,quadratic", "--print-commands");
        String parent = printed.err().replaceAll("(?s).*sweep ([0-9a-f]{32}):.*", "$1");
        for (String command : printed.out().lines().toList()) {
            String[] args = command.substring("cropcast ".length()).split(" ");
            cli.ok(Arrays.copyOf(args, args.length));
        }
        cli.ok("sweep", "finish", parent, "--config", config.toString());
        Path db = dir.resolve("data").resolve("mlruns.db").toAbsolutePath();
        assertThat(db).exists();
        String experiment;
        String parentName;
        List<String> children = new ArrayList<>();
        String firstChild;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            try (PreparedStatement q = c.prepareStatement("select experiment_id, name from runs where run_uuid = ?")) {
                q.setString(1, parent);
                try (ResultSet r = q.executeQuery()) {
                    assertThat(r.next()).isTrue();
                    experiment = r.getString(1);
                    parentName = r.getString(2);
                }
            }
            try (PreparedStatement q = c.prepareStatement("select r.name, r.run_uuid from runs r join tags t on t.run_uuid = r.run_uuid"
                    + " where t.key = 'mlflow.parentRunId' and t.value = ? order by r.name")) {
                q.setString(1, parent);
                try (ResultSet r = q.executeQuery()) {
                    String first = null;
                    while (r.next()) {
                        children.add(r.getString(1));
                        first = first == null ? r.getString(2) : first;
                    }
                    firstChild = first;
                }
            }
        }
        assertThat(children).hasSize(2);

        try (MlflowServerProcess server = MlflowServerProcess.builder(dir.resolve("server")).backendStoreUri("sqlite:///" + db).workers(1)
                .start(); HeadlessChromium chromium = HeadlessChromium.start(dir.resolve("chromium"))) {
            String base = server.trackingUri();
            chromium.open(base + "/#/experiments/" + experiment + "/runs");
            String parentShown = "[...document.querySelectorAll('[role=row] a')].some(a => a.textContent === " + quote(parentName) + ")";
            JsonNode collapsed = JSON.readTree(chromium.evaluateInFrame(base, parentShown, ROWS, Duration.ofSeconds(120))
                    .orElseThrow(() -> new AssertionError("the runs table did not show the sweep within 120 s; console errors "
                            + chromium.consoleErrors() + "; server log:\n" + server.logTail())));
            assertThat(names(collapsed)).as(collapsed.toString()).contains(parentName).doesNotContainAnyElementsOf(children);
            JsonNode parentRow = row(collapsed, parentName);
            assertThat(parentRow.get("expander").asBoolean()).as("the sweep row has an expander").isTrue();

            String click = "(() => { const a = [...document.querySelectorAll('[role=row] a')].find(a => a.textContent === "
                    + quote(parentName) + "); a.closest('[role=gridcell]').querySelector('button').click(); return 'clicked'; })()";
            assertThat(chromium.evaluateInFrame(base, parentShown, click, Duration.ofSeconds(30))).contains("clicked");
            String childrenShown = children.stream().map(n -> "[...document.querySelectorAll('[role=row] a')].some(a => a.textContent === "
                    + quote(n) + ")").reduce((a, b) -> a + " && " + b).orElseThrow();
            JsonNode expanded = JSON.readTree(chromium.evaluateInFrame(base, childrenShown, ROWS, Duration.ofSeconds(60))
                    .orElseThrow(() -> new AssertionError("the sweep's children did not appear after expanding it")));
            JsonNode expandedParent = row(expanded, parentName);
            for (String child : children) {
                JsonNode row = row(expanded, child);
                assertThat(row.get("indent").asInt()).as("%s is nested one level under the sweep: %s", child, expanded)
                        .isGreaterThan(expandedParent.get("indent").asInt());
                assertThat(row.get("index").asInt()).as("%s is listed under the sweep: %s", child, expanded)
                        .isGreaterThan(expandedParent.get("index").asInt())
                        .isLessThanOrEqualTo(expandedParent.get("index").asInt() + children.size());
            }

            // a child's description: the skill table rendered as an HTML table by MLflow's Markdown view
            chromium.open(base + "/#/experiments/" + experiment + "/runs/" + firstChild);
            String tableShown = "[...document.querySelectorAll('table')].some(t => t.textContent.includes('nRMSE%'))";
            String headers = "JSON.stringify([...[...document.querySelectorAll('table')].find(t => t.textContent.includes('nRMSE%'))"
                    + ".querySelectorAll('th')].map(th => th.textContent.trim()))";
            JsonNode header = JSON.readTree(chromium.evaluateInFrame(base, tableShown, headers, Duration.ofSeconds(120))
                    .orElseThrow(() -> new AssertionError("the child's description did not render a skill table within 120 s")));
            List<String> cells = new ArrayList<>();
            header.forEach(h -> cells.add(h.asText()));
            assertThat(cells).containsSubsequence("source", "scope", "n", "RMSE", "MAE", "MAPE%", "bias", "R2", "nRMSE%");
        }
    }

    private static String quote(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static List<String> names(JsonNode rows) {
        List<String> names = new ArrayList<>();
        rows.forEach(r -> names.add(r.get("name").asText()));
        return names;
    }

    private static JsonNode row(JsonNode rows, String name) {
        for (JsonNode r : rows) {
            if (r.get("name").asText().equals(name)) {
                return r;
            }
        }
        throw new AssertionError("no row " + name + " in " + rows);
    }
}
