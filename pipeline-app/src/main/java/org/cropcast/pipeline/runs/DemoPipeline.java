package org.cropcast.pipeline.runs;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.cropcast.pipeline.config.ConfigLoader;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.pipeline.demo.DemoDataGenerator;
import org.cropcast.pipeline.errors.AppErrorCode;
import org.cropcast.pipeline.stages.ProgressListener;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.RunId;

/**
 * {@code cropcast demo}: writes the demo data root, and runs the whole pipeline on it as a newcomer
 * would type it: hindcast, fit-production into the hindcast's run directory, and a forecast there
 * for August 1st of the window's last year.
 */
public final class DemoPipeline {
    private final StageLauncher launcher;
    private final ConfigLoader loader;

    @Inject
    public DemoPipeline(StageLauncher launcher, ConfigLoader loader) {
        this.launcher = requireNonNull(launcher, "launcher is null");
        this.loader = requireNonNull(loader, "loader is null");
    }

    /** Writes the demo data root into {@code directory} (absent or empty) and returns its configuration file. */
    public Path writeDataRoot(Path directory, long seed) {
        if (Files.isRegularFile(directory)) {
            throw new CropcastException(AppErrorCode.INVALID_ARGUMENT, "demo: " + directory + " is a file, not a directory");
        }
        if (Files.isDirectory(directory)) {
            try (var entries = Files.list(directory)) {
                if (entries.findAny().isPresent()) {
                    throw new CropcastException(AppErrorCode.INVALID_ARGUMENT, "demo: " + directory
                            + " is not empty; choose a new directory (cropcast demo DIR)");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return DemoDataGenerator.write(directory, seed);
    }

    /**
     * Runs the three stages in one run directory; {@code finished} hears each stage's outcome as
     * soon as it ends (before the next starts), {@code onOpen} each run as it opens.
     */
    public void run(Path config, ProgressListener progress, Consumer<RunId> onOpen, BiConsumer<String, StageLauncher.Outcome> finished) {
        PipelineConfig resolved = loader.load(config, List.of());
        Optional<Path> configDirectory = Optional.ofNullable(config.toAbsolutePath().getParent());
        StageLauncher.Outcome hindcast = launcher.launch(new StageLauncher.Launch("hindcast", resolved, config.toString(),
                configDirectory, Optional.empty(), false, Optional.empty(), progress), onOpen);
        finished.accept("hindcast", hindcast);
        String runDir = hindcast.runDirectory().toString();
        finished.accept("fit-production", launcher.launch(new StageLauncher.Launch("fit-production", resolved, config.toString(),
                configDirectory, Optional.of(runDir), false, Optional.empty(), progress), onOpen));
        LocalDate initDate = LocalDate.of(resolved.featureEndYear(), 8, 1);
        finished.accept("forecast", launcher.launch(new StageLauncher.Launch("forecast", resolved, config.toString(),
                configDirectory, Optional.of(runDir), false, Optional.of(initDate), progress), onOpen));
    }
}
