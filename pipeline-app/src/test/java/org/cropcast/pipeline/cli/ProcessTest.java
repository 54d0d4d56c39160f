package org.cropcast.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cropcast.pipeline.CliHarness.Result;
import org.cropcast.pipeline.CliHarness;
import org.cropcast.pipeline.Cropcast;
import org.cropcast.pipeline.TestMain;
import org.cropcast.pipeline.TestStages;
import org.cropcast.tracking.Run;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunRecord;
import org.cropcast.tracking.RunStatus;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.RunStoreFactory;
import org.cropcast.tracking.RunTags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cropcast as a child process (the test classpath; the fat jar is only built after the tests):
 * help, a one-line error with exit 2, SIGTERM and SIGINT ending the run KILLED with exit 130, and a
 * SIGKILLed run shown stale by {@code runs list} and then resumed.
 */
class ProcessTest {
    @TempDir
    Path dir;

    private record Exit(int code, String out, String err) {}

    private static Process start(Class<?> main, Map<String, String> env, String... args) throws IOException {
        // the production logging configuration, as in the fat jar (the test classpath also holds test logback files)
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlogback.configurationFile=logback.xml", "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        builder.environment().remove("INPUT_DATA_DIR");
        builder.environment().remove("MLFLOW_TRACKING_URI");
        return builder.start();
    }

    private static Exit finish(Process process) throws Exception {
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("child process ended").isTrue();
        return new Exit(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void helpVersionAndABadConfigurationInAChildProcess() throws Exception {
        Exit help = finish(start(Cropcast.class, Map.of(), "--help"));
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Usage: cropcast", "run", "runs", "demo");
        Exit version = finish(start(Cropcast.class, Map.of(), "--version"));
        assertThat(version.out()).startsWith("cropcast ");
        Path config = Files.writeString(dir.resolve("bad.yaml"), "experiment_name: x\nfeature_start_year: [2000\n");
        Exit bad = finish(start(Cropcast.class, Map.of(), "run", "hindcast", "--config", config.toString()));
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.out()).isEmpty();
        assertThat(bad.err().lines().toList()).singleElement().asString().startsWith("cropcast: " + config + ":2:");
    }

    @Test
    void verboseShowsDebugLogsOnStandardError() throws Exception {
        Exit verbose = finish(start(Cropcast.class, Map.of(), "-v", "runs", "list", "--tracking-uri", "memory:logs"));
        assertThat(verbose.code()).isZero();
        assertThat(verbose.err()).contains("DEBUG", "reading runs from memory:logs");
        assertThat(verbose.out()).isEqualTo("No runs in memory:logs.\n");
        Exit normal = finish(start(Cropcast.class, Map.of(), "runs", "list", "--tracking-uri", "memory:logs"));
        assertThat(normal.err()).doesNotContain("DEBUG");
    }

    @Test
    void sigtermEndsTheRunKilledWithExit130() throws Exception {
        interrupted("TERM");
    }

    @Test
    void sigintEndsTheRunKilledWithExit130() throws Exception {
        interrupted("INT");
    }

    private void interrupted(String signal) throws Exception {
        Path config = CliFixture.write(dir.resolve("data"), "sqlite:///mlruns.db");
        Path runDir = dir.resolve("data/runs/sleepy");
        Process child = start(TestMain.class, Map.of(), "run", "hindcast", "--config", config.toString(), "--run-dir", runDir.toString(),
                "--set", "target.filter_column=mode", "--set", "target.filter_value=sleep");
        RunId id = awaitRunning(child, runDir);
        new ProcessBuilder("kill", "-" + signal, Long.toString(child.pid())).start().waitFor();
        Exit exit = finish(child);
        assertThat(exit.code()).as(exit.err()).isEqualTo(130);
        assertThat(exit.err()).contains("cropcast: interrupted by SIG" + signal + "\n", "cropcast: run " + id + " is marked KILLED\n");
        Run run = store(dir.resolve("data/mlruns.db")).getRun(id).orElseThrow();
        assertThat(run.info().status()).isEqualTo(RunStatus.KILLED);
        assertThat(run.info().endTimeMillis()).isPresent();
        assertThat(run.data().tags()).containsEntry(RunTags.END_REASON, "signal");
    }

    @Test
    void aSigkilledRunIsShownStaleAndCanBeResumed() throws Exception {
        Path config = CliFixture.write(dir.resolve("data"), "sqlite:///mlruns.db");
        Path runDir = dir.resolve("data/runs/killed");
        Process child = start(TestMain.class, Map.of("CROPCAST_HEARTBEAT_SECONDS", "0.2"), "run", "hindcast", "--config", config.toString(),
                "--run-dir", runDir.toString(), "--set", "target.filter_column=mode", "--set", "target.filter_value=sleep");
        RunId id = awaitRunning(child, runDir);
        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        Path db = dir.resolve("data/mlruns.db");
        assertThat(store(db).getRun(id).orElseThrow().info().status()).isEqualTo(RunStatus.RUNNING);

        CliHarness cli = new CliHarness(Map.of(), TestStages.module());
        Thread.sleep(1500);
        Result list = cli.run("runs", "list", "--tracking-uri", "sqlite:///" + db, "--stale-after", "1s");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).containsPattern(id + " .* RUNNING \\(stale\\)").contains("1 stale run(s)");
        assertThat(cli.run("runs", "list", "--tracking-uri", "sqlite:///" + db).out()).doesNotContain("(stale)");

        // the same configuration (a resume refuses another one); the test stage wakes at once with this file
        Files.writeString(dir.resolve("data/wake"), "");
        Result resumed = cli.run("run", "hindcast", "--config", config.toString(), "--run-dir", runDir.toString(), "--resume",
                "--set", "target.filter_column=mode", "--set", "target.filter_value=sleep");
        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(resumed.out()).contains("run id:    " + id, "(resumed run)");
        assertThat(store(db).getRun(id).orElseThrow().info().status()).isEqualTo(RunStatus.FINISHED);
    }

    private RunId awaitRunning(Process child, Path runDir) throws Exception {
        Path record = runDir.resolve(RunRecord.fileName("hindcast"));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                Exit exit = finish(child);
                throw new AssertionError("child ended early: " + exit.code() + "\n" + exit.out() + exit.err());
            }
            if (Files.exists(record)) {
                String text = Files.readString(record);
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("mlflow_run_id: ([0-9a-f]{32})").matcher(text);
                if (m.find()) {
                    RunId id = RunId.of(m.group(1));
                    Run run = store(runDir.getParent().getParent().resolve("mlruns.db")).getRun(id).orElseThrow();
                    if (run.info().status() == RunStatus.RUNNING && run.data().tags().containsKey(RunTags.HEARTBEAT)) {
                        Thread.sleep(300); // the stage is sleeping: the metadata files are written and uploaded
                        return id;
                    }
                }
            }
            Thread.sleep(100);
        }
        child.destroyForcibly();
        throw new AssertionError("the child's run did not start within 60 s");
    }

    private static RunStore store(Path db) {
        CliHarness cli = new CliHarness(Map.of());
        return cli.injector().getInstance(RunStoreFactory.class).create("sqlite:///" + db.toAbsolutePath());
    }

    static String classpath() {
        return System.getProperty("java.class.path").replace(File.pathSeparatorChar, ':');
    }
}
