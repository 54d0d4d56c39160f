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
import org.cropcast.tracking.Metric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example configs on the real data in ../shared/data (copied into a temporary data root),
 * end to end through the stages, with DuckDB reading the Parquet outputs. The skill tables are
 * written to target/skill-tables/ for docs/STAGES.md.
 */
class RealDataStagesTest {
    private static final String NASS = "usda-nass-corn-state-forecasts/nass_corn_grain_yield_state_forecasts_2000_2025.csv";
    private static final String POWER = "usda-nass-corn-state-forecasts/nasa_power_monthly_state_centroid_2000_2025.csv";
    private static final String CONAB_FINAL = "conab-soja-uf/conab_soja_serie_historica_uf.csv";
    private static final String CONAB_LEV = "conab-soja-uf/conab_soja_levantamentos_uf.csv";

    @TempDir
    Path temp;

    @Test
    void usCornHindcastFitAndForecast() throws IOException {
        StageHarness harness = new StageHarness(temp).copyShared(NASS, POWER);
        PipelineConfig config = harness.example("us-corn-nass.yaml");
        StageRun run = harness.run(new HindcastStage(), config);
        StageResult result = run.result();
        saveTable("us-corn-nass", result);

        Path pred = harness.runDirectory.resolve("datasets/pred.parquet");
        Path fit = harness.runDirectory.resolve("datasets/fit.parquet");
        assertThat(DuckDb.schema(pred)).containsKeys("fold", "level", "region", "year", "observed", "trend",
                "predicted", "predicted_anomaly", "weight", "ref_NASS_fcst_aug", "ref_NASS_fcst_sep", "ref_NASS_fcst_oct",
                "ref_NASS_fcst_nov");
        assertThat(DuckDb.schema(fit)).containsKeys("fold", "region", "year", "target", "trend", "anomaly",
                "t2m_mean_c_m05", "t2m_mean_c_m08", "precip_mm_per_day_m05", "precip_mm_per_day_m08");
        // 25 folds (2000-2024), 41 states, plus one national row per fold
        assertThat(((Number) DuckDb.single(pred, "SELECT count(*) FROM ?file WHERE level = 'region'")).longValue()).isEqualTo(25 * 41);
        assertThat(((Number) DuckDb.single(pred, "SELECT count(*) FROM ?file WHERE level = 'national'")).longValue()).isEqualTo(25);
        // no leakage: a fold never trains on its test year, and trains on the 24 others
        assertThat(((Number) DuckDb.single(fit, "SELECT count(*) FROM ?file WHERE year = fold")).longValue()).isZero();
        assertThat(((Number) DuckDb.single(fit,
                "SELECT max(n) FROM (SELECT count(DISTINCT year) n FROM ?file GROUP BY fold)")).longValue()).isEqualTo(24);
        // the data come through: Iowa 2012 (drought) final 137 bu/acre, August forecast 147
        Map<String, Object> iowa = DuckDb.query(pred,
                "SELECT observed, ref_NASS_fcst_aug FROM ?file WHERE region = 'IOWA' AND year = 2012").get(0);
        assertThat(((Number) iowa.get("observed")).doubleValue()).isEqualTo(137.0);
        // skill against the final values: NASS's forecasts improve from August to November
        assertThat(run.latest("ref.NASS.fcst_nov.regions.rmse")).isLessThan(run.latest("ref.NASS.fcst_aug.regions.rmse"));
        assertThat(run.latest("model.regions.rmse")).isGreaterThan(0);
        assertThat(run.history("fold.model.regions.rmse")).hasSize(25);
        // as of the init dates: July and August are unknown on 1 July, every period by 12 September
        assertThat(run.latest("init.07-01.features_observable")).isEqualTo(4);
        assertThat(run.latest("init.09-12.features_observable")).isEqualTo(8);
        assertThat(run.latest("init.09-12.model.regions.rmse")).isCloseTo(run.latest("model.regions.rmse"), within(1e-9));
        assertThat(run.latest("init.08-12.model.regions.nrmse")).isBetween(5.0, 15.0);
        // NASS's August forecast, against the model as of its publication day on the same rows: NASS is better
        assertThat(run.latest("ref.NASS.fcst_aug.national.rmse")).isLessThan(run.latest("ref.NASS.fcst_aug.model.national.rmse"));
        assertThat(run.artifactFiles()).contains("reports/init/08-12/skill_table.csv");
        // fold plots: in the run directory and logged through the fold report logger, one per fold in order
        assertThat(harness.runDirectory.resolve("reports/folds/2012/detrend.png")).exists();
        // (the stage logs fold PNGs only through the fold report logger, so reports/folds/<fold> is its work)
        assertThat(run.artifactFiles()).contains("reports/folds/2012/detrend.png");
        assertThat(run.artifactNames("reports/folds")).containsExactlyInAnyOrderElementsOf(
                java.util.stream.IntStream.rangeClosed(2000, 2024).mapToObj(Integer::toString).toList());
        assertThat(run.artifactFiles()).contains("reports/hindcast_summary.png", "reports/skill_table.csv",
                "datasets/pred.parquet", "datasets/fit.parquet",
                "datasets/NASS/nass_corn_grain_yield_state_forecasts_2000_2025.csv");
        copyPlot(harness, "reports/folds/2012/detrend.png", "us-corn-fold-2012.png");
        copyPlot(harness, "reports/hindcast_summary.png", "us-corn-summary.png");

        harness.run(new FitProductionStage(), config);
        assertThat(harness.runDirectory.resolve("model/model.json")).exists();
        StageRun forecastRun = harness.run(new ForecastStage(), config, Optional.of(LocalDate.of(2024, 8, 1)));
        StageResult forecast = forecastRun.result();
        // May-July of both variables are observable on 1 August, August is not
        assertThat(forecast.summaryLines().get(0)).contains("6 of 8 features observable");
        List<Metric> error = forecastRun.history("forecast.national.error");
        assertThat(error).singleElement().satisfies(m -> assertThat(m.step()).isEqualTo(20240801L));
        Path file = harness.runDirectory.resolve("forecasts/2024-08-01/forecast.parquet");
        assertThat(((Number) DuckDb.single(file, "SELECT count(*) FROM ?file WHERE level = 'region'")).longValue()).isEqualTo(41);
        double observedIowa = ((Number) DuckDb.single(file, "SELECT observed FROM ?file WHERE region = 'IOWA'")).doubleValue();
        assertThat(observedIowa).isEqualTo(211.0);
    }

