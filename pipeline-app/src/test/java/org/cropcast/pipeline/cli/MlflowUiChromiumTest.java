package org.cropcast.pipeline.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cropcast.pipeline.CliHarness;
import org.cropcast.pipeline.CliHarness.Result;
import org.cropcast.tracking.mlflow.MlflowServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MLflow's own UI ({@code mlflow server} of the pinned release on a database cropcast wrote),
 * opened in headless Chromium (Debian's {@code chromium}): the fit-production run's page shows its
 * datasets, its logged model and its registered version. The DOM is dumped after the page's
 * requests have settled (a virtual time budget).
 */
class MlflowUiChromiumTest {
    @TempDir
    Path dir;

    @Test
    void runPageShowsDatasetsLoggedModelAndRegisteredVersion() throws Exception {
        CliHarness cli = new CliHarness(Map.of());
        Path root = dir.resolve("demo");
        Path config = EndToEndTest.demoConfig(cli.ok("demo", root.toString()));
        Path db = root.resolve("mlruns.db").toAbsolutePath().normalize();
        Result fit = cli.ok("run", "fit-production", "--config", config.toString(), "--set", "feature_start_year=2006");
        Matcher logged = Pattern.compile("logged model models:/(m-[0-9a-f]{32}) \\(READY\\), registered as models:/([^/]+)/1").matcher(fit.out());
        assertThat(logged.find()).as(fit.out()).isTrue();
        String modelId = logged.group(1);
        String name = logged.group(2);
        String experimentId;
        String digest;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                ResultSet r = c.createStatement().executeQuery("select r.experiment_id, d.digest from runs r join datasets d"
                        + " on d.experiment_id = r.experiment_id and d.name = 'target' where r.run_uuid = '" + fit.runId() + "'")) {
            r.next();
            experimentId = r.getString(1);
            digest = r.getString(2);
        }

        MlflowServerProcess server = MlflowServerProcess.builder(dir.resolve("server")).backendStoreUri("sqlite:///" + db).workers(1).start();
        try {
            String dom = dumpDom(server.trackingUri() + "/#/experiments/" + experimentId + "/runs/" + fit.runId());
            String text = dom.replaceAll("<[^>]+>", " ").replaceAll("\\s+", " ");
            assertThat(text).as("the run page rendered").contains("Run ID " + fit.runId());
            assertThat(text).as("datasets").contains("Datasets target (" + digest + ") training +2");
            assertThat(text).as("logged model").contains("Logged models (1)", "production Ready", name + " v1 target (#" + digest + ")");
            assertThat(dom).as("logged model link").contains("href=\"#/experiments/" + experimentId + "/models/" + modelId + "\"");
            assertThat(dom).as("registered version link").contains("href=\"#/models/" + name + "/versions/1\"");
            assertThat(text).as("source and description").contains("Source cropcast run fit-production", "cropcast fit-production");
        } finally {
            server.stop();
        }
    }

    private Path chromium() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        throw new AssertionError("headless Chromium is required (Debian package 'chromium'; .ci/run installs it)");
    }

    private String dumpDom(String url) throws Exception {
        Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
        Path out = dir.resolve("dom.html");
        Path err = dir.resolve("chromium.err");
        // a desktop-sized window: at headless Chromium's default 800x600 the run page's logged-models table drops its
        // registered-version and dataset columns once the description above it is a Markdown list
        List<String> command = new ArrayList<>(List.of(chromium().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + profile, "--virtual-time-budget=30000", "--window-size=1600,2400",
                "--dump-dom", url));
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not finish in 180 s: " + Files.readString(err, UTF_8));
        }
        assertThat(process.exitValue()).as(Files.readString(err, UTF_8)).isZero();
        return Files.readString(out, UTF_8);
    }
}
