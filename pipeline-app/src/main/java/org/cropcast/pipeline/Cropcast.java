package org.cropcast.pipeline;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.util.Modules;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.cropcast.pipeline.cli.CropcastCommand;
import org.cropcast.pipeline.cli.ErrorHandlers;
import org.cropcast.pipeline.cli.GuiceFactory;
import org.cropcast.pipeline.runs.ProcessContext;
import org.cropcast.pipeline.wiring.CropcastModule;
import picocli.CommandLine;

/** The {@code cropcast} command line: {@link #commandLine} builds it, {@link #main} runs it. */
public final class Cropcast {
    private Cropcast() {}

    public static void main(String[] args) {
        System.exit(commandLine(ProcessContext.system()).execute(args));
    }

    /** The command line of a test or an embedding tool, with its own writers, environment and clock. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err, Map<String, String> environment, Clock clock) {
        return commandLine(ProcessContext.of(out, err, environment, clock));
    }

    /**
     * The command line over the given context. {@code overrides} replace bindings of the
     * composition root (for example a test stage registered under a stage's name).
     */
    public static CommandLine commandLine(ProcessContext context, Module... overrides) {
        Injector injector;
        try {
            injector = injector(context, overrides);
        } catch (RuntimeException e) {
            // an adapter refused the environment while the composition root was built (for example
            // MLFLOW_HTTP_REQUEST_MAX_RETRIES=-1): one line naming the variable, whatever the command
            org.cropcast.tracking.CropcastException cause = cropcastCause(e).orElseThrow(() -> e);
            return configured(new CommandLine(new StartupFailure(cause)), context.out(), context.err(), context.terminal());
        }
        return commandLine(injector, context.out(), context.err(), context.terminal());
    }

    /** A command line over an existing injector (several commands sharing one process's state, as in tests). */
    public static CommandLine commandLine(Injector injector, PrintWriter out, PrintWriter err, boolean terminal) {
        CommandLine commandLine;
        try {
            commandLine = new CommandLine(CropcastCommand.class, new GuiceFactory(injector));
        } catch (CommandLine.InitializationException e) {
            // an adapter refused its configuration while the commands were built (for example
            // credentials in AWS_ENDPOINT_URL_S3): report it like any other error, in one line
            commandLine = new CommandLine(new StartupFailure(cropcastCause(e).orElseThrow(() -> e)));
        }
        return configured(commandLine, out, err, terminal);
    }

    private static CommandLine configured(CommandLine commandLine, PrintWriter out, PrintWriter err, boolean terminal) {
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setUsageHelpAutoWidth(terminal);
        ErrorHandlers.install(commandLine);
        return commandLine;
    }

    private static java.util.Optional<org.cropcast.tracking.CropcastException> cropcastCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.cropcast.tracking.CropcastException c) {
                return java.util.Optional.of(c);
            }
        }
        return java.util.Optional.empty();
    }

    /** Stands in for the commands when they could not be built: whatever the arguments, it fails with the cause. */
    @CommandLine.Command(name = "cropcast")
    static final class StartupFailure implements java.util.concurrent.Callable<Integer> {
        private final org.cropcast.tracking.CropcastException cause;

        @CommandLine.Unmatched
        List<String> arguments;

        StartupFailure(org.cropcast.tracking.CropcastException cause) {
            this.cause = cause;
        }

        @Override
        public Integer call() {
            throw cause;
        }
    }

    /** The composition root (the adapters found on the class path), with {@code overrides} replacing some of its bindings. */
    public static Injector injector(ProcessContext context, Module... overrides) {
        return Guice.createInjector(Modules.override(new CropcastModule(context)).with(List.of(overrides)));
    }
}
