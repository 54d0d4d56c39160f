package org.cropcast.pipeline.stages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.pipeline.errors.PipelineErrorCode;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.ErrorCategory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What used to happen without a word now is said or refused: a forecast for a year without
 * feature values, an in-sample forecast, missing feature values, regions without features, wide
 * features that ignored the init date; and region selection and .csv.gz inputs work.
 */
class NoSilentFallbackTest {
    @TempDir
    Path temp;
    StageHarness harness;

    /** Regions A-D with yields 2000-2012; wide features heat (July) and rain (no period) for 2000-2011, none for D. */
    @BeforeEach
    void setUp() throws IOException {
        harness = new StageHarness(temp);
        StringBuilder panel = new StringBuilder("region,year,yield,production\n");
        StringBuilder features = new StringBuilder("region,year,heat,rain\n");
        int i = 0;
        for (String region : List.of("A", "B", "C", "D")) {
            i++;
            for (int year = 2000; year <= 2012; year++) {
                double heat = Math.sin(year * 1.3 + i);
                double rain = Math.cos(year * 0.7 + 2 * i);
                double value = 3 + 0.1 * (year - 2000) - 0.3 * heat + 0.2 * rain + 0.01 * Math.sin(year * 5.1 + i);
                panel.append(String.format(Locale.ROOT, "%s,%d,%.4f,%.1f%n", region, year, value, 100.0 * i * value));
                if (year <= 2011 && !region.equals("D")) {
                    // C lacks rain in 2011
                    String rainCell = region.equals("C") && year == 2011 ? "" : String.format(Locale.ROOT, "%.4f", rain);
                    features.append(String.format(Locale.ROOT, "%s,%d,%.4f,%s%n", region, year, heat, rainCell));
                }
            }
        }
        Files.writeString(harness.dataRoot.resolve("panel.csv"), panel);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(harness.dataRoot.resolve("features.csv.gz")))) {
            out.write(features.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private PipelineConfig config(String... overrides) throws IOException {
        Path file = temp.resolve("config.yaml");
        Files.writeString(file, """
                experiment_name: no-silent-fallback
                feature_start_year: 2000
                feature_end_year: 2011
                regression: ridge
                ridge_alpha: 0.1
                target:
                  path: panel.csv
                  production_column: production
                features:
                  path: features.csv.gz
                  variables: [heat, rain]
                  column_periods: {heat: 7}
                """);
        List<String> all = new ArrayList<>(List.of(overrides));
        return harness.config(file, all.toArray(String[]::new));
    }

    @Test
    void gzipFeaturesAreReadAndRegionsWithoutFeaturesAreNamed() throws IOException {
        StageRun hindcast = harness.run(new HindcastStage(), config());
        assertThat(hindcast.result().summaryLines()).contains("warning: 1 of 4 regions of panel.csv have no feature values in"
                + " 2000-2011 of features.csv.gz (they are predicted by their trend alone): D");
        assertThat(hindcast.result().summaryLines()).anyMatch(l -> l.startsWith("note: 13 test region-years lack some feature value"));
        assertThat(hindcast.latest("hindcast.test_cells_missing_features")).isEqualTo(13.0);
        assertThat(hindcast.latest("model.regions.rmse")).isLessThan(hindcast.latest("trend.regions.rmse"));
    }

    @Test
    void regionSelectionKeys() throws IOException {
        StageRun run = harness.run(new HindcastStage(), config("exclude_regions=[D]", "include_regions=[A, B, C, D]"));
        assertThat(run.latest("hindcast.regions")).isEqualTo(3.0);
        assertThat(run.result().summaryLines()).noneMatch(l -> l.startsWith("warning:"));
    }

    @Test
    void minYearsPerRegionDropsAndSaysSo() throws IOException {
        Path panel = harness.dataRoot.resolve("panel.csv");
        // B loses its yields of 2000-2005: 6 of the window's 12 years remain
        Files.write(panel, Files.readAllLines(panel).stream().map(l -> l.matches("B,200[0-5],.*") ? l.substring(0, 7) + ",," : l).toList());
        StageRun run = harness.run(new HindcastStage(), config("min_years_per_region=8", "exclude_regions=[D]"));
        assertThat(run.latest("hindcast.regions")).isEqualTo(2.0);
        assertThat(run.result().summaryLines()).contains("warning: min_years_per_region 8 drops 1 region(s) with fewer target"
                + " years in 2000-2011: B (6)");
    }

    @Test
    void aForecastForAYearWithoutFeatureValuesIsRefusedUnlessAllowed() throws IOException {
        PipelineConfig config = config("exclude_regions=[D]");
        harness.run(new FitProductionStage(), config);
        CropcastException e = catchThrowableOfType(CropcastException.class,
                () -> harness.run(new ForecastStage(), config, Optional.of(LocalDate.of(2012, 9, 1))));
        assertThat(e.errorCode()).isEqualTo(PipelineErrorCode.NO_FEATURES_FOR_YEAR);
        assertThat(e.category()).isEqualTo(ErrorCategory.USER_INPUT);
        assertThat(e.getMessage()).isEqualTo("features.csv.gz: no feature values for 2012 (its values cover 2000-2011): the"
                + " forecast would be the trend alone; pass --allow-trend-only to accept that");
        assertThat(harness.runDirectory.resolve("forecasts/2012-09-01")).doesNotExist();

        harness.allowTrendOnly = true;
        StageRun allowed = harness.run(new ForecastStage(), config, Optional.of(LocalDate.of(2012, 9, 1)));
        assertThat(allowed.result().summaryLines()).contains("trend only (--allow-trend-only): features.csv.gz has no feature"
                + " values for 2012 (its values cover 2000-2011)");
        assertThat(allowed.latest("forecast.national.predicted")).isCloseTo(allowed.latest("forecast.national.trend"), within(0.5));
    }

    @Test
    void presentFeaturesAndInSampleForecastsAreSaid() throws IOException {
        PipelineConfig config = config("exclude_regions=[D]");
        harness.run(new FitProductionStage(), config);
        // 2011-07-15: July has not ended, so heat (period 7) is not observable; rain has no period
        StageRun early = harness.run(new ForecastStage(), config, Optional.of(LocalDate.of(2011, 7, 15)));
        List<String> lines = early.result().summaryLines();
        assertThat(lines.get(0)).contains("1 of 2 features observable");
        assertThat(lines.get(1)).isEqualTo("0-1 of 2 features present (observable with a value); 1 of 3 regions lack observable"
                + " values (the training mean is used): C 0");
        assertThat(lines).anyMatch(l -> l.contains("(in-sample: 2011 is one of the model's training years, so this is not a"
                + " forecast error)"));
        assertThat(early.latest("forecast.in_sample")).isEqualTo(1.0);
        assertThat(early.latest("forecast.features_present.min")).isEqualTo(0.0);
        Map<String, Object> c = DuckDb.query(harness.runDirectory.resolve("forecasts/2011-07-15/forecast.parquet"),
                "SELECT features_present FROM ?file WHERE region = 'C'").get(0);
        assertThat(((Number) c.get("features_present")).intValue()).isZero();
        StageRun late = harness.run(new ForecastStage(), config, Optional.of(LocalDate.of(2011, 8, 1)));
        assertThat(late.result().summaryLines().get(0)).contains("2 of 2 features observable");
    }

    @Test
    void squaredTermsAreEngineeredWithTheirFeaturesPeriod() throws IOException {
        PipelineConfig config = config("exclude_regions=[D]", "features.squared=[heat]");
        StageRun hindcast = harness.run(new HindcastStage(), config);
        Map<String, Object> row = DuckDb.query(harness.runDirectory.resolve("datasets/fit.parquet"),
                "SELECT max(abs(heat_sq - heat * heat)) AS d, count(heat_sq) AS n FROM ?file").get(0);
        assertThat(((Number) row.get("n")).longValue()).isPositive();
        assertThat(((Number) row.get("d")).doubleValue()).isLessThan(1e-12);
        assertThat(hindcast.result().summaryLines()).noneMatch(l -> l.startsWith("warning:"));
        harness.run(new FitProductionStage(), config);
        // heat and heat_sq both have July's period: neither is observable on 15 July
        StageRun forecast = harness.run(new ForecastStage(), config, Optional.of(LocalDate.of(2011, 7, 15)));
        assertThat(forecast.result().summaryLines().get(0)).contains("1 of 3 features observable");
    }
}
