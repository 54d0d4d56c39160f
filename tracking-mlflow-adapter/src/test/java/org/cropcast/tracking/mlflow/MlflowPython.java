package org.cropcast.tracking.mlflow;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The pinned reference MLflow (Python), installed by the build into a virtual environment
 * (see {@code src/test/python/ensure-venv.sh}). Tests use it as a real peer; it is never
 * optional: if the venv is missing the test fails, it does not skip.
 */
public final class MlflowPython {
    private MlflowPython() {}

    /** The venv directory, from the system property the root pom sets for Surefire. */
    public static Path venv() {
        String dir = System.getProperty("cropcast.mlflow.venv");
        if (dir == null) {
            throw new IllegalStateException("system property cropcast.mlflow.venv is not set: run the tests through Maven");
        }
        Path venv = Path.of(dir);
        if (!Files.isExecutable(venv.resolve("bin/python"))) {
            throw new IllegalStateException("no Python MLflow venv at " + venv + ": the build's ensure-mlflow-venv step installs it");
        }
        return venv;
    }

    public static Path python() {
        return venv().resolve("bin/python");
    }

    public static Path mlflowCli() {
        return venv().resolve("bin/mlflow");
    }

    /** The result of a finished process. */
    public record Result(int exitCode, String stdout, String stderr) {
        public Result requireSuccess() {
            if (exitCode != 0) {
                throw new AssertionError("python exited " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr);
            }
            return this;
        }
    }

    /** Runs a Python script (given as source text) with arguments and extra environment. */
    public static Result runScript(String script, List<String> args, Map<String, String> env, Duration timeout)
            throws IOException, InterruptedException {
        Path file = Files.createTempFile("cropcast-mlflow-", ".py");
        try {
            Files.writeString(file, script, UTF_8);
            List<String> command = new ArrayList<>();
            command.add(python().toString());
            command.add(file.toString());
            command.addAll(args);
            return run(command, env, timeout);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Runs a command to completion, capturing its output. */
    public static Result run(List<String> command, Map<String, String> env, Duration timeout)
            throws IOException, InterruptedException {
        return run(command, env, timeout, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * Runs a command in a working directory (Python MLflow puts relative artifact roots such as
     * {@code ./mlruns} there, so tests pass their temporary directory).
     */
    public static Result run(List<String> command, Map<String, String> env, Duration timeout, Path workingDirectory)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        builder.environment().putAll(env);
        builder.environment().put("MLFLOW_ENABLE_ASYNC_LOGGING", "false");
        Path out = Files.createTempFile("cropcast-py-out", ".txt");
        Path err = Files.createTempFile("cropcast-py-err", ".txt");
        try {
            builder.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("timed out after " + timeout + ": " + command + "\n" + Files.readString(err, UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
