package org.cropcast.pipeline.proof;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.cropcast.pipeline.CliHarness;
import org.cropcast.pipeline.TestMain;
import org.cropcast.pipeline.TestStages;
import org.cropcast.pipeline.cli.CliFixture;
import org.cropcast.tracking.Experiment;
import org.cropcast.tracking.Run;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunRecord;
import org.cropcast.tracking.RunSearch;
import org.cropcast.tracking.RunStatus;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.RunStoreFactory;
import org.cropcast.tracking.RunTags;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20, signals at the wrong moment: a real {@code cropcast} process (the test stages'
 * {@link TestMain}, the embedded SQLite store) signalled or killed in each phase of a run's life,
 * stopped exactly there by {@link TestMain#FAULT}: just after the run directory is claimed (no run
 * yet), just after the run is created (no record, no params, no heartbeat thread), while another
 * process holds the database lock, and out of heap before and after the run exists. Each phase
 * must leave either nothing, or a run that is ended, or one that goes stale and can be resumed;
 * and the process says only what it did.
 */
class LifecyclePhasesProcessTest {
    @TempDir
    Path dir;
    /** The data root of every test: the test stages' configuration, tracking into {@code mlruns.db} there. */
    private Path data;
    private Path config;
    private Path db;

    @BeforeEach
    void writeConfiguration() throws Exception {
        data = dir.resolve("data");
        config = CliFixture.write(data, "sqlite:///mlruns.db");
        db = data.resolve("mlruns.db");
    }

