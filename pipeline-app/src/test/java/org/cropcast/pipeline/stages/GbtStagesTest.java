package org.cropcast.pipeline.stages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
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
}
