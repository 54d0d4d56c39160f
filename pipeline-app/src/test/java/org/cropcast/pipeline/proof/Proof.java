package org.cropcast.pipeline.proof;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunStatus;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.RunTags;

/** Switches and small checks shared by the proof tests. */
final class Proof {
    /**
     * {@code -Dcropcast.proof.long=true} runs the full-size variants (32 concurrent pipelines on one
     * SQLite file, 16 against the team-scale server); without it each runs a short version.
     */
    static final boolean LONG = Boolean.getBoolean("cropcast.proof.long");

    private Proof() {}

    /** Short or long. */
    static int size(int shortSize, int longSize) {
        return LONG ? longSize : shortSize;
    }

    /** Every artifact that has a same-named file in the run directory has its exact size; returns how many matched. */
    static int assertMirrorsRunDirectory(Map<String, Long> artifacts, Path runDir) {
        int matched = 0;
        for (Map.Entry<String, Long> artifact : artifacts.entrySet()) {
            assertThat(artifact.getValue()).as("size of artifact " + artifact.getKey()).isPositive();
            Path local = runDir.resolve(artifact.getKey());
            if (Files.isRegularFile(local)) {
                try {
                    assertThat(artifact.getValue()).as("artifact " + artifact.getKey() + " against " + local).isEqualTo(Files.size(local));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                matched++;
            }
        }
        return matched;
    }

    /** Timeout of one child command. */
    static final Duration TIMEOUT = Duration.ofMinutes(LONG ? 30 : 12);

    /**
     * Runs the command once alone (the reference), then {@code processes} copies at once; each must
     * exit 0. Returns the reference run id first, then the concurrent ones (all distinct).
     */
    static List<RunId> runAloneThenConcurrently(Path workDir, Path logs, Map<String, String> env, List<String> args, int processes,
            Supplier<String> context) throws Exception {
        CropcastProcess.Exit alone = CropcastProcess.run(workDir, logs, "reference", env, args, TIMEOUT);
        assertThat(alone.code()).as(alone + context.get()).isZero();
        List<RunId> ids = new ArrayList<>(List.of(RunShape.printedRunId(alone.out())));
        List<CropcastProcess> children = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            children.add(CropcastProcess.start(workDir, logs, "p" + i, env, args));
        }
        for (CropcastProcess child : children) {
            CropcastProcess.Exit exit = child.await(TIMEOUT);
            assertThat(exit.code()).as(exit + context.get()).isZero();
            ids.add(RunShape.printedRunId(exit.out()));
        }
        assertThat(new HashSet<>(ids)).as("distinct run ids").hasSize(processes + 1);
        return ids;
    }

    /**
     * The first run (a hindcast from 2008 alone) holds everything a hindcast logs, and every other
     * run has exactly its status, params, metric rows and artifact paths, each artifact the size of
     * its run-directory copy.
     */
    static void assertAllCompleteLikeTheFirst(RunStore store, List<RunId> ids, Function<String, SortedMap<String, Long>> artifacts) {
        RunShape reference = RunShape.of(store, ids.get(0), artifacts);
        assertThat(reference.status()).isEqualTo(RunStatus.FINISHED);
        assertThat(reference.metricRows()).hasSizeGreaterThan(100).containsEntry("fold.model.regions.rmse", 2022 - 2008 + 1);
        assertThat(reference.params()).containsEntry("hindcast/feature_start_year", "2008");
        assertThat(reference.artifacts()).containsKeys("config_resolved.yaml", "metadata.yaml", "datasets/pred.parquet",
                "reports/skill_table.csv", "reports/hindcast_summary.png");
        for (RunId id : ids) {
            RunShape shape = RunShape.of(store, id, artifacts);
            assertThat(shape.status()).as("run " + id).isEqualTo(RunStatus.FINISHED);
            assertThat(shape.params()).as("params of " + id).isEqualTo(reference.params());
            assertThat(shape.metricRows()).as("metric rows of " + id).isEqualTo(reference.metricRows());
            assertThat(shape.artifacts().keySet()).as("artifacts of " + id).isEqualTo(reference.artifacts().keySet());
            Path runDir = Path.of(store.getRun(id).orElseThrow().data().tags().get(RunTags.RUN_DIR));
            assertThat(assertMirrorsRunDirectory(shape.artifacts(), runDir)).isGreaterThan(10);
        }
    }
}
