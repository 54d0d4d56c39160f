package org.cropcast.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cropcast.pipeline.cli.ModelsEndToEndTest.countRuns;
import static org.cropcast.pipeline.cli.ModelsEndToEndTest.runDirectories;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.cropcast.pipeline.CliHarness;
import org.cropcast.pipeline.CliHarness.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run forecast} with a production model that has no model for the features observable on
 * the init date ({@code NO_MODEL_FOR_INIT_DATE}) is refused before any run or run directory
 * exists: exit 2, one line naming the model file, the init date, the observable features and the
 * models the file has; from the registry ({@code --model}) and from a run directory
 * ({@code --run-dir}) alike. An init date the file has a model for still forecasts.
 */
class ForecastNoModelRefusedTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void anInitDateWithoutAModelIsRefusedBeforeAnyRunOrRunDirectoryExists() throws Exception {
        CliHarness cli = new CliHarness(Map.of());
        Path root = dir.resolve("demo");
        Path config = EndToEndTest.demoConfig(cli.ok("demo", root.toString()));
        Path db = root.resolve("mlruns.db").toAbsolutePath().normalize();
        String uri = "sqlite:///" + db;
        Result fit = cli.ok("run", "fit-production", "--config", config.toString(), "--set", "feature_start_year=2006");
        Matcher logged = Pattern.compile("logged model models:/(m-[0-9a-f]{32})").matcher(fit.out());
        assertThat(logged.find()).as(fit.out()).isTrue();
        String model = "models:/" + logged.group(1);

        // drop the init model that serves August from every copy of model.json: the run directory's and the logged model's
        List<Path> modelFiles = modelFiles(root);
        assertThat(modelFiles).hasSizeGreaterThanOrEqualTo(2);
        for (Path file : modelFiles) {
            ObjectNode doc = (ObjectNode) JSON.readTree(file.toFile());
            ArrayNode initModels = (ArrayNode) doc.get("init_models");
            int before = initModels.size();
            for (int i = initModels.size() - 1; i >= 0; i--) {
                if (months(initModels.get(i)).contains(8)) {
                    initModels.remove(i);
                }
            }
            assertThat(initModels.size()).as(file.toString()).isEqualTo(before - 1);
            Files.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc));
        }

        int runsBefore = countRuns(db);
        List<Path> directoriesBefore = runDirectories(root);
        Result fromRegistry = cli.run("run", "forecast", "--model", model, "--init-date", "2022-08-01", "--tracking-uri", uri);
        String registryError = refusal(fromRegistry);
        String message = ": no model fitted on the 4 of 6 features observable on 2022-08-01; it has months 9-12: all 6 features;"
                + " months 1-6: 0 features; months 7: 2 features; refit it with fit-production (observable: t2m_mean_c_m06,"
                + " t2m_mean_c_m07, precip_mm_per_day_m06, precip_mm_per_day_m07)";
        assertShown(registryError, "cropcast: " + model + message);
        assertThat(countRuns(db)).isEqualTo(runsBefore);
        assertThat(runDirectories(root)).isEqualTo(directoriesBefore);

        Path fitDir = Path.of(fit.runDir());
        Result fromRunDir = cli.run("run", "forecast", "--run-dir", fitDir.toString(), "--init-date", "2022-08-01");
        assertShown(refusal(fromRunDir), "cropcast: " + fitDir.resolve("model/model.json") + message);
        assertThat(countRuns(db)).isEqualTo(runsBefore);
        assertThat(runDirectories(root)).isEqualTo(directoriesBefore);
        assertThat(fitDir.resolve("metadata_forecast.yaml")).doesNotExist();
        assertThat(fitDir.resolve("forecasts")).doesNotExist();

        // an init date the file still has a model for forecasts as before
        Result july = cli.ok("run", "forecast", "--run-dir", fitDir.toString(), "--init-date", "2022-07-01");
        assertThat(july.out()).contains("features observable");
        assertThat(countRuns(db)).isEqualTo(runsBefore + 1);
    }

    /** The refusal's one line on standard error, after checking exit 2. */
    private static String refusal(Result result) {
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        String error = result.err().strip();
        assertThat(error.lines().count()).as(error).isEqualTo(1);
        return error;
    }

    /** {@code error} is {@code full}, or its start cut at the message limit (then "..."), still naming the models and the remedy. */
    private static void assertShown(String error, String full) {
        String shown = error.endsWith("...") ? error.substring(0, error.length() - 3) : error;
        assertThat(full).startsWith(shown);
        assertThat(shown).contains("2 features; refit it with fit-production (observable: t2m_mean_c_m06");
    }

    private static List<Integer> months(JsonNode initModel) {
        return Stream.of(JSON.convertValue(initModel.get("init_months"), Integer[].class)).toList();
    }

    private static List<Path> modelFiles(Path root) throws IOException {
        try (Stream<Path> paths = Files.find(root, 12, (path, attributes) -> path.getFileName().toString().equals("model.json"))) {
            return paths.sorted().toList();
        }
    }
}
