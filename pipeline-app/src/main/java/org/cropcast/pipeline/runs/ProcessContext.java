package org.cropcast.pipeline.runs;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.time.Clock;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.cropcast.tracking.TerminalText;

/**
 * What the application takes from its process (the command line's, or a tool's that embeds it), so
 * that nothing reads it ad hoc: the output and error writers, the environment variables, the clock,
 * a random generator (run ids), whether the error stream is a terminal (progress bars), whether
 * signals are handled (only in a real process, never inside a test JVM), and the user recorded on
 * runs ({@code USER}, else {@code LOGNAME}, else the JVM's {@code user.name}).
 */
public record ProcessContext(
        PrintWriter out,
        PrintWriter err,
        Map<String, String> environment,
        Clock clock,
        RandomGenerator random,
        boolean terminal,
        boolean handleSignals,
        String user) {
    public ProcessContext {
        requireNonNull(out, "out is null");
        requireNonNull(err, "err is null");
        environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        requireNonNull(clock, "clock is null");
        requireNonNull(random, "random is null");
        requireNonNull(user, "user is null");
    }

    /**
     * The real process: System.out/err (through {@link TerminalText#writer}, so that no escape
     * sequence reaches the terminal whatever prints it), the real environment and clock, a secure
     * random generator.
     */
    public static ProcessContext system() {
        Charset charset = Charset.defaultCharset();
        return new ProcessContext(
                new PrintWriter(TerminalText.writer(new java.io.OutputStreamWriter(System.out, charset)), true),
                new PrintWriter(TerminalText.writer(new java.io.OutputStreamWriter(System.err, charset)), true),
                System.getenv(),
                Clock.systemDefaultZone(),
                new java.security.SecureRandom(),
                System.console() != null && !"dumb".equals(System.getenv("TERM")),
                true,
                userOf(System.getenv()));
    }

    /** For tests and embedding: given writers and environment, no terminal, no signal handling. */
    public static ProcessContext of(PrintWriter out, PrintWriter err, Map<String, String> environment, Clock clock) {
        return new ProcessContext(out, err, environment, clock, new java.util.Random(), false, false, userOf(environment));
    }

    /** The user of a process with this environment: {@code USER}, else {@code LOGNAME}, else the JVM's {@code user.name}. */
    public static String userOf(Map<String, String> environment) {
        return java.util.Optional.ofNullable(environment.get("USER"))
                .or(() -> java.util.Optional.ofNullable(environment.get("LOGNAME")))
                .orElse(System.getProperty("user.name", "unknown"));
    }
}
