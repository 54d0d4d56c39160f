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
                Optional.of(runDir), false, Optional.of(initDate), progress);
    }

    /** A calendar date, YYYY-MM-DD. */
    public static final class DateConverter implements CommandLine.ITypeConverter<LocalDate> {
        @Override
        public LocalDate convert(String value) {
            LocalDate date;
            try {
                date = LocalDate.parse(value);
            } catch (DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("'" + org.cropcast.tracking.Redactor.truncateForMessage(value)
                        + "' is not a date (expected YYYY-MM-DD, for example 2024-07-01)");
            }
            if (date.isBefore(EARLIEST) || date.isAfter(LATEST)) {
                throw new CommandLine.TypeConversionException("'" + value + "' is outside the supported range " + EARLIEST + " to " + LATEST);
            }
            return date;
        }

        /** Init dates a crop forecast can have: weather records start in the 1900s; beyond 2200 is a typo. */
        static final LocalDate EARLIEST = LocalDate.of(1900, 1, 1);
        static final LocalDate LATEST = LocalDate.of(2200, 12, 31);
    }
}
