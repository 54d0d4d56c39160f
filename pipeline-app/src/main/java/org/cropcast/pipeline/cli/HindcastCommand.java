package org.cropcast.pipeline.cli;

import com.google.inject.Inject;
import org.cropcast.pipeline.runs.ProcessContext;
import org.cropcast.pipeline.runs.StageLauncher;
import org.cropcast.pipeline.runs.StageRequests;
import picocli.CommandLine.Command;

/** {@code cropcast run hindcast}. */
@Command(name = "hindcast", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Cross-validated hindcast of the configured experiment.",
            "Folds by test year over [feature_start_year, feature_end_year];",
            "detrend and regression are fitted on each fold's training years;",
            "skill is compared with the trend and the reference estimates."})
public final class HindcastCommand extends ConfiguredStageCommand {
    @Inject
    HindcastCommand(StageLauncher launcher, StageRequests requests, ProcessContext context) {
        super(launcher, requests, context);
    }

    @Override
    String stage() {
        return "hindcast";
    }
}
