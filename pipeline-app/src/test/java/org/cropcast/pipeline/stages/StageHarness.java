package org.cropcast.pipeline.stages;

import com.google.inject.Injector;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cropcast.pipeline.Cropcast;
import org.cropcast.pipeline.config.ConfigLoader;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.pipeline.config.PipelineSettings;
import org.cropcast.pipeline.runs.ProcessContext;
import org.cropcast.pipeline.runs.RunDirectories;
import org.cropcast.pipeline.runs.StageLauncher;
import org.cropcast.pipeline.runs.TrackingTarget;
import org.cropcast.tracking.ArtifactStore;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.LoggedModel;
import org.cropcast.tracking.MemoryStorage;
import org.cropcast.tracking.ModelStore;
import org.cropcast.tracking.ModelStoreFactory;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.RunStoreFactory;
import org.cropcast.tracking.Storage;
import org.cropcast.tracking.TrackingAdapters;
import org.cropcast.tracking.SwitchingStorage;

/**
 * Runs a stage as the application does, but calls it directly: the configuration through the
 * app's loader; the ports (tracking backends by scheme, switching storage and artifact store,
 * YAML writer) from the app's own Guice wiring; the run directory and mode chosen, and the run
 * opened and ended, by {@link StageLauncher}'s {@link org.cropcast.tracking.RunScope}. The
 * tracking URI is {@value #TRACKING_URI}: core's in-memory store through the app's
 * {@code memory:} backend, one store per harness. Unlike a launch, the input files are not
 * checked or fingerprinted first, so that a stage meets bad inputs itself ({@link BadInputTest}).
 */
final class StageHarness {
    static final String TRACKING_URI = "memory:stage-tests";

    final Path root;
    final Path dataRoot;
    final Path runDirectory;
    private final Injector injector;
    private final Map<PipelineConfig, Path> configFiles = new IdentityHashMap<>();
    private final List<StageRun> runs = new ArrayList<>();
    /** What {@code --allow-trend-only} would set for the forecast stage. */
    boolean allowTrendOnly;

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
        PrintWriter discard = new PrintWriter(Writer.nullWriter());
        this.injector = Cropcast.injector(ProcessContext.of(discard, discard, Map.of(), Clock.systemUTC()));
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

    /**
     * Loads a config from a file, with data_root from INPUT_DATA_DIR when the file has none, and
     * mlflow_tracking_uri set to {@value #TRACKING_URI} (before {@code overrides}).
     */
    PipelineConfig config(Path file, String... overrides) {
        List<String> all = new ArrayList<>();
        all.add("mlflow_tracking_uri=" + TRACKING_URI);
        all.addAll(List.of(overrides));
        PipelineConfig config = new ConfigLoader(Map.of("INPUT_DATA_DIR", dataRoot.toString())).load(file, all);
        configFiles.put(config, file);
        return config;
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

    /** The app's storage (local files, {@code memory://}, {@code s3://}), as the stages get it. */
    Storage storage() {
        return injector.getInstance(Storage.class);
    }

    /** The app's {@code memory://} storage (one per harness), standing in for an object store. */
    MemoryStorage memoryStorage() {
        return (MemoryStorage) injector.getInstance(SwitchingStorage.class).forLocation(Location.of("memory://harness"));
    }

    /** Runs a stage in this harness's local run directory. */
    StageRun run(Stage stage, PipelineConfig config) {
        return run(stage, config, Optional.empty());
    }

    StageRun run(Stage stage, PipelineConfig config, Optional<LocalDate> initDate) {
        return run(stage, config, Location.local(runDirectory), initDate);
    }

    /** Runs a stage in {@code runDirectory} (local or object store), tracked in the config's tracking store. */
    StageRun run(Stage stage, PipelineConfig config, Location runDirectory, Optional<LocalDate> initDate) {
        TrackingTarget tracking = TrackingTarget.of(config, injector.getInstance(TrackingAdapters.class));
        // the memory: backend keeps one store per URI for the injector's life: not closed, so runs stay readable
        RunStore store = injector.getInstance(RunStoreFactory.class).create(tracking.uri());
        return run(stage, config, runDirectory, initDate, store, tracking);
    }

    /**
     * Runs a stage as {@link StageLauncher#launch} does after its checks: the launcher chooses the
     * mode (create, or resume the run recorded in the directory) and opens the run through its run
     * scope over {@code store}; the run ends FINISHED when the stage returns, FAILED when it throws
     * (the exception propagates; {@link #lastRun()} then gives the failed run).
     */
    StageRun run(Stage stage, PipelineConfig config, Location runDirectory, Optional<LocalDate> initDate, RunStore store,
            TrackingTarget tracking) {
        return run(stage, config, runDirectory, initDate, store, tracking, Optional.empty());
    }

    /** The model store of the tracking target, beside {@code store}. */
    ModelStore models(RunStore store, TrackingTarget tracking) {
        return injector.getInstance(ModelStoreFactory.class).create(tracking.uri(), store);
    }

    /** As {@link #run(Stage, PipelineConfig, Location, Optional, RunStore, TrackingTarget)}, forecasting with a logged model. */
    StageRun run(Stage stage, PipelineConfig config, Location runDirectory, Optional<LocalDate> initDate, RunStore store,
            TrackingTarget tracking, Optional<LoggedModel> forecastModel) {
        StageLauncher launcher = injector.getInstance(StageLauncher.class);
        ArtifactStore artifacts = injector.getInstance(ArtifactStore.class);
        RunDirectories.Choice choice = launcher.choose(stage.name(), config, Optional.of(runDirectory.toString()), false);
        String configPath = Optional.ofNullable(configFiles.get(config)).map(Path::toString).orElse("(loaded outside the harness)");
        Path work = workDirectory(stage.name());
        StageResult result = launcher.runScope(store, tracking, Optional.empty())
                .run(StageLauncher.runRequest(stage.name(), config, configPath, choice, List.of()), run -> {
                    runs.add(new StageRun(run.runId(), store, artifacts, Optional.empty()));
                    return stage.run(new StageContext(config, PipelineSettings.of(config), run, storage(), choice.directory(),
                            work, initDate, injector.getInstance(Clock.class), ProgressListener.NONE,
                            new StageModels(models(store, tracking), artifacts, forecastModel), allowTrendOnly));
                });
        StageRun finished = new StageRun(lastRun().runId(), store, artifacts, Optional.of(result));
        runs.set(runs.size() - 1, finished);
        return finished;
    }

    /** The run most recently opened, also when its stage failed. */
    StageRun lastRun() {
        if (runs.isEmpty()) {
            throw new AssertionError("no run was opened");
        }
        return runs.get(runs.size() - 1);
    }

    private Path workDirectory(String stage) {
        try {
            return Files.createDirectories(root.resolve("work-" + stage + "-" + System.nanoTime()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
