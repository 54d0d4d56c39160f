package org.cropcast.pipeline.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.cropcast.pipeline.errors.AppErrorCode;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.Redactor;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * How the command line ends: each error is one line on the error writer naming the culprit, with
 * the exit code of its category (2 bad input, 3 external system, 1 internal, 130 interrupted); the
 * stack trace only with {@code --verbose}. Logging levels follow {@code -v}/{@code -q}.
 */
public final class ErrorHandlers {
    private ErrorHandlers() {}

    public static void install(CommandLine commandLine) {
        commandLine.setExecutionStrategy(parseResult -> {
            boolean verbose = matched(parseResult, "--verbose");
            boolean quiet = matched(parseResult, "--quiet");
            if (verbose && quiet) {
                throw new CommandLine.ParameterException(parseResult.commandSpec().commandLine(),
                        "--verbose and --quiet cannot be used together");
            }
            Logging.configure(verbose, quiet);
            try {
                return new CommandLine.RunLast().execute(parseResult);
            } catch (OutOfMemoryError e) {
                // picocli lets an Error through (a stack trace): by now the stack has unwound, the
                // heap is free again, and the launcher has ended any run it opened FAILED where the
                // store allowed and released a claimed run directory no run was made in
                throw new CommandLine.ExecutionException(parseResult.commandSpec().commandLine(), "out of memory",
                        new CropcastException(AppErrorCode.OUT_OF_MEMORY, "out of memory (" + e.getMessage() + "): a run this command"
                                + " opened was ended FAILED if the tracking store could be written; give the JVM a larger heap (JAVA_TOOL_OPTIONS=-Xmx4g, for example)", e));
            }
        });
        commandLine.setParameterExceptionHandler((e, args) -> {
            CommandLine command = e.getCommandLine();
            PrintWriter err = command.getErr();
            String suggestion = "";
            if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
                suggestion = " (did you mean " + String.join(" or ", unmatched.getSuggestions().stream().limit(3).toList()) + "?)";
            }
            err.println(prefix() + Redactor.truncateForMessage(Redactor.redact(e.getMessage())) + suggestion
                    + " (see '" + command.getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return ExitCodes.USER_INPUT;
        });
        commandLine.setExecutionExceptionHandler((e, command, parseResult) -> {
            PrintWriter err = command.getErr();
            boolean verbose = matched(parseResult, "--verbose");
            int exitCode;
            String message;
            Throwable cause = cropcastCause(e);
            if (cause instanceof RunInterruptedException) {
                exitCode = ExitCodes.INTERRUPTED;
                message = cause.getMessage();
            } else if (cause instanceof CropcastException c) {
                exitCode = ExitCodes.of(c.category());
                message = c.getMessage();
            } else if (e instanceof java.io.UncheckedIOException || e instanceof java.io.IOException) {
                // the file system refused (permissions, full disk, a path through a file)
                exitCode = ExitCodes.EXTERNAL;
                message = e.getMessage() + (e.getCause() == null || e.getCause() == e ? "" : ": " + e.getCause().getMessage());
            } else {
                exitCode = ExitCodes.INTERNAL;
                message = "internal error: " + e.getClass().getSimpleName() + ": " + e.getMessage()
                        + (verbose ? "" : " (run with --verbose for the stack trace)");
            }
            err.println(prefix() + Redactor.truncateForMessage(Redactor.redact(String.valueOf(message))));
            // a run the failure could not be recorded on: a second line says so (it is not FAILED)
            for (Throwable suppressed : cause.getSuppressed()) {
                if (suppressed instanceof CropcastException c && c.errorCode() == org.cropcast.tracking.TrackingErrorCode.RUN_NOT_ENDED) {
                    err.println(prefix() + Redactor.truncateForMessage(c.getMessage()));
                }
            }
            if (verbose) {
                err.print(Redactor.redact(stackTrace(e)));
            }
            err.flush();
            command.getOut().flush();
            return exitCode;
        });
    }

    static String prefix() {
        return "cropcast: ";
    }

    /** The exception itself, or the first {@link CropcastException} among its causes (a library may wrap ours). */
    private static Throwable cropcastCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CropcastException) {
                return t;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return e;
    }

    private static boolean matched(ParseResult parseResult, String option) {
        for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(option)) {
                return true;
            }
        }
        return false;
    }

    private static String stackTrace(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
