package org.cropcast.pipeline.stages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.pipeline.demo.DemoDataGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * regression gbt through the real stages on the demo data root: the hindcast at init dates, its
 * hyperparameters as params, and a fit-production model whose trees travel through
 * {@code model.json} to {@code run forecast}, which then says on 1 August what the hindcast's
 * expanding-window fold said that day (same trees, same cut-off).
 */
class GbtStagesTest {
    private static final int LAST = DemoDataGenerator.LAST_YEAR;

    @TempDir
    Path temp;

    private PipelineConfig config(StageHarness harness, Path demoConfig, String... more) {
        String[] overrides = new String[more.length + 4];
        overrides[0] = "regression=gbt";
        overrides[1] = "gbt.trees=120";
        overrides[2] = "init_dates=[\"07-01\", \"08-01\"]";
        overrides[3] = "cv_scheme=expanding_window";
        System.arraycopy(more, 0, overrides, 4, more.length);
        return harness.config(demoConfig, overrides);
    }

    @Test
    void theTreesHindcastAtInitDatesAndForecastFromModelJson() throws IOException {
        Path demoConfig = DemoDataGenerator.write(temp.resolve("demo"), 11);
        StageHarness harness = new StageHarness(temp.resolve("h"));
        StageRun hindcast = harness.run(new HindcastStage(), config(harness, demoConfig));
        assertThat(hindcast.result().summaryLines().get(0)).contains("regression gbt (XGBoost: 120 trees, depth 3");
        Map<String, String> params = hindcast.stored().data().params();
        assertThat(params).containsEntry("hindcast/regression", "gbt").containsEntry("hindcast/gbt.trees", "120")
                .containsEntry("hindcast/gbt.max_depth", "3").containsEntry("hindcast/gbt.seed", "11");
        // the demo's planted weather signal is found by the trees too, and more of it once August is known
        double trend = hindcast.latest("trend.regions.rmse");
        assertThat(hindcast.latest("model.regions.rmse")).isLessThan(0.9 * trend);
        assertThat(hindcast.latest("init.08-01.model.regions.rmse")).isLessThan(trend);
        assertThat(hindcast.latest("init.07-01.model.regions.rmse")).isGreaterThan(hindcast.latest("model.regions.rmse"));
        assertThat(hindcast.artifactText("reports/coefficients.csv")).isEqualTo("fold,feature,standardised_coefficient\n");
        Map<String, Object> fromHindcast = DuckDb.query(harness.runDirectory.resolve("datasets/pred.parquet"),
                "SELECT sum(predicted_init_08_01) AS s, count(*) AS n FROM ?file WHERE level = 'region' AND year = " + LAST).get(0);

        // the production model fitted a year earlier trains on the last fold's years
        StageHarness production = new StageHarness(temp.resolve("p"));
        PipelineConfig earlier = config(production, demoConfig, "feature_end_year=" + (LAST - 1));
        StageRun fit = production.run(new FitProductionStage(), earlier);
        assertThat(fit.result().summaryLines()).anyMatch(l -> l.contains("regression gbt (XGBoost: 120 trees"));
        String modelJson = Files.readString(production.runDirectory.resolve("model/model.json"));
        assertThat(modelJson).contains("\"format\" : \"xgboost-ubj\"", "\"library\" : \"xgboost4j\"", "\"trees\" : 120");
        StageRun forecast = production.run(new ForecastStage(), earlier, Optional.of(LocalDate.of(LAST, 8, 1)));
        assertThat(forecast.result().summaryLines()).anyMatch(l -> l.contains("4 of 6 features observable"));
        Map<String, Object> fromForecast = DuckDb.query(production.runDirectory.resolve("forecasts/" + LAST + "-08-01/forecast.parquet"),
                "SELECT sum(predicted) AS s, count(*) AS n, sum(abs(predicted_anomaly)) AS a FROM ?file WHERE level = 'region'").get(0);
        assertThat(fromForecast.get("n")).isEqualTo(fromHindcast.get("n"));
        assertThat(((Number) fromForecast.get("a")).doubleValue()).as("the trees move the forecast off the trend").isGreaterThan(0.1);
        assertThat(((Number) fromForecast.get("s")).doubleValue())
                .isCloseTo(((Number) fromHindcast.get("s")).doubleValue(), within(1e-4));
    }

