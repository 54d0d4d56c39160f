package org.cropcast.pipeline.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code cropcast}: the top-level command. It only holds the global options and the subcommands. */
@Command(
        name = "cropcast",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Crop-yield forecasting pipeline, tracked as MLflow runs.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {RunCommand.class, RunsCommand.class, ModelsCommand.class, SweepCommand.class, DemoCommand.class},
        footer = {
            "",
            "Exit codes: 0 success, 2 bad input, 3 an external system failed,",
            "            1 internal error, 130 interrupted (the run ends KILLED if it can).",
            "",
            "Start with:",
            "  cropcast demo demo",
            "  cropcast run hindcast --config demo/cropcast-demo.yaml",
        })
public final class CropcastCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Show debug logs and stack traces of errors.")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "Print only results and errors (no progress, no logs below ERROR).")
    boolean quiet;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** Whether {@code -q/--quiet} was given on the command line {@code spec} belongs to. */
    static boolean quiet(CommandSpec spec) {
        for (CommandSpec s = spec; s != null; s = s.parent()) {
            if (s.userObject() instanceof CropcastCommand root) {
                return root.quiet;
            }
        }
        return false;
    }
}
