package org.cropcast.pipeline.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import org.cropcast.pipeline.runs.ProcessContext;
import org.cropcast.pipeline.runs.StageLauncher;
import org.cropcast.pipeline.runs.StageRequests;
import org.cropcast.tracking.RunId;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What the three {@code run} subcommands share: launching through {@link StageLauncher}, progress, output. */
abstract class StageCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--no-progress", description = "Do not show progress.")
    boolean noProgress;

    final StageLauncher launcher;
    final StageRequests requests;
    final ProcessContext context;

    StageCommand(StageLauncher launcher, StageRequests requests, ProcessContext context) {
        this.launcher = launcher;
        this.requests = requests;
        this.context = context;
    }

    abstract String stage();

    abstract StageLauncher.Launch launch(org.cropcast.pipeline.stages.ProgressListener progress);

    @Override
    public Integer call() {
        Signals.install(context);
        ParentWatchdog.start(context);
        boolean quiet = spec.commandLine().getParseResult() != null && quiet();
        var progress = Progress.choose(context, spec.commandLine().getErr(), noProgress || quiet);
        StageLauncher.Outcome outcome = launcher.launch(launch(progress), run -> { });
        StageOutput.print(spec.commandLine().getOut(), stage(), outcome);
        return ExitCodes.OK;
    }

    private boolean quiet() {
        return CropcastCommand.quiet(spec);
    }

    static Optional<RunId> none() {
        return Optional.empty();
    }
}
