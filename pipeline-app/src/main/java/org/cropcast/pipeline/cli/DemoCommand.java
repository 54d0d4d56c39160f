package org.cropcast.pipeline.cli;

import com.google.inject.Inject;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.cropcast.pipeline.config.ConfigLoader;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.pipeline.demo.DemoDataGenerator;
import org.cropcast.pipeline.errors.AppErrorCode;
import org.cropcast.pipeline.runs.ProcessContext;
import org.cropcast.pipeline.runs.StageLauncher;
import org.cropcast.pipeline.stages.ProgressListener;
import org.cropcast.tracking.CropcastException;
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

    private final StageLauncher launcher;
    private final ProcessContext context;

    @Inject
    DemoCommand(StageLauncher launcher, ProcessContext context) {
        this.launcher = launcher;
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        if (Files.isRegularFile(directory)) {
            throw new CropcastException(AppErrorCode.INVALID_ARGUMENT, "demo: " + directory + " is a file, not a directory");
        }
        if (Files.isDirectory(directory)) {
            try (var entries = Files.list(directory)) {
                if (entries.findAny().isPresent()) {
                    throw new CropcastException(AppErrorCode.INVALID_ARGUMENT, "demo: " + directory
                            + " is not empty; choose a new directory (cropcast demo DIR)");
                }
            }
        }
        Path config = DemoDataGenerator.write(directory, seed);
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

    /** The three stages in one run directory, as a newcomer would type them. */
    private void runPipeline(PrintWriter out, Path config) {
        Signals.install(context);
        boolean quiet = spec.root().userObject() instanceof CropcastCommand root && root.quiet;
        ProgressListener progress = Progress.choose(context, spec.commandLine().getErr(), noProgress || quiet);
        PipelineConfig resolved = new ConfigLoader(context.environment()).load(config, List.of());
        Optional<Path> configDirectory = Optional.ofNullable(config.toAbsolutePath().getParent());
        try {
            StageLauncher.Outcome hindcast = launcher.launch(new StageLauncher.Launch("hindcast", resolved, config.toString(),
                    configDirectory, Optional.empty(), false, Optional.empty(), progress), Signals::opened);
            StageOutput.print(out, "hindcast", hindcast);
            String runDir = hindcast.runDirectory().toString();
            out.println();
            StageOutput.print(out, "fit-production", launcher.launch(new StageLauncher.Launch("fit-production", resolved,
                    config.toString(), configDirectory, Optional.of(runDir), false, Optional.empty(), progress), Signals::opened));
            out.println();
            LocalDate initDate = LocalDate.of(resolved.featureEndYear(), 8, 1);
            StageOutput.print(out, "forecast", launcher.launch(new StageLauncher.Launch("forecast", resolved, config.toString(),
                    configDirectory, Optional.of(runDir), false, Optional.of(initDate), progress), Signals::opened));
            out.println();
            out.println("Look at the runs: cropcast runs list --config " + config);
            out.flush();
        } finally {
            Signals.closed();
        }
    }
}
