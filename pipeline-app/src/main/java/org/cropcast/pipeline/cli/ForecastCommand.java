package org.cropcast.pipeline.cli;

import com.google.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.cropcast.pipeline.config.ConfigLoader;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.pipeline.errors.AppErrorCode;
import org.cropcast.pipeline.runs.ModelsAccess;
import org.cropcast.pipeline.runs.ProcessContext;
import org.cropcast.pipeline.runs.StageLauncher;
import org.cropcast.pipeline.runs.StageRequests;
import org.cropcast.pipeline.stages.MlflowModelFiles;
import org.cropcast.pipeline.stages.ProgressListener;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.TrackingErrorCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code cropcast run forecast}. */
@Command(name = "forecast", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Forecast with the production model of a run directory, or with a",
            "logged or registered model (--model models:/NAME@ALIAS, models:/NAME/VERSION",
            "or models:/<model id>, with its resolved configuration).",
            "Only the features observable by --init-date are used. Every init",
            "date reopens the one forecast run recorded in the run directory's",
            "metadata_forecast.yaml."})
public final class ForecastCommand extends StageCommand {
    @Option(names = "--run-dir", paramLabel = "DIR",
            description = "The run directory of a fit-production run (its model and config_resolved.yaml are used unless --model "
                    + "is given); with --model, where the forecast is written (default: a new run directory).")
    String runDir;

    @Option(names = "--model", paramLabel = "URI",
            description = "The model to forecast with: models:/NAME@ALIAS, models:/NAME/VERSION or models:/<model id>, from the "
                    + "tracking backend of --tracking-uri or --config. It must have the cropcast flavor.")
    String model;

    @Mixin
    TrackingOptions tracking;

    @Option(names = "--init-date", required = true, paramLabel = "YYYY-MM-DD", converter = DateConverter.class,
            description = "The forecast's initialisation date.")
    LocalDate initDate;

    @Option(names = "--allow-trend-only", description = {"Forecast even when the features file has no value for the",
        "init date's year: the forecast is then the trend alone (said in the output)."})
    boolean allowTrendOnly;

    private final ModelsAccess models;
    private final ConfigLoader loader;

    @Inject
    ForecastCommand(StageLauncher launcher, StageRequests requests, ProcessContext context, ModelsAccess models, ConfigLoader loader) {
        super(launcher, requests, context);
        this.models = models;
        this.loader = loader;
    }

    @Override
    String stage() {
        return "forecast";
    }

    @Override
    StageLauncher.Launch launch(ProgressListener progress) {
        if (model != null) {
            return fromRegistry(progress);
        }
        if (runDir == null) {
            throw new CropcastException(AppErrorCode.INVALID_ARGUMENT,
                    "a forecast needs --run-dir DIR (a fit-production run directory) or --model models:/...");
        }
        return requests.forecast(runDir, initDate, progress, allowTrendOnly);
    }

    /**
     * A forecast with a logged model: resolved (and its flavor checked) before any run exists, its
     * {@code config_resolved.yaml} loaded with the tracking URI it was found in.
     */
    private StageLauncher.Launch fromRegistry(ProgressListener progress) {
        try (ModelsAccess.Session session = models.open(tracking.trackingUri(), tracking.config())) {
            ModelsAccess.Resolved resolved = session.resolve(model);
            MlflowModelFiles.requireCropcastFlavor(session.artifacts(), resolved.model());
            Path scratch = Files.createTempDirectory("cropcast-model-");
            try {
                Path file = session.download(resolved.model(), MlflowModelFiles.CONFIG_FILE, scratch);
                PipelineConfig config = loader.load(file,
                        List.of("mlflow_tracking_uri=" + session.target().uri()));
                return new StageLauncher.Launch(stage(), config, model + " (" + MlflowModelFiles.CONFIG_FILE + ")", Optional.empty(),
                        Optional.ofNullable(runDir), false, Optional.of(initDate), progress, Optional.empty(),
                        Optional.of(resolved.model().modelId()), allowTrendOnly);
            } finally {
                Files.deleteIfExists(scratch.resolve(MlflowModelFiles.CONFIG_FILE));
                Files.deleteIfExists(scratch);
            }
        } catch (IOException e) {
            throw new CropcastException(TrackingErrorCode.STORAGE_FAILURE, "cannot read the configuration of " + model + ": "
                    + e.getMessage(), e);
        }
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
