package org.cropcast.pipeline.stages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.pipeline.demo.DemoDataGenerator;
import org.cropcast.tracking.Metric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parquet inputs (written by DuckDB) give the same hindcast as CSV; the expanding window never looks ahead. */
class ParquetInputAndExpandingWindowTest {
    @TempDir
    Path temp;

    @Test
    void parquetInputsMatchCsvInputs() {
        Path config = DemoDataGenerator.write(temp.resolve("demo"), 3);
        Path data = temp.resolve("demo/data");
        DuckDb.query(data.resolve("panel.csv"), "COPY (SELECT * FROM read_csv('" + data.resolve("panel.csv")
                + "')) TO '" + data.resolve("panel.parquet") + "' (FORMAT parquet); SELECT 1");
        DuckDb.query(data.resolve("panel.csv"), "COPY (SELECT * FROM read_csv('" + data.resolve("weather_monthly.csv")
                + "')) TO '" + data.resolve("weather.parquet") + "' (FORMAT parquet); SELECT 1");

        StageHarness csvHarness = new StageHarness(temp.resolve("csv"));
        PipelineConfig csv = csvHarness.config(config, "regression=ols");
        StageRun csvRun = csvHarness.run(new HindcastStage(), csv);

        StageHarness parquetHarness = new StageHarness(temp.resolve("parquet"));
        PipelineConfig parquet = parquetHarness.config(config, "regression=ols", "target.path=data/panel.parquet",
                "features.path=data/weather.parquet");
        StageRun parquetRun = parquetHarness.run(new HindcastStage(), parquet);

        assertThat(parquetRun.latest("model.regions.rmse")).isCloseTo(csvRun.latest("model.regions.rmse"), within(1e-9));
        assertThat(parquetRun.latest("model.national.rmse")).isCloseTo(csvRun.latest("model.national.rmse"), within(1e-9));
    }

    @Test
    void expandingWindowTrainsOnlyOnEarlierYears() {
        Path config = DemoDataGenerator.write(temp.resolve("demo"), 5);
        StageHarness harness = new StageHarness(temp.resolve("run"));
        PipelineConfig cfg = harness.config(config, "cv_scheme=expanding_window", "min_train_years=10");
        StageRun run = harness.run(new HindcastStage(), cfg);
        StageResult result = run.result();
        assertThat(result.summaryLines().get(0)).contains("expanding_window, 22 folds");
        List<Metric> folds = run.history("fold.model.regions.rmse");
        assertThat(folds).hasSize(22);
        assertThat(folds.get(0).step()).isEqualTo(DemoDataGenerator.FIRST_YEAR + 10);
        Path fit = harness.runDirectory.resolve("datasets/fit.parquet");
        assertThat(((Number) DuckDb.single(fit, "SELECT count(*) FROM ?file WHERE year >= fold")).longValue()).isZero();
        assertThat(((Number) DuckDb.single(fit,
                "SELECT count(DISTINCT year) FROM ?file WHERE fold = 2001")).longValue()).isEqualTo(10);
        assertThat(((Number) DuckDb.single(fit,
                "SELECT count(DISTINCT year) FROM ?file WHERE fold = 2022")).longValue()).isEqualTo(31);
    }
}
