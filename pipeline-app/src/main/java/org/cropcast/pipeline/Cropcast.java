package org.cropcast.pipeline;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.util.Modules;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.cropcast.pipeline.cli.CliContext;
import org.cropcast.pipeline.cli.CropcastCommand;
import org.cropcast.pipeline.cli.ErrorHandlers;
import org.cropcast.pipeline.cli.GuiceFactory;
import org.cropcast.pipeline.wiring.Wiring;
import picocli.CommandLine;

/** The {@code cropcast} command line: {@link #commandLine} builds it, {@link #main} runs it. */
public final class Cropcast {
    private Cropcast() {}

    public static void main(String[] args) {
        System.exit(commandLine(CliContext.system()).execute(args));
    }

    /** The command line of a test or an embedding tool, with its own writers, environment and clock. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err, Map<String, String> environment, Clock clock) {
        return commandLine(CliContext.of(out, err, environment, clock));
    }

    /**
     * The command line over the given context. {@code overrides} replace bindings of the
     * composition root (for example a test stage registered under a stage's name).
     */
    public static CommandLine commandLine(CliContext context, Module... overrides) {
        return commandLine(injector(context, overrides), context.out(), context.err(), context.terminal());
    }

    /** A command line over an existing injector (several commands sharing one process's state, as in tests). */
    public static CommandLine commandLine(Injector injector, PrintWriter out, PrintWriter err, boolean terminal) {
        CommandLine commandLine = new CommandLine(CropcastCommand.class, new GuiceFactory(injector));
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setUsageHelpAutoWidth(terminal);
        ErrorHandlers.install(commandLine);
        return commandLine;
    }

    /** The composition root with every adapter module installed. */
    public static Injector injector(CliContext context, Module... overrides) {
        return Guice.createInjector(Modules.override(Wiring.modules(context)).with(List.of(overrides)));
    }
}
