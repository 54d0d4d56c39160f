package org.cropcast.pipeline.proof;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cropcast.pipeline.Cropcast;

/**
 * One {@code cropcast} command in a child JVM of its own (the real main class on the test class
 * path: the fat jar is only built after the tests), as a user or a scheduler would start it:
 * small heap and C1 only so that dozens can run at once on two cores. Its output goes to files so
 * that a full pipe never blocks it.
 */
final class CropcastProcess {
    /** Variables a test must not inherit from the machine it runs on (they would change where cropcast writes). */
    private static final List<String> SCRUBBED = List.of("INPUT_DATA_DIR", "MLFLOW_TRACKING_URI", "MLFLOW_TRACKING_TOKEN",
            "MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
            "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "MLFLOW_S3_ENDPOINT_URL", "AWS_PROFILE");

    /** A finished command. */
    record Exit(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- out ---\n" + out + "--- err ---\n" + err;
        }
    }

    private final Process process;
    private final Path out;
    private final Path err;

    private CropcastProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code cropcast args...} in {@code workDir}, its output in {@code logDir/<name>.out|err}. */
    static CropcastProcess start(Path workDir, Path logDir, String name, Map<String, String> env, List<String> args) throws IOException {
        return start(Cropcast.class, "256m", workDir, logDir, name, env, args);
    }

    /** As above, with another main class (the test stages' {@code TestMain}) and heap size. */
    static CropcastProcess start(Class<?> main, String heap, Path workDir, Path logDir, String name, Map<String, String> env,
            List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        Files.createDirectories(logDir);
        Path out = logDir.resolve(name + ".out");
        Path err = logDir.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        SCRUBBED.forEach(builder.environment()::remove);
        builder.environment().putAll(env);
        return new CropcastProcess(builder.start(), out, err);
    }

    /** Runs one command to its end. */
    static Exit run(Path workDir, Path logDir, String name, Map<String, String> env, List<String> args, Duration timeout) throws Exception {
        return start(workDir, logDir, name, env, args).await(timeout);
    }

    /** Sends {@code signal} (TERM, INT) as {@code kill} would. */
    void signal(String signal) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor()).isZero();
    }

    Process process() {
        return process;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook runs, as on an OOM kill or a pulled plug. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("killed child ended").isTrue();
    }

    Exit await(Duration timeout) throws Exception {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError("cropcast did not end within " + timeout + "\n" + new Exit(-1, read(out), read(err)));
        }
        return new Exit(process.exitValue(), read(out), read(err));
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