    @Test
    void brazilSoybeanTwoReferenceSpecsDoNotCollide() throws IOException {
        StageHarness harness = new StageHarness(temp).copyShared(CONAB_FINAL, CONAB_LEV);
        PipelineConfig config = harness.example("brazil-soybean-conab.yaml");
        StageRun run = harness.run(new HindcastStage(), config);
        StageResult result = run.result();
        saveTable("brazil-soybean-conab", result);

        assertThat(run.artifactFiles()).contains("datasets/CONAB-final/conab_soja_serie_historica_uf.csv",
                "datasets/CONAB-LEV/conab_soja_levantamentos_uf.csv");
        assertThat(harness.runDirectory.resolve("datasets/CONAB-LEV/conab_soja_levantamentos_uf.csv")).exists();
        // CONAB-final is the target itself, and levantamento 12 equals it (PROVENANCE.md): zero error
        assertThat(run.latest("ref.CONAB-final.yield_kg_ha.regions.rmse")).isEqualTo(0.0);
        assertThat(run.latest("ref.CONAB-LEV.12.regions.rmse")).isCloseTo(0.0, within(1e-9));
        assertThat(run.latest("ref.CONAB-LEV.1.regions.rmse")).isGreaterThan(100);
        // surveys are compared only on 2018-2024 (harvest years of 2017/18-2023/24)
        Path pred = harness.runDirectory.resolve("datasets/pred.parquet");
        assertThat(((Number) DuckDb.single(pred,
                "SELECT min(year) FROM ?file WHERE ref_CONAB_LEV_1 IS NOT NULL")).intValue()).isEqualTo(2018);
        // the 95% threshold keeps the big producers and drops the small ones
        List<Map<String, Object>> regions = DuckDb.query(pred, "SELECT DISTINCT region FROM ?file WHERE level = 'region'");
        List<Object> names = regions.stream().map(r -> r.get("region")).toList();
        assertThat(names).contains("MT", "PR", "RS", "GO", "MS").doesNotContain("AC", "RJ", "AM");
        assertThat(names.size()).isBetween(8, 15);
        // national = area-weighted over the selected regions: recompute it from the CSV with DuckDB
        Path csv = harness.dataRoot.resolve(CONAB_FINAL);
        String inList = String.join(",", names.stream().map(n -> "'" + n + "'").toList());
        double expected = ((Number) DuckDb.single(pred, "SELECT sum(producao_mil_t) / sum(area_plantada_mil_ha) * 1000 FROM read_csv('"
                + csv + "') WHERE year_harvest = 2023 AND uf IN (" + inList + ")")).doubleValue();
        double national = ((Number) DuckDb.single(pred,
                "SELECT observed FROM ?file WHERE level = 'national' AND year = 2023")).doubleValue();
        assertThat(national).isCloseTo(expected, within(1e-6 * expected));
        assertThat(expected).isBetween(3300.0, 3700.0);
    }

    private static void saveTable(String name, StageResult result) throws IOException {
        Path dir = Path.of("target", "skill-tables");
        Files.createDirectories(dir);
        Files.write(dir.resolve(name + ".txt"), result.summaryLines());
    }

    private static void copyPlot(StageHarness harness, String relative, String name) throws IOException {
        Path dir = Path.of("target", "skill-tables");
        Files.createDirectories(dir);
        Files.copy(harness.runDirectory.resolve(relative), dir.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
