package org.cropcast.pipeline.cli;

import com.google.inject.Inject;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import org.cropcast.pipeline.runs.ProcessContext;
import org.cropcast.pipeline.runs.StageLauncher;
import org.cropcast.pipeline.runs.StageRequests;
import org.cropcast.pipeline.stages.ProgressListener;
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
    ForecastCommand(StageLauncher launcher, StageRequests requests, ProcessContext context) {
        super(launcher, requests, context);
    }

    @Override
    String stage() {
        return "forecast";
    }

    @Override
    StageLauncher.Launch launch(ProgressListener progress) {
        return requests.forecast(runDir, initDate, progress);
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
