package org.cropcast.pipeline.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code cropcast run}: the pipeline stages. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        synopsisSubcommandLabel = "STAGE",
        description = "Run a pipeline stage; each invocation is one MLflow run.",
        subcommands = {HindcastCommand.class, FitProductionCommand.class, ForecastCommand.class})
public final class RunCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing stage: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
