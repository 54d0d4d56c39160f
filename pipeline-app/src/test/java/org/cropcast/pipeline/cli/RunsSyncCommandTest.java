package org.cropcast.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cropcast.pipeline.CliHarness;
import org.cropcast.pipeline.CliHarness.Result;
import org.cropcast.tracking.CreateRunRequest;
import org.cropcast.tracking.Experiment;
import org.cropcast.tracking.LocalStorage;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.Param;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunStatus;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.StorageArtifactStore;
import org.cropcast.tracking.Tag;
import org.cropcast.tracking.mlflow.SqliteRunStoreFactory;
import org.cropcast.tracking.sync.SyncTags;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cropcast runs sync} through the real command line, between two SQLite databases. */
class RunsSyncCommandTest {
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private String from;
    private String to;
    private RunId parent;
    private RunId child;
    private final CliHarness cli = new CliHarness(Map.of());

    @BeforeEach
    void sourceWithTwoRuns() throws Exception {
        from = "sqlite:///" + dir.resolve("node/mlruns.db");
        to = "sqlite:///" + dir.resolve("team/mlruns.db");
        Path file = Files.writeString(Files.createDirectories(dir.resolve("files")).resolve("summary.txt"), "rmse 0.3\n");
        try (RunStore store = new SqliteRunStoreFactory().create(from)) {
            Experiment experiment = store.getOrCreateExperiment("maize");
            var run = store.createRun(new CreateRunRequest(experiment.id(), "hindcast", "alice", T0, List.of()));
            parent = run.runId();
            store.logBatch(parent, List.of(new Metric("rmse", 0.3, T0 + 1, 0), new Metric("rmse", 0.2, T0 + 2, 1)),
                    List.of(new Param("alpha", "0.1")), List.of());
            new StorageArtifactStore(new LocalStorage()).logFile(run.artifactUri(), file, "");
            store.endRun(parent, RunStatus.FINISHED, T0 + 10);
            child = store.createRun(new CreateRunRequest(experiment.id(), "fold-1", "alice", T0 + 3,
                    List.of(new Tag(SyncTags.PARENT_RUN_ID, parent.value())))).runId();
            store.endRun(child, RunStatus.FINISHED, T0 + 5);
        }
    }

    @Test
    void syncPrintsASummaryAndASecondSyncCopiesNothing() {
        Result first = cli.ok("runs", "sync", "--from", from, "--to", to);
        assertThat(first.out()).contains("Synced " + from + " -> " + to, parent.value(), "hindcast", "created",
                "Runs: 2 created, 0 updated, 0 unchanged, 0 conflicting, 0 failed", "Copied: 2 metric points, 1 files, 9 B");
        assertThat(first.err()).as("plain progress lines off a terminal").contains("sync: 2 runs", "sync: [2/2] fold-1");

        Result second = cli.ok("runs", "sync", "--from", from, "--to", to);
        assertThat(second.out()).contains("Runs: 0 created, 0 updated, 2 unchanged", "Copied: 0 metric points, 0 files, 0 B");
    }

    @Test
    void jsonSummaryAndRunsShowNamesTheOtherSide() throws Exception {
        JsonNode json = new JsonMapper().readTree(cli.ok("runs", "sync", "--from", from, "--to", to, "--json").out());
        assertThat(json.get("succeeded").asBoolean()).isTrue();
        assertThat(json.get("runs_by_result").get("created").asInt()).isEqualTo(2);
        assertThat(json.get("metric_points").asLong()).isEqualTo(2);
        assertThat(json.get("artifact_bytes").asLong()).isEqualTo(9);
        JsonNode first = json.get("runs").get(0);
        assertThat(first.get("source_run_id").asText()).isEqualTo(parent.value());
        String copy = first.get("destination_run_id").asText();

        assertThat(cli.ok("runs", "show", copy, "--tracking-uri", to).out()).contains("synced from", from + " run " + parent.value());
        assertThat(cli.ok("runs", "show", parent.value(), "--tracking-uri", from).out()).contains("synced to", to + " run " + copy);
        JsonNode shown = new JsonMapper().readTree(cli.ok("runs", "show", copy, "--tracking-uri", to, "--json").out());
        assertThat(shown.get("synced").get(0).asText()).isEqualTo("synced from " + from + " run " + parent.value());
    }

    @Test
    void dryRunWritesNothing() {
        Result dry = cli.ok("runs", "sync", "--from", from, "--to", to, "--dry-run", "--run", child.value());
        assertThat(dry.out()).contains("Dry run (nothing written)", "Runs: 2 created", "(would be)");
        assertThat(dir.resolve("team/mlruns.db")).as("not even an empty database").doesNotExist();
    }

    @Test
    void aConflictingParamExitsTwoNamingBothValues() {
        String copy = new JsonMapperReader().copyOf(cli.ok("runs", "sync", "--from", from, "--to", to, "--json").out(), parent);
        try (RunStore team = new SqliteRunStoreFactory().create(to); RunStore node = new SqliteRunStoreFactory().create(from)) {
            team.logBatch(RunId.of(copy), List.of(), List.of(new Param("seed", "42")), List.of());
            node.logBatch(parent, List.of(), List.of(new Param("seed", "7")), List.of());
        }
        Result conflict = cli.run("runs", "sync", "--from", from, "--to", to);
        assertThat(conflict.exitCode()).as(conflict.toString()).isEqualTo(ExitCodes.USER_INPUT);
        assertThat(conflict.out()).contains("1 conflicting", "param 'seed' conflicts: source '7', destination '42'");
    }

    @Test
    void badSelectionsAreOneLineErrors() {
        Result unknown = cli.run("runs", "sync", "--from", from, "--to", to, "--experiment", "wheat");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USER_INPUT);
        assertThat(unknown.err()).contains("experiment 'wheat' does not exist at the source").doesNotContain("Exception");
        Result both = cli.run("runs", "sync", "--from", from, "--to", to, "--dry-run", "--finalize-stale");
        assertThat(both.exitCode()).isEqualTo(ExitCodes.USER_INPUT);
        assertThat(both.err()).contains("--dry-run", "--finalize-stale");
        Result same = cli.run("runs", "sync", "--from", from, "--to", from);
        assertThat(same.exitCode()).isEqualTo(ExitCodes.USER_INPUT);
        assertThat(same.err()).contains("same backend");
        Result missing = cli.run("runs", "sync", "--from", "sqlite:///" + dir.resolve("nowhere.db"), "--to", to);
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USER_INPUT);
        assertThat(missing.err()).contains("no tracking database at");
    }

    /** Reads a copy's id from a sync's JSON summary. */
    private static final class JsonMapperReader {
        String copyOf(String json, RunId source) {
            try {
                for (JsonNode run : new JsonMapper().readTree(json).get("runs")) {
                    if (run.get("source_run_id").asText().equals(source.value())) {
                        return run.get("destination_run_id").asText();
                    }
                }
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            throw new AssertionError("no copy of " + source + " in " + json);
        }
    }
}
