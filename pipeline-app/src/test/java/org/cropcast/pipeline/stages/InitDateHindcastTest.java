package org.cropcast.pipeline.stages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.pipeline.demo.DemoDataGenerator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hindcast at init dates cuts the features off as {@code run forecast} does. On the demo data
 * pivoted to a wide file with a period per column (June-August weather, the planted signal) plus a
 * planted leak: a feature equal to the final yield's residual from each region's linear trend,
 * with period September. The all-features model uses the leak; the hindcast at 08-01 must not be
 * improved by it, the one at 10-01 must be.
 */
class InitDateHindcastTest {
    private static final List<String> WEATHER = List.of("t2m_mean_c_m06", "t2m_mean_c_m07", "t2m_mean_c_m08",
            "precip_mm_per_day_m06", "precip_mm_per_day_m07", "precip_mm_per_day_m08");

    @TempDir
    Path temp;
    StageHarness harness;

    @BeforeEach
    void setUp() throws IOException {
        Path demo = temp.resolve("demo");
        DemoDataGenerator.write(demo, 11);
        harness = new StageHarness(temp.resolve("h"));
        writeWide(demo.resolve("data"), harness.dataRoot);
        Files.copy(demo.resolve("data/panel.csv"), harness.dataRoot.resolve("panel.csv"));
    }

    /** panel.csv's yields and the long weather pivoted wide, with leak = yield - the region's OLS trend. */
    private static void writeWide(Path from, Path to) throws IOException {
        Map<String, double[]> cells = new HashMap<>();
        List<String> weather = Files.readAllLines(from.resolve("weather_monthly.csv"));
        for (String line : weather.subList(1, weather.size())) {
            String[] c = line.split(",");
            int month = Integer.parseInt(c[2]);
            if (month >= 6 && month <= 8) {
                double[] row = cells.computeIfAbsent(c[0] + "," + c[1], k -> new double[7]);
                row[month - 6] = Double.parseDouble(c[3]);
                row[month - 3] = Double.parseDouble(c[4]);
            }
        }
        Map<String, List<double[]>> series = new HashMap<>();
        List<String> panel = Files.readAllLines(from.resolve("panel.csv"));
        for (String line : panel.subList(1, panel.size())) {
            String[] c = line.split(",");
            series.computeIfAbsent(c[0], k -> new ArrayList<>()).add(new double[] {Double.parseDouble(c[1]), Double.parseDouble(c[2])});
        }
        for (Map.Entry<String, List<double[]>> region : series.entrySet()) {
            List<double[]> points = region.getValue();
            double mx = points.stream().mapToDouble(v -> v[0]).average().orElseThrow();
            double my = points.stream().mapToDouble(v -> v[1]).average().orElseThrow();
            double sxy = points.stream().mapToDouble(v -> (v[0] - mx) * (v[1] - my)).sum();
            double sxx = points.stream().mapToDouble(v -> (v[0] - mx) * (v[0] - mx)).sum();
            for (double[] v : points) {
                double trend = my + sxy / sxx * (v[0] - mx);
                cells.get(region.getKey() + "," + (int) v[0])[6] = v[1] - trend;
            }
        }
        StringBuilder out = new StringBuilder("region,year," + String.join(",", WEATHER) + ",leak\n");
        cells.forEach((key, row) -> {
            out.append(key);
            for (double value : row) {
                out.append(',').append(String.format(Locale.ROOT, "%.6f", value));
            }
            out.append('\n');
        });
        Files.writeString(to.resolve("wide.csv"), out);
    }

    private PipelineConfig config(boolean leak, String... overrides) throws IOException {
        Path file = harness.root.resolve("config.yaml");
        Files.writeString(file, """
                experiment_name: init-dates
                feature_start_year: %d
                feature_end_year: %d
                detrend: linear
                regression: ridge
                ridge_alpha: 1.0
                init_dates: ["10-01", "08-01", "09-01"]
                target:
                  path: panel.csv
                  yield_column: yield_t_ha
                  area_column: area_kha
                  production_column: production_kt
                  unit: t/ha
                features:
                  path: wide.csv
                  layout: wide
                  variables: [%s]
                  column_periods: {t2m_mean_c_m06: 6, t2m_mean_c_m07: 7, t2m_mean_c_m08: 8,
                    precip_mm_per_day_m06: 6, precip_mm_per_day_m07: 7, precip_mm_per_day_m08: 8%s}
                """.formatted(DemoDataGenerator.FIRST_YEAR, DemoDataGenerator.LAST_YEAR,
                String.join(", ", WEATHER) + (leak ? ", leak" : ""), leak ? ", leak: 9" : ""));
        return harness.config(file, overrides);
    }

