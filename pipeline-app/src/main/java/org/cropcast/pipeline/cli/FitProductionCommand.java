package org.cropcast.pipeline.cli;

import com.google.inject.Inject;
import org.cropcast.pipeline.runs.ProcessContext;
import org.cropcast.pipeline.runs.StageLauncher;
import org.cropcast.pipeline.runs.StageRequests;
import picocli.CommandLine.Command;

/** {@code cropcast run fit-production}. */
@Command(name = "fit-production", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Fit the production model on every year of the window.",
            "The model is saved in the run directory (model/) and as an MLflow",
            "artifact; 'cropcast run forecast --run-dir DIR' applies it."})
public final class FitProductionCommand extends ConfiguredStageCommand {
    @Inject
    FitProductionCommand(StageLauncher launcher, StageRequests requests, ProcessContext context) {
        super(launcher, requests, context);
    }

    @Override
    String stage() {
        return "fit-production";
    }
}
