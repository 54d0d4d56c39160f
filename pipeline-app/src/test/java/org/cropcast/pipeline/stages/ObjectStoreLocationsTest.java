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
import org.cropcast.tracking.SwitchingStorage;
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
        MemoryStorage memory = new MemoryStorage();
        SwitchingStorage storage = SwitchingStorage.localAndMemory(memory);
        Location dataRoot = Location.of("memory://bucket/data-root");
        try (Stream<Path> files = Files.walk(local.resolve("data"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                storage.copy(Location.local(file), dataRoot.resolve("data/" + file.getFileName()));
            }
        }
        Files.delete(local.resolve("data/panel.csv")); // the local copy must not be what is read
        StageHarness harness = new StageHarness(temp.resolve("h"));
        PipelineConfig config = harness.config(configFile, "data_root=" + dataRoot);
        Location runDirectory = Location.of("memory://bucket/runs/r1");

        StoreBackedActiveRun hindcast = StoreBackedActiveRun.open(temp.resolve("artifacts"), runDirectory, "hindcast", storage);
        new HindcastStage().run(context(config, hindcast, storage, dataRoot, runDirectory, Optional.empty()));
        StoreBackedActiveRun fit = StoreBackedActiveRun.open(temp.resolve("artifacts"), runDirectory, "fit-production", storage);
        new FitProductionStage().run(context(config, fit, storage, dataRoot, runDirectory, Optional.empty()));
        StoreBackedActiveRun forecast = StoreBackedActiveRun.open(temp.resolve("artifacts"), runDirectory, "forecast", storage);
        new ForecastStage().run(context(config, forecast, storage, dataRoot, runDirectory,
                Optional.of(java.time.LocalDate.of(2022, 9, 1))));

        List<String> written = memory.list(runDirectory).stream().map(FileEntry::location).map(Location::key).toList();
        assertThat(written).contains("runs/r1/datasets/fit.parquet", "runs/r1/datasets/pred.parquet",
                "runs/r1/datasets/DEMO-SURVEY/survey.csv", "runs/r1/reports/folds/2001/detrend.png",
                "runs/r1/reports/hindcast_summary.png", "runs/r1/reports/skill_table.csv", "runs/r1/model/model.json",
                "runs/r1/forecasts/2022-09-01/forecast.parquet");
        assertThat(hindcast.artifact("datasets/pred.parquet")).exists();
        assertThat(hindcast.artifact("reports/folds/2001/detrend.png")).exists();
        assertThat(forecast.history("forecast.national.error")).hasSize(1);
        // the Parquet in the object store is what DuckDB reads after staging it locally
        Path staged = temp.resolve("pred.parquet");
        try (InputStream in = memory.newInputStream(runDirectory.resolve("datasets/pred.parquet"))) {
            Files.copy(in, staged);
        }
        assertThat(((Number) DuckDb.single(staged, "SELECT count(*) FROM ?file WHERE level = 'national'")).longValue())
                .isEqualTo(DemoDataGenerator.LAST_YEAR - DemoDataGenerator.FIRST_YEAR + 1);
    }

    private StageContext context(PipelineConfig config, StoreBackedActiveRun run, SwitchingStorage storage, Location dataRoot,
            Location runDirectory, Optional<java.time.LocalDate> initDate) throws IOException {
        Path work = Files.createTempDirectory(temp, "work");
        return new StageContext(config, run, storage, dataRoot, runDirectory, work, initDate, 1, ProgressListener.NONE);
    }
}
