package org.cropcast.pipeline.cli;

import com.google.inject.Inject;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.cropcast.pipeline.config.ConfigLoader;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.pipeline.runs.ProcessContext;
import org.cropcast.pipeline.runs.StageLauncher;
import org.cropcast.pipeline.stages.ProgressListener;
import org.cropcast.tracking.Location;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code cropcast run forecast}. */
@Command(name = "forecast", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Forecast with the production model of a run directory.",
            "Only the features observable by --init-date are used. Every init",
            "date reopens the one forecast run recorded in the run directory's",
            "metadata_forecast.yaml."})
public final class ForecastCommand extends StageCommand {
    @Option(names = "--run-dir", required = true, paramLabel = "DIR",
            description = "The run directory of a fit-production run (its config_resolved.yaml is used).")
    String runDir;

    @Option(names = "--init-date", required = true, paramLabel = "YYYY-MM-DD", converter = DateConverter.class,
            description = "The forecast's initialisation date.")
    LocalDate initDate;

    @Option(names = "--allow-trend-only", description = {"Forecast even when the features file has no value for the",
        "init date's year: the forecast is then the trend alone (said in the output)."})
    boolean allowTrendOnly;

    @Inject
    ForecastCommand(StageLauncher launcher, ProcessContext context) {
        super(launcher, context);
    }

    @Override
    String stage() {
        return "forecast";
    }

    @Override
    StageLauncher.Launch launch(ProgressListener progress) {
        Location directory = launcher.runDirectories().existing(runDir);
        PipelineConfig config = launcher.runDirectories().recordedConfig(directory, new ConfigLoader(context.environment()));
        Optional<Path> local = directory.isLocal() ? Optional.of(directory.localPath()) : Optional.empty();
        return new StageLauncher.Launch(stage(), config, directory.resolve("config_resolved.yaml").toString(), local,
                Optional.of(runDir), false, Optional.of(initDate), progress, allowTrendOnly);
    }

    /** A calendar date, YYYY-MM-DD. */
    public static final class DateConverter implements CommandLine.ITypeConverter<LocalDate> {
        @Override
        public LocalDate convert(String value) {
            try {
                return LocalDate.parse(value);
            } catch (DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("'" + org.cropcast.tracking.Redactor.truncateForMessage(value)
                        + "' is not a date (expected YYYY-MM-DD, for example 2024-07-01)");
            }
        }
    }
}
