package org.cropcast.pipeline.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.cropcast.pipeline.runs.ProcessContext;
import org.cropcast.pipeline.runs.StageLauncher;
import org.cropcast.pipeline.runs.StageRequests;
import org.cropcast.pipeline.stages.ProgressListener;
import org.cropcast.tracking.RunId;
import picocli.CommandLine.Option;

/** {@code run hindcast} and {@code run fit-production}: a configuration file, overrides, a run directory. */
abstract class ConfiguredStageCommand extends StageCommand {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The experiment's YAML configuration.")
    Path config;

    @Option(names = "--run-dir", paramLabel = "DIR",
            description = "Write into this run directory (local path or s3://...). If it records a run of this stage "
                    + "(metadata_<stage>.yaml) that run is resumed. Default: a new directory under <data_root>/runs/<experiment_key>/.")
    String runDir;

    @Option(names = "--resume", description = "Require resuming the run recorded in --run-dir (fail if there is none).")
    boolean resume;

    @Option(names = "--parent-run-id", paramLabel = "RUN_ID",
            description = "Make the run a child of this run (MLflow's nested runs: tag mlflow.parentRunId). "
                    + "The parent must be an active run of the same experiment.")
    String parentRunId;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a configuration key (nested keys with dots: --set target.yield_column=yield). Repeatable.")
    List<String> overrides = new ArrayList<>();

    ConfiguredStageCommand(StageLauncher launcher, StageRequests requests, ProcessContext context) {
        super(launcher, requests, context);
    }

    @Override
    StageLauncher.Launch launch(ProgressListener progress) {
        return requests.configured(stage(), config, overrides, Optional.ofNullable(runDir), resume, progress,
                Optional.ofNullable(parentRunId).map(RunId::of));
    }
}