    @Test
    void aSigkillRightAfterTheRunIsCreatedLeavesARunThatGoesStaleAndIsResumedWithoutItsRecord() throws Exception {
        Path runDir = data.resolve("runs/fit");
        Path marker = dir.resolve("paused");
        CropcastProcess child = child("killed",
                Map.of(TestMain.FAULT, "pause-after-create", TestMain.MARKER, marker.toString()),
                List.of("run", "fit-production", "--config", config.toString(), "--run-dir", runDir.toString()));
        awaitFile(child, marker);
        child.kill();

        // the orphan of issue 20: no metadata_fit-production.yaml, no params, no heartbeat refresh
        assertThat(runDir.resolve(RunRecord.fileName("fit-production"))).doesNotExist();
        Run orphan = onlyRun(db);
        assertThat(orphan.info().status()).isEqualTo(RunStatus.RUNNING);
        assertThat(orphan.data().params()).isEmpty();
        assertThat(orphan.data().tags()).containsKeys(RunTags.HEARTBEAT).containsEntry(RunTags.RUN_DIR, runDir.toString())
                .containsEntry(RunTags.STAGE, "fit-production");
        RunId id = orphan.info().runId();

        CliHarness cli = new CliHarness(Map.of(), TestStages.module());
        assertThat(listedStale(cli, id)).contains("1 stale run(s)");

        // --resume finds the run made in this directory by its run-directory tag, and ends it FINISHED
        CliHarness.Result resumed = cli.run("run", "fit-production", "--config", config.toString(), "--run-dir", runDir.toString(),
                "--resume");
        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(resumed.out()).contains("run id:    " + id, "(resumed run)");
        Run done = store(db).getRun(id).orElseThrow();
        assertThat(done.info().status()).isEqualTo(RunStatus.FINISHED);
        assertThat(done.data().params()).isNotEmpty();
        assertThat(runDir.resolve(RunRecord.fileName("fit-production"))).exists();
        assertThat(runCount(db)).isOne();

        // a directory no run was made in is still refused, in one line naming it
        Path empty = Files.createDirectories(data.resolve("runs/empty"));
        CliHarness.Result refused = cli.run("run", "fit-production", "--config", config.toString(), "--run-dir", empty.toString(),
                "--resume");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.err().lines().toList()).singleElement().asString().startsWith("cropcast: cannot resume: ")
                .contains(empty.toString(), "no RUNNING fit-production run");
        assertThat(runCount(db)).isOne();
    }

    @Test
    void aSigtermWhileAnotherProcessHoldsTheDatabaseLockExitsWithinItsBoundAndSaysTheRunWasNotMarked() throws Exception {
        Path runDir = data.resolve("runs/sleepy");
        CropcastProcess child = child("locked",
                Map.of("CROPCAST_HEARTBEAT_SECONDS", "0.2"), sleepyHindcast(runDir));
        RunId id = awaitRecorded(child, runDir, "hindcast");
        CropcastProcess.Exit exit;
        long started;
        long elapsed;
        try (Connection holder = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = holder.createStatement()) {
            s.execute("BEGIN EXCLUSIVE");
            started = System.nanoTime();
            child.signal("TERM");
            // the SQLite store's lock timeout is 60 s; the shutdown write is bounded at 10 s
            exit = child.await(Duration.ofSeconds(45));
            elapsed = System.nanoTime() - started;
            s.execute("ROLLBACK");
        }
        assertThat(exit.code()).as(exit.toString()).isEqualTo(130);
        assertThat(Duration.ofNanos(elapsed)).as("exit after SIGTERM").isLessThan(Duration.ofSeconds(45));
        assertThat(exit.err()).as(exit.toString()).contains("cropcast: interrupted by SIGTERM",
                "cropcast: could not mark run " + id + " KILLED: the tracking store did not answer within 10 s",
                "shows it stale").doesNotContain("is marked KILLED", "Exception");
        // honest: the run is not KILLED; with its heartbeat stopped it shows stale, and resumes
        assertThat(store(db).getRun(id).orElseThrow().info().status()).isEqualTo(RunStatus.RUNNING);
        CliHarness cli = new CliHarness(Map.of(), TestStages.module());
        listedStale(cli, id);
        Files.writeString(data.resolve("wake"), "");
        CliHarness.Result resumed = cli.run(sleepyHindcast(runDir, "--resume").toArray(String[]::new));
        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(store(db).getRun(id).orElseThrow().info().status()).isEqualTo(RunStatus.FINISHED);
    }

    @Test
    void aSigtermWithTheStoreFreeSaysMarkedKilledOnlyOnceItIs() throws Exception {
        Path runDir = data.resolve("runs/sleepy");
        CropcastProcess child = child("free", Map.of(), sleepyHindcast(runDir));
        RunId id = awaitRecorded(child, runDir, "hindcast");
        CropcastProcess.Exit exit = terminate(child);
        List<String> lines = exit.err().lines().filter(line -> !line.isBlank()).toList();
        assertThat(lines).as(exit.toString()).containsExactly("cropcast: interrupted by SIGTERM", "cropcast: run " + id + " is marked KILLED");
        Run run = store(db).getRun(id).orElseThrow();
        assertThat(run.info().status()).isEqualTo(RunStatus.KILLED);
        assertThat(run.data().tags()).containsEntry(RunTags.END_REASON, "signal");
    }

    @Test
    void aSigtermJustAfterTheRunDirectoryIsClaimedLeavesNoDirectoryAndNoRun() throws Exception {
        Path marker = dir.resolve("paused");
        // a claimed directory (no --run-dir), and a named one that does not exist yet
        for (List<String> where : List.of(List.<String>of(), List.of("--run-dir", data.resolve("named/run").toString()))) {
            Files.deleteIfExists(marker);
            List<String> args = new java.util.ArrayList<>(List.of("run", "hindcast", "--config", config.toString()));
            args.addAll(where);
            CropcastProcess child = child("claimed" + where.size(),
                    Map.of(TestMain.FAULT, "pause-after-claim", TestMain.MARKER, marker.toString()), args);
            awaitFile(child, marker);
            assertThat(directoriesUnder(data)).as("claimed while paused").isNotEmpty();
            CropcastProcess.Exit exit = terminate(child);
            assertThat(exit.err()).as(exit.toString()).contains("cropcast: interrupted by SIGTERM").doesNotContain("KILLED");
            assertThat(directoriesUnder(data)).as("directories left under the data root " + where).isEmpty();
            assertThat(db).doesNotExist();
        }
    }

    @Test
    void anOutOfMemoryErrorLeavesNoClaimedDirectoryAndEndsAnExistingRunFailed() throws Exception {
        // before the run exists: the claimed directory is released
        CropcastProcess.Exit early = CropcastProcess.start(TestMain.class, "64m", dir, dir.resolve("logs"), "oom-early",
                Map.of(TestMain.FAULT, "oom-after-claim"), List.of("run", "hindcast", "--config", config.toString()))
                .await(Duration.ofSeconds(120));
        assertOutOfMemoryLine(early);
        assertThat(directoriesUnder(data)).as("directories left under the data root").isEmpty();

        // with the run open: the run ends FAILED with the error, its directory kept (it is the run's)
        CropcastProcess.Exit late = CropcastProcess.start(TestMain.class, "64m", dir, dir.resolve("logs"), "oom-late", Map.of(),
                List.of("run", "hindcast", "--config", config.toString(), "--set", "target.filter_column=mode",
                        "--set", "target.filter_value=oom")).await(Duration.ofSeconds(120));
        assertOutOfMemoryLine(late);
        Run failed = onlyRun(db);
        assertThat(failed.info().status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.data().tags().get(RunTags.ERROR)).startsWith("OutOfMemoryError: Java heap space");
        assertThat(Path.of(failed.data().tags().get(RunTags.RUN_DIR)).resolve(RunRecord.fileName("hindcast"))).exists();
    }

    /**
     * Issue 20, two processes resuming one run directory at once: the second is refused at once
     * (exit 3, one line naming the directory and the holder's pid) before it touches anything, so
     * the first one's temporary files survive, and the run ends without the refused process's
     * error tag. The lock dies with its holder: the directory can be resumed again afterwards.
     */
    @Test
    void aSecondProcessResumingTheSameRunDirectoryIsRefusedAndTouchesNothing() throws Exception {
        Path runDir = data.resolve("runs/shared");
        List<String> resume = sleepyHindcast(runDir, "--resume");
        CliHarness cli = new CliHarness(Map.of(), TestStages.module());
        Files.writeString(data.resolve("wake"), "");
        CliHarness.Result first = cli.run(sleepyHindcast(runDir).toArray(String[]::new));
        assertThat(first.exitCode()).as(first.toString()).isZero();
        RunId id = onlyRun(db).info().runId();
        Files.delete(data.resolve("wake"));

        CropcastProcess holder = child("holder", Map.of(), resume);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (store(db).getRun(id).orElseThrow().info().status() != RunStatus.RUNNING) {
            assertThat(holder.isAlive()).as("the first resume is running").isTrue();
            assertThat(System.nanoTime()).as("the first resume reopened the run within 90 s").isLessThan(deadline);
            Thread.sleep(50);
        }
        Thread.sleep(300);
        // a write of the first process in progress (LocalStorage's temporary-file naming)
        Path live = Files.writeString(runDir.resolve("model/.hindcast.txt.cropcast-tmp-4242"), "half written");

        CropcastProcess.Exit refused = child("second", Map.of(), resume)
                .await(Duration.ofSeconds(90));
        assertThat(refused.code()).as(refused.toString()).isEqualTo(3);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.err().lines().toList()).as(refused.toString()).singleElement().asString()
                .isEqualTo("cropcast: --run-dir " + runDir + " is in use by another cropcast process (pid " + holder.process().pid()
                        + ") (it holds .cropcast-lock); wait for it to end, or use another run directory");
        assertThat(live).as("the first process's temporary file").exists();

        Files.writeString(data.resolve("wake"), "");
        CropcastProcess.Exit done = holder.await(Duration.ofSeconds(90));
        assertThat(done.code()).as(done.toString()).isZero();
        Run run = store(db).getRun(id).orElseThrow();
        assertThat(run.info().status()).isEqualTo(RunStatus.FINISHED);
        assertThat(run.data().tags()).doesNotContainKey(RunTags.ERROR);
        assertThat(runCount(db)).isOne();

        // the lock died with its holder
        CliHarness.Result again = cli.run(resume.toArray(String[]::new));
        assertThat(again.exitCode()).as(again.toString()).isZero();
    }

    /**
     * A hindcast of the test stages that sleeps in its stage until {@code data/wake} exists (the
     * {@code mode=sleep} target filter), in {@code runDir}, with {@code more} arguments.
     */
    private List<String> sleepyHindcast(Path runDir, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("run", "hindcast", "--config", config.toString(), "--run-dir",
                runDir.toString(), "--set", "target.filter_column=mode", "--set", "target.filter_value=sleep"));
        args.addAll(List.of(more));
        return args;
    }

    /** SIGTERM to the child, which must exit 130 within a minute. */
    private static CropcastProcess.Exit terminate(CropcastProcess child) throws Exception {
        child.signal("TERM");
        CropcastProcess.Exit exit = child.await(Duration.ofSeconds(60));
        assertThat(exit.code()).as(exit.toString()).isEqualTo(130);
        return exit;
    }

    /**
     * {@code runs list --stale-after 1s}, once more than a second has passed: it must list run
     * {@code id} as RUNNING (stale). Returns its output.
     */
    private String listedStale(CliHarness cli, RunId id) throws Exception {
        Thread.sleep(1500);
        CliHarness.Result list = cli.run("runs", "list", "--tracking-uri", "sqlite:///" + db, "--stale-after", "1s");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).containsPattern(id + " .* RUNNING \\(stale\\)");
        return list.out();
    }

    /** The test stages' cropcast in a child JVM with a 128 MiB heap, its output in {@code dir/logs}. */
    private CropcastProcess child(String name, Map<String, String> env, List<String> args) throws Exception {
        return CropcastProcess.start(TestMain.class, "128m", dir, dir.resolve("logs"), name, env, args);
    }

    private static void assertOutOfMemoryLine(CropcastProcess.Exit exit) {
        assertThat(exit.code()).as(exit.toString()).isEqualTo(1);
        assertThat(exit.out()).isEmpty();
        assertThat(exit.err().lines().toList()).as(exit.toString()).singleElement().asString()
                .startsWith("cropcast: out of memory (Java heap space)").contains("-Xmx");
    }

    private static List<Path> directoriesUnder(Path data) throws Exception {
        try (Stream<Path> walk = Files.walk(data)) {
            return walk.filter(Files::isDirectory).filter(p -> !p.equals(data)).toList();
        }
    }

    private static void awaitFile(CropcastProcess child, Path file) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!Files.exists(file)) {
            if (!child.isAlive()) {
                throw new AssertionError("child ended before " + file + ": " + child.await(Duration.ofSeconds(5)));
            }
            assertThat(System.nanoTime()).as("child reached " + file + " within 90 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** The run id once the child's stage is running (its record written, the run RUNNING with a heartbeat). */
    private static RunId awaitRecorded(CropcastProcess child, Path runDir, String stage) throws Exception {
        Path record = runDir.resolve(RunRecord.fileName(stage));
        awaitFile(child, record);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = Pattern.compile("mlflow_run_id: ([0-9a-f]{32})").matcher(Files.readString(record));
            if (m.find() && Files.exists(runDir.resolve("metadata.yaml"))) {
                Thread.sleep(300); // the stage is sleeping: the metadata files are written and uploaded
                return RunId.of(m.group(1));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no run recorded in " + record);
    }

    private static Run onlyRun(Path db) {
        RunStore store = store(db);
        List<Run> runs = store.listExperiments().stream().map(Experiment::id)
                .flatMap(e -> store.searchRuns(new RunSearch(e, Optional.empty(), 100)).stream()).toList();
        assertThat(runs).hasSize(1);
        return runs.get(0);
    }

    private static int runCount(Path db) {
        RunStore store = store(db);
        return store.listExperiments().stream().mapToInt(e -> store.searchRuns(new RunSearch(e.id(), Optional.empty(), 100)).size()).sum();
    }

    private static RunStore store(Path db) {
        return new CliHarness(Map.of()).injector().getInstance(RunStoreFactory.class).create("sqlite:///" + db.toAbsolutePath());
    }
}