    @Test
    void aSeptemberLeakDoesNotHelpTheAugustHindcastButHelpsTheOctoberOne() throws IOException {
        StageRun clean = harness.run(new HindcastStage(), config(false));
        StageHarness first = harness;
        harness = new StageHarness(temp.resolve("leaky"));
        Files.copy(first.dataRoot.resolve("panel.csv"), harness.dataRoot.resolve("panel.csv"));
        Files.copy(first.dataRoot.resolve("wide.csv"), harness.dataRoot.resolve("wide.csv"));
        StageRun leaky = harness.run(new HindcastStage(), config(true));

        double trend = clean.latest("trend.regions.rmse");
        // the all-features model looks ahead: with the leak it is almost perfect
        assertThat(leaky.latest("model.regions.rmse")).isLessThan(0.2 * clean.latest("model.regions.rmse"));
        // 08-01: June and July are observable, August and September are not
        assertThat(leaky.latest("init.08-01.features_observable")).isEqualTo(4);
        assertThat(leaky.latest("init.10-01.features_observable")).isEqualTo(7);
        double clean08 = clean.latest("init.08-01.model.regions.rmse");
        double leaky08 = leaky.latest("init.08-01.model.regions.rmse");
        assertThat(clean08).as("June-July weather helps at 08-01").isLessThan(trend);
        assertThat(leaky08).as("the September leak does not improve 08-01").isGreaterThanOrEqualTo(clean08);
        assertThat(leaky.latest("init.09-01.model.regions.rmse")).as("nor 09-01 (September has not ended)")
                .isGreaterThanOrEqualTo(clean.latest("init.09-01.model.regions.rmse"));
        double clean10 = clean.latest("init.10-01.model.regions.rmse");
        double leaky10 = leaky.latest("init.10-01.model.regions.rmse");
        assertThat(leaky10).as("the leak is observable at 10-01").isLessThan(0.5 * clean10);
        // with every period ended, the 10-01 hindcast is the all-features model
        assertThat(clean10).isCloseTo(clean.latest("model.regions.rmse"), within(1e-9));
        // the trend has no features: the same at every init date
        assertThat(leaky.latest("init.08-01.trend.national.rmse")).isEqualTo(leaky.latest("trend.national.rmse"));
        // CY-Bench's nRMSE (percent) and R² beside the RMSE, per init date too
        assertThat(clean.latest("init.08-01.model.regions.nrmse")).isBetween(0.1, 100.0);
        assertThat(clean.latest("init.08-01.model.regions.nrmse")).isLessThan(clean.latest("trend.regions.nrmse"));
        assertThat(clean.latest("init.08-01.model.regions.r2")).isGreaterThan(clean.latest("trend.regions.r2"));
        // a skill table per init date, and a prediction column per init date in pred.parquet
        assertThat(leaky.artifactFiles()).contains("reports/init/08-01/skill_table.csv", "reports/init/10-01/skill_table.csv");
        assertThat(leaky.artifactText("reports/init/08-01/skill_table.csv"))
                .startsWith("source,scope,n,rmse,mae,mape_pct,bias,r2,nrmse_pct\n");
        assertThat(leaky.result().summaryLines()).contains("init date 08-01 (4 of 7 features observable):");
        Map<String, Object> columns = DuckDb.query(harness.runDirectory.resolve("datasets/pred.parquet"),
                "SELECT count(predicted_init_08_01) AS a, count(predicted_init_10_01) AS b, count(*) AS n FROM ?file").get(0);
        assertThat(((Number) columns.get("a")).longValue()).isEqualTo(((Number) columns.get("n")).longValue());
    }

