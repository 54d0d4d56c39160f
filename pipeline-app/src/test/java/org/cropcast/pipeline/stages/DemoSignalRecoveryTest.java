package org.cropcast.pipeline.stages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.pipeline.demo.DemoDataGenerator;
import org.cropcast.tracking.Metric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo data root plants a known trend and known feature effects; the stages must recover them.
 *
 * <p>Tolerances (stated in docs/STAGES.md): every raw feature coefficient within 0.03 t/ha per unit
 * of its planted value; every region's trend slope within 0.2 t/ha per decade (the trend is fitted
 * before the anomaly regression, so weather noise of about 0.35 t/ha gives it a standard error near
 * 0.07 t/ha per decade over 32 years: 0.2 is about three standard errors); hindcast RMSE over
 * region-years below 1.5 x the planted noise (0.12 t/ha) and well below the trend-only RMSE.
 */
class DemoSignalRecoveryTest {
    @TempDir
    Path temp;

    @Test
    void hindcastAndProductionModelRecoverThePlantedSignal() throws Exception {
        Path config = DemoDataGenerator.write(temp.resolve("demo"), 11);
        StageHarness harness = new StageHarness(temp);
        PipelineConfig cfg = harness.config(config);

        StageRun hindcast = harness.run(new HindcastStage(), cfg);
        StageResult result = hindcast.result();
        assertThat(result.summaryLines()).anyMatch(line -> line.startsWith("model ") && line.contains("regions"));

        double modelRmse = hindcast.latest("model.regions.rmse");
        double trendRmse = hindcast.latest("trend.regions.rmse");
        assertThat(modelRmse).isLessThan(1.5 * DemoDataGenerator.NOISE_SD);
        assertThat(modelRmse).isLessThan(0.5 * trendRmse);
        // one fold per year of the window, logged with the test year as step
        List<Metric> folds = hindcast.history("fold.model.regions.rmse");
        assertThat(folds).extracting(Metric::step).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(DemoDataGenerator.FIRST_YEAR, DemoDataGenerator.LAST_YEAR).boxed().toList());
        // the survey gets better issue by issue, and the model beats the first issue only
        double issue1 = hindcast.latest("ref.DEMO-SURVEY.1.regions.rmse");
        double issue3 = hindcast.latest("ref.DEMO-SURVEY.3.regions.rmse");
        assertThat(issue1).isGreaterThan(issue3);
        assertThat(hindcast.latest("ref.DEMO-SURVEY.1.model.regions.rmse")).isLessThan(issue1);
        assertThat(hindcast.latest("ref.DEMO-SURVEY.3.model.regions.rmse")).isGreaterThan(issue3);

        StageRun fit = harness.run(new FitProductionStage(), cfg);
        JsonNode model = new ObjectMapper().readTree(harness.runDirectory.resolve("model/model.json").toFile());
        assertThat(model.get("version").asInt()).isEqualTo(2);
        assertThat(model.get("config_hash").asText()).hasSize(64);
        JsonNode features = model.get("features");
        assertThat(features).hasSize(DemoDataGenerator.FEATURES.size());
        for (int f = 0; f < features.size(); f++) {
            JsonNode feature = features.get(f);
            assertThat(feature.get("name").asText()).isEqualTo(DemoDataGenerator.FEATURES.get(f));
            double raw = feature.get("coefficient").asDouble() / feature.get("sd").asDouble();
            assertThat(raw).as("raw coefficient of %s", feature.get("name").asText())
                    .isCloseTo(DemoDataGenerator.COEFFICIENTS[f], within(0.03));
        }
        // trend slopes per decade (t = (year - origin) / 10), for every selected region
        assertThat(model.get("trend_scale").asDouble()).isEqualTo(10.0);
        assertThat(model.get("regions").size()).isGreaterThan(5);
        for (JsonNode region : model.get("regions")) {
            int index = Integer.parseInt(region.get("region").asText().substring(1)) - 1;
            assertThat(region.get("coefficients").get(1).asDouble()).as("slope of %s", region.get("region").asText())
                    .isCloseTo(DemoDataGenerator.slope(index), within(0.2));
        }
        assertThat(fit.artifactFiles()).contains("model/model.json");

        // forecast: before the summer nothing is observable (trend + intercept), after August all is;
        // the second forecast in the run directory resumes the first one's run, as on the command line
        StageRun forecast = harness.run(new ForecastStage(), cfg, Optional.of(LocalDate.of(2022, 6, 1)));
        StageRun resumed = harness.run(new ForecastStage(), cfg, Optional.of(LocalDate.of(2022, 9, 1)));
        assertThat(resumed.runId()).isEqualTo(forecast.runId());
        StageResult early = forecast.result();
        StageResult late = resumed.result();
        assertThat(early.summaryLines().get(0)).contains("0 of 6 features observable");
        assertThat(late.summaryLines().get(0)).contains("6 of 6 features observable");
        List<Metric> observable = forecast.history("forecast.features_observable");
        assertThat(observable).extracting(Metric::step).containsExactly(20220601L, 20220901L);
        List<Metric> errors = forecast.history("forecast.regions.rmse");
        assertThat(errors).hasSize(2);
        assertThat(errors.get(1).value()).isLessThan(errors.get(0).value());
        assertThat(errors.get(1).value()).isLessThan(2 * DemoDataGenerator.NOISE_SD);
        Path forecastFile = harness.runDirectory.resolve("forecasts/2022-09-01/forecast.parquet");
        assertThat(forecastFile).exists();
        assertThat(forecast.artifactFiles()).contains("forecasts/2022-09-01/forecast.parquet");
        Map<String, Object> national = DuckDb.query(forecastFile,
                "SELECT predicted, observed, features_observable FROM ?file WHERE level = 'national'").get(0);
        assertThat(((Number) national.get("features_observable")).intValue()).isEqualTo(6);
        assertThat(((Number) national.get("predicted")).doubleValue())
                .isCloseTo(((Number) national.get("observed")).doubleValue(), within(0.1));
        assertThat(Files.size(forecastFile)).isGreaterThan(0);
    }
}
