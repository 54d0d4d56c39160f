package org.cropcast.pipeline.stages;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.pipeline.demo.DemoDataGenerator;
import org.cropcast.tracking.FileEntry;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.MemoryStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stages read inputs from, and write the run directory to, an object store (core's
 * memory:// storage standing in for s3://): nothing assumes a local data root or run directory.
 */
class ObjectStoreLocationsTest {
    @TempDir
    Path temp;

    @Test
    void hindcastFitAndForecastOnAnObjectStore() throws IOException {
        Path local = temp.resolve("demo");
        Path configFile = DemoDataGenerator.write(local, 9);
        StageHarness harness = new StageHarness(temp.resolve("h"));
        MemoryStorage memory = harness.memoryStorage();
        Location dataRoot = Location.of("memory://bucket/data-root");
        try (Stream<Path> files = Files.walk(local.resolve("data"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                harness.storage().copy(Location.local(file), dataRoot.resolve("data/" + file.getFileName()));
            }
        }
        Files.delete(local.resolve("data/panel.csv")); // the local copy must not be what is read
        PipelineConfig config = harness.config(configFile, "data_root=" + dataRoot);
        Location runDirectory = Location.of("memory://bucket/runs/r1");

        // the stages get the app's switching storage, whose memory:// storage is the one written above
        StageRun hindcast = harness.run(new HindcastStage(), config, runDirectory, Optional.empty());
        harness.run(new FitProductionStage(), config, runDirectory, Optional.empty());
        StageRun forecast = harness.run(new ForecastStage(), config, runDirectory, Optional.of(java.time.LocalDate.of(2022, 9, 1)));

        List<String> written = memory.list(runDirectory).stream().map(FileEntry::location).map(Location::key).toList();
        assertThat(written).contains("runs/r1/datasets/fit.parquet", "runs/r1/datasets/pred.parquet",
                "runs/r1/datasets/DEMO-SURVEY/survey.csv", "runs/r1/reports/folds/2001/detrend.png",
                "runs/r1/reports/hindcast_summary.png", "runs/r1/reports/skill_table.csv", "runs/r1/model/model.json",
                "runs/r1/forecasts/2022-09-01/forecast.parquet");
        assertThat(hindcast.artifactFiles()).contains("datasets/pred.parquet", "reports/folds/2001/detrend.png");
        assertThat(forecast.history("forecast.national.error")).hasSize(1);
        // the Parquet in the object store is what DuckDB reads after staging it locally
        Path staged = temp.resolve("pred.parquet");
        try (InputStream in = memory.newInputStream(runDirectory.resolve("datasets/pred.parquet"))) {
            Files.copy(in, staged);
        }
        assertThat(((Number) DuckDb.single(staged, "SELECT count(*) FROM ?file WHERE level = 'national'")).longValue())
                .isEqualTo(DemoDataGenerator.LAST_YEAR - DemoDataGenerator.FIRST_YEAR + 1);
    }
}
