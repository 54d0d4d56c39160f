package org.cropcast.pipeline.cli;

import com.google.inject.Inject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cropcast.pipeline.runs.DemoPipeline;
import org.cropcast.pipeline.runs.ProcessContext;
import org.cropcast.pipeline.stages.ProgressListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cropcast demo [DIR]}: a self-contained, deterministic demo data root with its configuration. */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Write a self-contained demo data root and its configuration.",
            "The data are synthetic but realistic (a region x year panel,",
            "features, reference estimates) and deterministic. With --run the",
            "whole pipeline follows: hindcast, fit-production and a forecast,",
            "tracked in DIR/mlruns.db."})
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", defaultValue = "demo",
            description = "Where to write it (default: ${DEFAULT-VALUE}); must be empty or not exist.")
    Path directory;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the synthetic data (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--run", description = "Then run hindcast, fit-production and a forecast on it.")
    boolean run;

    @Option(names = "--no-progress", description = "Do not show progress (with --run).")
    boolean noProgress;

    private final DemoPipeline demo;
    private final ProcessContext context;

    @Inject
    DemoCommand(DemoPipeline demo, ProcessContext context) {
        this.demo = demo;
        this.context = context;
    }

    @Override
    public Integer call() {
        Path config = demo.writeDataRoot(directory, seed);
        PrintWriter out = spec.commandLine().getOut();
        out.println("Demo data root written to " + directory.toAbsolutePath().normalize());
        out.println("  configuration: " + config);
        out.println();
        if (run) {
            runPipeline(out, config);
            return ExitCodes.OK;
        }
        out.println("Next:");
        out.println("  cropcast run hindcast --config " + config);
        out.println("  cropcast run fit-production --config " + config + " --run-dir <the hindcast's run dir>");
        out.println("  cropcast run forecast --run-dir <that run dir> --init-date <YYYY-MM-DD>");
        out.println("  cropcast runs list --config " + config);
        out.flush();
        return ExitCodes.OK;
    }

    /** The three stages in one run directory, each printed as it ends. */
    private void runPipeline(PrintWriter out, Path config) {
        Signals.install(context);
        boolean quiet = spec.root().userObject() instanceof CropcastCommand root && root.quiet;
        ProgressListener progress = Progress.choose(context, spec.commandLine().getErr(), noProgress || quiet);
        demo.run(config, progress, run -> { }, (stage, outcome) -> {
            StageOutput.print(out, stage, outcome);
            out.println();
        });
        out.println("Look at the runs: cropcast runs list --config " + config);
        out.flush();
    }
}