    @Test
    void autoChoosesPerFoldAndInitDateAndSaysWhichItChose() throws IOException {
        Path demoConfig = DemoDataGenerator.write(temp.resolve("demo"), 11);
        StageHarness harness = new StageHarness(temp.resolve("a"));
        StageRun hindcast = harness.run(new HindcastStage(), harness.config(demoConfig, "regression=auto", "gbt.trees=60",
                "feature_start_year=2008", "init_dates=[\"06-01\", \"08-01\"]"));
        List<String> lines = hindcast.result().summaryLines();
        // the demo's planted signal is linear in the June-August weather: ridge wins the inner cross-validation
        assertThat(lines).anyMatch(l -> l.startsWith("regression auto, every feature known: ridge (alpha ") && !l.contains("gbt in")
                && !l.contains("none (trend only) in"));
        assertThat(hindcast.history("fold.auto.gbt_chosen")).hasSize(15).allSatisfy(m -> assertThat(m.value()).isZero());
        assertThat(hindcast.history("fold.auto.trend_chosen")).hasSize(15).allSatisfy(m -> assertThat(m.value()).isZero());
        assertThat(hindcast.history("fold.auto.ridge_alpha")).hasSize(15);
        // on 1 June no feature is observable: each fold's 06-01 model is the trend, and so is its skill
        assertThat(lines).contains("regression auto at 06-01 (0 of 6 features observable): none (trend only) in 15 of 15 folds"
                + " (metrics init.06-01.auto.*)");
        assertThat(hindcast.latest("init.06-01.auto.trend_folds")).isEqualTo(15);
        assertThat(hindcast.latest("init.06-01.model.regions.rmse")).isEqualTo(hindcast.latest("trend.regions.rmse"));
        // on 1 August June and July are known: chosen among the learners on their weather alone
        assertThat(hindcast.latest("init.08-01.auto.trend_folds") + hindcast.latest("init.08-01.auto.ridge_folds")
                + hindcast.latest("init.08-01.auto.gbt_folds")).isEqualTo(15);
        assertThat(hindcast.stored().data().tags().get("hindcast.auto.choices")).startsWith("all features: ridge (alpha ")
                .contains("; 06-01: none (trend only) in 15 of 15 folds; 08-01: ");
        assertThat(hindcast.stored().data().params()).containsEntry("hindcast/regression", "auto")
                .containsEntry("hindcast/gbt.trees", "60");
        assertThat(hindcast.artifactText("reports/coefficients.csv").lines()).hasSizeGreaterThan(1);

        // the production model: one model per observable feature set, each with the learner chosen for it
        StageHarness production = new StageHarness(temp.resolve("ap"));
        PipelineConfig config = production.config(demoConfig, "regression=auto", "gbt.trees=60", "feature_start_year=2008",
                "feature_end_year=" + (LAST - 1));
        production.run(new FitProductionStage(), config);
        com.fasterxml.jackson.databind.JsonNode model = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(production.runDirectory.resolve("model/model.json").toFile());
        assertThat(model.get("init_months").toString()).isEqualTo("[9,10,11,12]");
        assertThat(model.get("init_models")).hasSize(3);
        assertThat(model.get("init_models").get(0).get("init_months").toString()).isEqualTo("[1,2,3,4,5,6]");
        assertThat(model.get("init_models").get(0).get("regression").asText()).isEqualTo("none");
        assertThat(model.get("init_models").get(0).get("features")).isEmpty();
        assertThat(model.get("init_models").get(1).get("init_months").toString()).isEqualTo("[7]");
        assertThat(model.get("init_models").get(1).get("features")).extracting(f -> f.get("name").asText())
                .containsExactly("t2m_mean_c_m06", "precip_mm_per_day_m06");
        assertThat(model.get("init_models").get(2).get("init_months").toString()).isEqualTo("[8]");
        StageRun june = production.run(new ForecastStage(), config, Optional.of(LocalDate.of(LAST, 6, 1)));
        assertThat(june.result().summaryLines()).contains("model: the model fitted on the 0 features observable on " + LAST
                + "-06-01, none (trend only)");
        assertThat(june.latest("forecast.national.predicted")).isEqualTo(june.latest("forecast.national.trend"));
        StageRun august = production.run(new ForecastStage(), config, Optional.of(LocalDate.of(LAST, 8, 1)));
        assertThat(august.latest("forecast.model_features")).isEqualTo(4);
    }
}
