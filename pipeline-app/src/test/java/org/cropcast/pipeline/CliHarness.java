package org.cropcast.pipeline;

import com.google.inject.Injector;
import com.google.inject.Module;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.Map;
import org.cropcast.pipeline.runs.ProcessContext;

/**
 * Drives the real command line in-process: one injector (so that {@code memory:} stores outlive a
 * command, as in one process), a fresh pair of captured writers per command.
 */
public final class CliHarness {
    /** One command's outcome. */
    public record Result(int exitCode, String out, String err) {
        private static final java.util.regex.Pattern RUN_ID = java.util.regex.Pattern.compile("run id: +([0-9a-f]{32})");
        private static final java.util.regex.Pattern RUN_DIR = java.util.regex.Pattern.compile("run dir: +(\\S+)");

        /** The run id a {@code run} command printed. */
        public String runId() {
            return find(RUN_ID);
        }

        /** The run directory a {@code run} command printed. */
        public String runDir() {
            return find(RUN_DIR);
        }

        private String find(java.util.regex.Pattern pattern) {
            java.util.regex.Matcher m = pattern.matcher(out);
            if (!m.find()) {
                throw new AssertionError("no " + pattern + " in the output:\n" + this);
            }
            return m.group(1);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out ---\n" + out + "--- err ---\n" + err;
        }
    }

    private final Injector injector;
    private final Map<String, String> environment;
    private final Clock clock;
    private final Module[] overrides;

    public CliHarness(Map<String, String> environment, Module... overrides) {
        this(environment, Clock.systemUTC(), overrides);
    }

    public CliHarness(Map<String, String> environment, Clock clock, Module... overrides) {
        Injector built = null;
        try {
            built = Cropcast.injector(ProcessContext.of(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), environment, clock),
                    overrides);
        } catch (org.cropcast.tracking.CropcastException refused) {
            // the environment is refused while the composition root is built: each command then
            // goes through the production path that reports it (Cropcast.commandLine(ProcessContext))
        }
        this.injector = built;
        this.environment = environment;
        this.clock = clock;
        this.overrides = overrides;
    }

    /** Drives the command line of an injector built elsewhere (a test's own wiring). */
    public CliHarness(Injector injector) {
        this.injector = injector;
        this.environment = Map.of();
        this.clock = Clock.systemUTC();
        this.overrides = new Module[0];
    }

    public Injector injector() {
        return injector;
    }

    /** Runs a command that must succeed. */
    public Result ok(String... args) {
        Result result = run(args);
        if (result.exitCode() != 0) {
            throw new AssertionError("expected exit 0: " + String.join(" ", args) + "\n" + result);
        }
        return result;
    }

    public Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = (injector == null
                ? Cropcast.commandLine(ProcessContext.of(new PrintWriter(out, true), new PrintWriter(err, true), environment, clock), overrides)
                : Cropcast.commandLine(injector, new PrintWriter(out, true), new PrintWriter(err, true), false)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
