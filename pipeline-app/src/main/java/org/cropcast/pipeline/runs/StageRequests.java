package org.cropcast.pipeline.runs;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.cropcast.pipeline.config.ConfigLoader;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.pipeline.stages.ProgressListener;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunScope;

/**
 * Turns what a {@code run} command was given into a {@link StageLauncher.Launch}: the configuration
 * loaded (with its overrides) for hindcast and fit-production, and for a forecast the run directory
 * resolved and its recorded configuration read.
 */
public final class StageRequests {
    private final StageLauncher launcher;
    private final ConfigLoader loader;

    @Inject
    public StageRequests(StageLauncher launcher, ConfigLoader loader) {
        this.launcher = requireNonNull(launcher, "launcher is null");
        this.loader = requireNonNull(loader, "loader is null");
    }

    /**
     * {@code run hindcast} / {@code run fit-production}: a configuration file with overrides, an
     * optional run directory, an optional parent run (MLflow's nested runs).
     */
    public StageLauncher.Launch configured(String stage, Path config, List<String> overrides, Optional<String> runDirectory,
            boolean resume, ProgressListener progress, Optional<RunId> parentRunId) {
        PipelineConfig resolved = loader.load(config, overrides);
        Path directory = config.toAbsolutePath().getParent();
        return new StageLauncher.Launch(stage, resolved, config.toString(), Optional.ofNullable(directory), runDirectory, resume,
                Optional.empty(), progress, parentRunId);
    }

    /** {@code run forecast}: the run directory of a fit-production run, with the configuration recorded there. */
    public StageLauncher.Launch forecast(String runDirectory, LocalDate initDate, ProgressListener progress, boolean allowTrendOnly) {
        RunDirectories directories = launcher.runDirectories();
        Location directory = directories.existing(runDirectory);
        PipelineConfig config = directories.recordedConfig(directory, loader);
        Optional<Path> local = directory.isLocal() ? Optional.of(directory.localPath()) : Optional.empty();
        return new StageLauncher.Launch("forecast", config, directory.resolve(RunScope.CONFIG_FILE).toString(), local,
                Optional.of(runDirectory), false, Optional.of(initDate), progress, Optional.empty(), Optional.empty(), allowTrendOnly);
    }
}
