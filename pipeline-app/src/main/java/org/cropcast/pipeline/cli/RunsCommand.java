package org.cropcast.pipeline.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code cropcast runs}: look at tracked runs, without Python. */
@Command(
        name = "runs",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "List, show, compare, report and sync tracked runs.",
        subcommands = {RunsListCommand.class, RunsShowCommand.class, RunsCompareCommand.class, RunsReportCommand.class,
            RunsSyncCommand.class})
public final class RunsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