    @Test
    void theHindcastAtAnInitDateSaysWhatTheForecastSaidThatDay() throws IOException {
        // expanding window: the fold of the last year trains on exactly the years a production model
        // fitted one year earlier trains on, so the two must give the same estimate
        int last = DemoDataGenerator.LAST_YEAR;
        StageRun hindcast = harness.run(new HindcastStage(), config(true, "cv_scheme=expanding_window"));
        Map<String, Object> fromHindcast = DuckDb.query(harness.runDirectory.resolve("datasets/pred.parquet"),
                "SELECT sum(predicted_init_08_01) AS s, count(*) AS n FROM ?file WHERE level = 'region' AND year = " + last).get(0);
        assertThat(hindcast.latest("init.08-01.model.regions.n")).isGreaterThan(0);

        StageHarness production = new StageHarness(temp.resolve("p"));
        Files.copy(harness.dataRoot.resolve("panel.csv"), production.dataRoot.resolve("panel.csv"));
        Files.copy(harness.dataRoot.resolve("wide.csv"), production.dataRoot.resolve("wide.csv"));
        Path file = production.root.resolve("config.yaml");
        Files.copy(harness.root.resolve("config.yaml"), file);
        PipelineConfig earlier = production.config(file, "feature_end_year=" + (last - 1));
        production.run(new FitProductionStage(), earlier);
        StageRun forecast = production.run(new ForecastStage(), earlier, Optional.of(LocalDate.of(last, 8, 1)));
        assertThat(forecast.result().summaryLines()).anyMatch(l -> l.contains("4 of 7 features observable"));
        Map<String, Object> fromForecast = DuckDb.query(production.runDirectory.resolve("forecasts/" + last + "-08-01/forecast.parquet"),
                "SELECT sum(predicted) AS s, count(*) AS n FROM ?file WHERE level = 'region'").get(0);
        assertThat(fromForecast.get("n")).isEqualTo(fromHindcast.get("n"));
        assertThat(((Number) fromForecast.get("s")).doubleValue())
                .isCloseTo(((Number) fromHindcast.get("s")).doubleValue(), within(1e-6));
    }

    @Test
    void aForecastUsesTheModelOfItsInitDatesFeaturesAndRefusesAModelWithoutOne() throws IOException {
        PipelineConfig config = config(true);
        harness.run(new FitProductionStage(), config);
        Path modelFile = harness.runDirectory.resolve("model/model.json");
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode model = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(modelFile.toFile());
        // June-August weather and a September leak: months 1-6 see nothing, 7 June, 8 June-July, 9 June-August, 10-12 all
        assertThat(model.get("init_months").toString()).isEqualTo("[10,11,12]");
        assertThat(model.get("init_models")).extracting(m -> m.get("init_months").toString())
                .containsExactly("[1,2,3,4,5,6]", "[7]", "[8]", "[9]");
        assertThat(model.get("init_models").get(2).get("features")).extracting(f -> f.get("name").asText())
                .containsExactly("t2m_mean_c_m06", "t2m_mean_c_m07", "precip_mm_per_day_m06", "precip_mm_per_day_m07");
        int last = DemoDataGenerator.LAST_YEAR;
        StageRun august = harness.run(new ForecastStage(), config, Optional.of(LocalDate.of(last, 8, 1)));
        assertThat(august.result().summaryLines()).contains("model: the model fitted on the 4 features observable on " + last
                + "-08-01, ridge (alpha 1.0)");
        assertThat(august.latest("forecast.model_features")).isEqualTo(4);

        // a version 1 model (no init models) serves only init dates that observe every feature
        model.put("version", 1);
        model.remove("init_models");
        model.remove("init_months");
        Files.write(modelFile, json.writeValueAsBytes(model));
        org.cropcast.tracking.CropcastException refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> harness.run(new ForecastStage(), config, Optional.of(LocalDate.of(last, 8, 1))),
                org.cropcast.tracking.CropcastException.class);
        assertThat(refused.errorCode()).isEqualTo(org.cropcast.pipeline.errors.PipelineErrorCode.NO_MODEL_FOR_INIT_DATE);
        assertThat(refused.getMessage()).contains("no model fitted on the 4 of 7 features observable on " + last + "-08-01",
                "refit it with fit-production");
        StageRun october = harness.run(new ForecastStage(), config, Optional.of(LocalDate.of(last, 10, 1)));
        assertThat(october.result().summaryLines()).anyMatch(l -> l.startsWith("model: the all-features model, ridge"));
    }
}
