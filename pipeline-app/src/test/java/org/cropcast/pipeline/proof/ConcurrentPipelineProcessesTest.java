package org.cropcast.pipeline.proof;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.cropcast.pipeline.CliHarness;
import org.cropcast.pipeline.demo.DemoDataGenerator;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunRecord;
import org.cropcast.tracking.RunStatus;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.RunStoreFactory;
import org.cropcast.tracking.RunTags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many real {@code cropcast run hindcast} processes (child JVMs, the real stages on the demo data)
 * on one embedded {@code mlruns.db}: none fails, none loses a row or a file, the file stays intact.
 * A process SIGKILLed mid-run leaves the database intact and its neighbours unaffected; its run is
 * shown stale by {@code runs list} and resuming it completes it. Short by default (8 processes);
 * {@code -Dcropcast.proof.long=true} runs 32.
 */
class ConcurrentPipelineProcessesTest {
    private static final Duration TIMEOUT = Proof.TIMEOUT;

    @TempDir
    Path dir;

    @Test
    void concurrentPipelineProcessesOnOneSqliteFileLoseNothing() throws Exception {
        int processes = Proof.size(8, 32);
        Path data = dir.resolve("data");
        Path config = DemoDataGenerator.write(data, 42);
        List<String> args = List.of("run", "hindcast", "--config", config.toString(), "--no-progress",
                "--set", "feature_start_year=2008");
        List<RunId> ids = Proof.runAloneThenConcurrently(data, dir.resolve("logs"), Map.of(), args, processes, () -> "");

        Path db = data.resolve("mlruns.db");
        assertThat(RunShape.integrityCheck(db)).isEqualTo("ok");
        assertThat(RunShape.statusCounts(db)).isEqualTo(Map.of("FINISHED", processes + 1));
        try (Stream<Path> runDirs = Files.list(data.resolve("runs/cropcast-demo"))) {
            assertThat(runDirs.toList()).as("one run directory per process").hasSize(processes + 1);
        }
        try (RunStore store = open(db)) {
            Proof.assertAllCompleteLikeTheFirst(store, ids, RunShape::localArtifacts);
        }
    }

    @Test
    void aSigkilledPipelineLeavesTheDatabaseIntactItsNeighboursFinishAndItResumes() throws Exception {
        int neighbours = Proof.size(3, 15);
        Path data = dir.resolve("data");
        Path config = DemoDataGenerator.write(data, 7);
        Path logs = dir.resolve("logs");
        Map<String, String> env = Map.of("CROPCAST_HEARTBEAT_SECONDS", "0.5");
        List<String> args = List.of("run", "hindcast", "--config", config.toString(), "--no-progress");
        Path victimDir = data.resolve("runs/victim");
        List<String> victimArgs = new ArrayList<>(args);
        victimArgs.addAll(List.of("--run-dir", victimDir.toString()));

        CropcastProcess victim = CropcastProcess.start(data, logs, "victim", env, victimArgs);
        List<CropcastProcess> others = new ArrayList<>();
        for (int i = 0; i < neighbours; i++) {
            others.add(CropcastProcess.start(data, logs, "n" + i, env, args));
        }
        Path db = data.resolve("mlruns.db");
        RunId victimId = awaitRunningWithHeartbeat(victim, victimDir, db);
        victim.kill();

        List<RunId> finished = new ArrayList<>();
        for (CropcastProcess other : others) {
            CropcastProcess.Exit exit = other.await(TIMEOUT);
            assertThat(exit.code()).as(exit.toString()).isZero();
            finished.add(RunShape.printedRunId(exit.out()));
        }
        assertThat(RunShape.integrityCheck(db)).isEqualTo("ok");
        assertThat(RunShape.statusCounts(db)).isEqualTo(Map.of("FINISHED", neighbours, "RUNNING", 1));

        Thread.sleep(2500); // the heartbeat is 0.5 s: three seconds without one is stale
        CropcastProcess.Exit list = CropcastProcess.run(data, logs, "list", Map.of(),
                List.of("runs", "list", "--tracking-uri", "sqlite:///" + db, "--stale-after", "2s"), TIMEOUT);
        assertThat(list.code()).as(list.toString()).isZero();
        assertThat(list.out()).containsPattern(victimId + " .*RUNNING \\(stale\\)").contains("1 stale run(s)");
        for (RunId id : finished) {
            assertThat(list.out()).containsPattern(id + " .*FINISHED");
        }

        List<String> resumeArgs = new ArrayList<>(victimArgs);
        resumeArgs.add("--resume");
        CropcastProcess.Exit resumed = CropcastProcess.run(data, logs, "resume", Map.of(), resumeArgs, TIMEOUT);
        assertThat(resumed.code()).as(resumed.toString()).isZero();
        assertThat(resumed.out()).contains("run id:    " + victimId, "(resumed run)");
        assertThat(RunShape.integrityCheck(db)).isEqualTo("ok");
        assertThat(RunShape.statusCounts(db)).isEqualTo(Map.of("FINISHED", neighbours + 1));
        try (RunStore store = open(db)) {
            RunShape neighbour = RunShape.of(store, finished.get(0), RunShape::localArtifacts);
            RunShape healed = RunShape.of(store, victimId, RunShape::localArtifacts);
            assertThat(healed.status()).isEqualTo(RunStatus.FINISHED);
            assertThat(healed.params()).isEqualTo(neighbour.params());
            assertThat(healed.metricKeys()).isEqualTo(neighbour.metricKeys());
            assertThat(healed.artifacts().keySet()).isEqualTo(neighbour.artifacts().keySet());
            for (RunId id : finished) {
                assertThat(RunShape.of(store, id, RunShape::localArtifacts).metricRows()).as("neighbour " + id)
                        .isEqualTo(neighbour.metricRows());
            }
        }
    }

    /** Waits until the child's run is recorded in its run directory and RUNNING with a heartbeat in the database. */
    private static RunId awaitRunningWithHeartbeat(CropcastProcess child, Path runDir, Path db) throws Exception {
        Path record = runDir.resolve(RunRecord.fileName("hindcast"));
        Pattern idPattern = Pattern.compile("mlflow_run_id: ([0-9a-f]{32})");
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(child.isAlive()).as("the victim is still running (it finished before it could be killed)").isTrue();
            // config_resolved.yaml too: a kill between the run record and that file leaves a directory that
            // --resume refuses (the orphan case of issue #20, not yet fixed; RELIABILITY.md), which is not what
            // this test is about
            if (Files.exists(record) && Files.exists(runDir.resolve("config_resolved.yaml"))) {
                Matcher m = idPattern.matcher(Files.readString(record));
                if (m.find()) {
                    RunId id = RunId.of(m.group(1));
                    try (RunStore store = open(db)) {
                        var run = store.getRun(id);
                        if (run.isPresent() && run.get().info().status() == RunStatus.RUNNING
                                && run.get().data().tags().containsKey(RunTags.HEARTBEAT)) {
                            return id;
                        }
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the victim's run did not start within " + TIMEOUT);
    }

    static RunStore open(Path db) {
        return new CliHarness(Map.of()).injector().getInstance(RunStoreFactory.class).create("sqlite:///" + db.toAbsolutePath());
    }
}
