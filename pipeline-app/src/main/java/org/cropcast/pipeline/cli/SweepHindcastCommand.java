package org.cropcast.pipeline.cli;

import org.cropcast.pipeline.runs.ProcessContext;
import com.google.inject.Inject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.cropcast.pipeline.runs.SweepGrid;
import org.cropcast.pipeline.runs.SweepLauncher;
import org.cropcast.tracking.RunId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code cropcast sweep hindcast}. */
@Command(name = "hindcast", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"A hindcast per combination of the grid, each a child run (mlflow.parentRunId) of one sweep run,",
            "run as N processes at a time on the configured tracking backend, then ranked by --metric (lower first).",
            "Ctrl-C ends the running children KILLED, then the sweep; --resume reruns the children that did not finish."})
public final class SweepHindcastCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The experiment's YAML configuration.")
    Path config;

    @Option(names = "--grid", paramLabel = "KEY=V1,V2,...",
            description = "A configuration key (as --set takes it) and its values; repeatable, the combinations are every pairing.")
    List<String> grid = new ArrayList<>();

    @Option(names = "--parallel", paramLabel = "N", description = "Run N children at a time (default: the number of processors).")
    Integer parallel;

    @Option(names = "--metric", paramLabel = "KEY", defaultValue = SweepLauncher.DEFAULT_METRIC,
            description = "The metric that ranks the children, lower first (default: ${DEFAULT-VALUE}).")
    String metric;

    @Option(names = "--resume", paramLabel = "SWEEP_RUN_ID",
            description = "Resume this sweep: rerun only its children that did not finish, with its recorded grid.")
    String resume;

    @Option(names = "--print-commands",
            description = "Create the sweep run and print one command per child instead of running them (for a scheduler); "
                    + "then 'cropcast sweep finish SWEEP_RUN_ID'.")
    boolean printCommands;

    @Option(names = "--no-progress", description = "Do not show progress.")
    boolean noProgress;

    private final SweepLauncher sweeps;
    private final ProcessContext context;

    @Inject
    SweepHindcastCommand(SweepLauncher sweeps, ProcessContext context) {
        this.sweeps = sweeps;
        this.context = context;
    }

    @Override
    public Integer call() {
        int processes = parallel != null ? parallel : Runtime.getRuntime().availableProcessors();
        if (resume != null && (!grid.isEmpty() || printCommands)) {
            throw new ParameterException(spec.commandLine(), "--resume takes the grid the sweep recorded: give no --grid or --print-commands");
        }
        Signals.install(context);
        var progress = Progress.choose(context, spec.commandLine().getErr(), noProgress || CropcastCommand.quiet(spec));
        PrintWriter out = spec.commandLine().getOut();
        try {
            if (resume != null) {
                SweepOutput.print(out, sweeps.resume(config, RunId.of(resume), processes, progress));
                return ExitCodes.OK;
            }
            SweepGrid parsed = SweepGrid.parse(grid);
            SweepLauncher.Outcome outcome = sweeps.start(new SweepLauncher.Request(config, parsed, processes, metric, printCommands, progress));
            if (printCommands) {
                SweepOutput.printCommands(out, spec.commandLine().getErr(), outcome, config);
            } else {
                SweepOutput.print(out, outcome);
            }
            return ExitCodes.OK;
        } catch (SweepLauncher.SweepFailedException e) {
            SweepOutput.print(out, e.outcome());
            throw e;
        }
    }
}
