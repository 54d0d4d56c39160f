package org.cropcast.pipeline.cli;

import com.google.inject.Inject;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cropcast.pipeline.AppErrorCode;
import org.cropcast.pipeline.demo.DemoDataGenerator;
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
            "features, reference estimates) and deterministic; the commands to",
            "run it are printed at the end."})
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", defaultValue = "demo",
            description = "Where to write it (default: ${DEFAULT-VALUE}); must be empty or not exist.")
    Path directory;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the synthetic data (default: ${DEFAULT-VALUE}).")
    long seed;

    @Inject
    DemoCommand() {}

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
        out.println("Next:");
        out.println("  cropcast run hindcast --config " + config);
        out.println("  cropcast run fit-production --config " + config + " --run-dir <the hindcast's run dir>");
        out.println("  cropcast run forecast --run-dir <that run dir> --init-date <YYYY-MM-DD>");
        out.println("  cropcast runs list --config " + config);
        out.flush();
        return ExitCodes.OK;
    }
}
