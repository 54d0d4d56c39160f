package org.cropcast.pipeline.stages;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cropcast.pipeline.config.ConfigLoader;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.tracking.LocalStorage;
import org.cropcast.tracking.Location;

/** Builds real stage contexts: config through the app's loader, local storage, a store-backed run. */
final class StageHarness {
    final Path root;
    final Path dataRoot;
    final Path runDirectory;

    StageHarness(Path root) {
        this.root = root;
        this.dataRoot = root.resolve("data");
        this.runDirectory = root.resolve("run");
        try {
            Files.createDirectories(dataRoot);
            Files.createDirectories(runDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path sharedData() {
        String shared = System.getProperty("cropcast.shared.dir");
        if (shared == null) {
            throw new AssertionError("system property cropcast.shared.dir is not set (the root pom's Surefire config sets it)");
        }
        Path data = Path.of(shared).resolve("data");
        if (!Files.isDirectory(data)) {
            throw new AssertionError("shared data not found at " + data);
        }
        return data;
    }

    /** Copies files (paths relative to shared/data) into this harness's data root. */
    StageHarness copyShared(String... relativePaths) {
        for (String relative : relativePaths) {
            try {
                Path target = dataRoot.resolve(relative);
                Files.createDirectories(target.getParent());
                Files.copy(sharedData().resolve(relative), target, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return this;
    }

    /** Loads a config from a file, with data_root from INPUT_DATA_DIR when the file has none. */
    PipelineConfig config(Path file, String... overrides) {
        return new ConfigLoader(Map.of("INPUT_DATA_DIR", dataRoot.toString())).load(file, List.of(overrides));
    }

    /** Copies an example config out of the classpath and loads it. */
    PipelineConfig example(String name, String... overrides) {
        Path file = root.resolve(name);
        try (InputStream in = StageHarness.class.getResourceAsStream("/examples/" + name)) {
            if (in == null) {
                throw new AssertionError("example " + name + " is not on the classpath");
            }
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return config(file, overrides);
    }

    StoreBackedActiveRun run(String stage) {
        return StoreBackedActiveRun.open(root.resolve("mlartifacts"), Location.local(runDirectory), stage);
    }

    StageContext context(PipelineConfig config, StoreBackedActiveRun run, Optional<LocalDate> initDate) {
        Path work = root.resolve("work-" + run.stage() + "-" + System.nanoTime());
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new StageContext(config, run, new LocalStorage(), Location.of(config.dataRoot()),
                Location.local(runDirectory), work, initDate, config.randomSeed(), ProgressListener.NONE);
    }

    StageResult run(Stage stage, PipelineConfig config, StoreBackedActiveRun run) {
        return stage.run(context(config, run, Optional.empty()));
    }
}
