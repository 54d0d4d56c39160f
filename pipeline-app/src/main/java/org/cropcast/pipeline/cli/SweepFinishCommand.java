package org.cropcast.pipeline.cli;

import com.google.inject.Inject;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cropcast.pipeline.runs.SweepLauncher;
import org.cropcast.tracking.RunId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cropcast sweep finish}: complete a sweep whose children a scheduler ran. */
@Command(name = "finish", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Complete a sweep from its children (after 'sweep hindcast --print-commands' and a scheduler):",
            "the ranking, the best combination, and the sweep run's end status (FAILED if a child did not finish)."})
public final class SweepFinishCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SWEEP_RUN_ID", description = "The sweep run.")
    String runId;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The configuration naming the tracking backend.")
    Path config;

    private final SweepLauncher sweeps;

    @Inject
    SweepFinishCommand(SweepLauncher sweeps) {
        this.sweeps = sweeps;
    }

    @Override
    public Integer call() {
        try {
            SweepOutput.print(spec.commandLine().getOut(), sweeps.finish(config, RunId.of(runId)));
            return ExitCodes.OK;
        } catch (SweepLauncher.SweepFailedException e) {
            SweepOutput.print(spec.commandLine().getOut(), e.outcome());
            throw e;
        }
    }
}
