package org.cropcast.pipeline.proof;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cropcast.pipeline.demo.DemoDataGenerator;
import org.cropcast.pipeline.runs.SweepLauncher;
import org.cropcast.tracking.Run;
import org.cropcast.tracking.RunFilter;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunSearch;
import org.cropcast.tracking.RunStatus;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.RunTags;
import org.cropcast.tracking.mlflow.MlflowRestConnections;
import org.cropcast.tracking.mlflow.MlflowRestRunStoreFactory;
import org.cropcast.tracking.mlflow.MlflowRestSettings;
import org.cropcast.tracking.mlflow.MlflowServerProcess;
import org.cropcast.tracking.mlflow.SqliteRunStoreFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cropcast sweep hindcast} as a user runs it: a real process whose children are real
 * {@code run hindcast} processes on the demo data. Sixteen children eight at a time on a new
 * embedded database and on a real {@code mlflow server}; a child that fails; SIGTERM (children
 * KILLED, then the parent); SIGKILL of the sweep half-way (its children notice and end KILLED),
 * then {@code --resume}.
 */
class SweepProcessesTest {
    private static final Duration TIMEOUT = Proof.TIMEOUT;
    private static final Pattern SWEEP_RUN_ID = Pattern.compile("run id: +([0-9a-f]{32})");
    /** Small child JVMs, so that eight fit on two cores; a fast heartbeat for the kill tests. */
    private static final Map<String, String> ENV = Map.of(
            SweepLauncher.CHILD_JVM_OPTIONS_VARIABLE, "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true",
            "CROPCAST_HEARTBEAT_SECONDS", "0.5");
    private static final List<String> SIXTEEN = List.of("--grid", "detrend=linear,quadratic", "--grid", "regression=ols,ridge",
            "--grid", "ridge_alpha=0.5,2.0", "--grid", "min_train_years=5,6");

    @TempDir
    Path dir;

    private Path config(String trackingUri) throws Exception {
        Path data = dir.resolve("data");
        Path config = DemoDataGenerator.write(data, 42);
        String text = Files.readString(config, UTF_8).replaceFirst("(?m)^feature_start_year: .*$", "feature_start_year: 2008");
        if (trackingUri != null) {
            text += "\nmlflow_tracking_uri: " + trackingUri + "\n";
        }
        Files.writeString(config, text, UTF_8);
        return config;
    }

    private CropcastProcess.Exit sweep(Path config, String name, List<String> args) throws Exception {
        List<String> all = new ArrayList<>(List.of("sweep", "hindcast", "--config", config.toString(), "--no-progress"));
        all.addAll(args);
        return CropcastProcess.run(dir, dir.resolve("logs"), name, ENV, all, TIMEOUT);
    }

    private static String sweepRunId(String out) {
        Matcher m = SWEEP_RUN_ID.matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return m.group(1);
    }

    @Test
    void sixteenChildrenEightAtATimeOnANewEmbeddedDatabase() throws Exception {
        Path config = config(null);
        List<String> args = new ArrayList<>(SIXTEEN);
        args.addAll(List.of("--parallel", "8"));
        CropcastProcess.Exit exit = sweep(config, "sweep16", args);
        assertThat(exit.code()).as(exit.toString()).isZero();
        assertThat(exit.out()).contains("sweep finished: 16 of 16 children FINISHED.", "best:");

        Path db = dir.resolve("data/mlruns.db");
        assertThat(RunShape.integrityCheck(db)).isEqualTo("ok");
        assertThat(RunShape.statusCounts(db)).isEqualTo(Map.of("FINISHED", 17));
        String parent = sweepRunId(exit.out());
        try (RunStore store = new SqliteRunStoreFactory().create("sqlite:///" + db)) {
            assertSweepRecorded(store, RunId.of(parent), 16);
        }
        Path ranking = Path.of(tag(db, parent, RunTags.RUN_DIR)).resolve("sweep/ranking.csv");
        assertThat(Files.readAllLines(ranking, UTF_8)).hasSize(17).element(1).asString().startsWith("1,");
    }

    @Test
    void sixteenChildrenEightAtATimeOnAnMlflowServer() throws Exception {
        try (MlflowServerProcess server = MlflowServerProcess.builder(dir.resolve("server")).workers(2).start()) {
            Path config = config(server.trackingUri());
            List<String> args = new ArrayList<>(SIXTEEN);
            args.addAll(List.of("--parallel", "8"));
            CropcastProcess.Exit exit = sweep(config, "sweep16-rest", args);
            assertThat(exit.code()).as(exit.toString()).isZero();
            assertThat(exit.out()).contains("sweep finished: 16 of 16 children FINISHED.");
            assertThat(dir.resolve("data/mlruns.db")).doesNotExist();
            try (RunStore store = new MlflowRestRunStoreFactory(new MlflowRestConnections(MlflowRestSettings.defaults()))
                    .create(server.trackingUri())) {
                assertSweepRecorded(store, RunId.of(sweepRunId(exit.out())), 16);
            }
        }
    }

    /** The parent FINISHED with the best child and the ranking; every child FINISHED under it. */
    private static void assertSweepRecorded(RunStore store, RunId parent, int children) {
        Run sweep = store.getRun(parent).orElseThrow();
        assertThat(sweep.info().status()).isEqualTo(RunStatus.FINISHED);
        assertThat(sweep.data().tags()).containsEntry(RunTags.STAGE, "sweep").containsKey(SweepLauncher.TAG_BEST_RUN);
        assertThat(sweep.data().latestMetrics()).containsKey("best." + SweepLauncher.DEFAULT_METRIC);
        RunSearch search = new RunSearch(sweep.info().experimentId(), java.util.Optional.empty(), 1000,
                RunFilter.parse("tags.`mlflow.parentRunId` = '" + parent + "'"),
                org.cropcast.tracking.RunOrder.parseAll(List.of("metrics.`" + SweepLauncher.DEFAULT_METRIC + "` ASC")));
        List<Run> found = store.searchRuns(search);
        assertThat(found).hasSize(children).allSatisfy(r -> assertThat(r.info().status()).isEqualTo(RunStatus.FINISHED));
        assertThat(found.stream().map(r -> r.data().tags().get(RunTags.RUN_DIR)).distinct()).hasSize(children);
        // the best child has the lowest metric; children may tie (with regression=ols, ridge_alpha changes nothing),
        // so compare the metric of the best run with the first of the search, and find the best run among the children
        double lowest = found.get(0).data().latestMetrics().get(SweepLauncher.DEFAULT_METRIC).value();
        assertThat(sweep.data().latestMetrics().get("best." + SweepLauncher.DEFAULT_METRIC).value()).isEqualTo(lowest);
        Run best = found.stream().filter(r -> r.id().value().equals(sweep.data().tags().get(SweepLauncher.TAG_BEST_RUN)))
                .findFirst().orElseThrow(() -> new AssertionError("the best run is not among the sweep's children"));
        assertThat(best.data().latestMetrics().get(SweepLauncher.DEFAULT_METRIC).value()).isEqualTo(lowest);
        assertThat(found.stream().map(r -> r.data().tags().get(SweepLauncher.TAG_COMBINATION)).distinct()).hasSize(children);
    }

    @Test
    void aFailedChildIsFailedReportedAndTheOthersStillRun() throws Exception {
        Path config = config(null);
        CropcastProcess.Exit exit = sweep(config, "failing", List.of("--grid", "detrend=linear,none",
                "--grid", "target.yield_column=yield_t_ha,no_such_column", "--parallel", "2"));
        assertThat(exit.code()).as(exit.toString()).isEqualTo(3);
        assertThat(exit.err().lines().filter(l -> l.startsWith("cropcast: ")).toList()).hasSize(1).first().asString()
                .contains("2 of 4 sweep children did not finish", "--resume");
        assertThat(exit.out()).contains("sweep FAILED: 2 of 4 children FINISHED.", "failed:", "no_such_column");
        Path db = dir.resolve("data/mlruns.db");
        assertThat(RunShape.statusCounts(db)).isEqualTo(Map.of("FINISHED", 2, "FAILED", 3));
        String parent = sweepRunId(exit.out());
        assertThat(tag(db, parent, SweepLauncher.TAG_RESULT)).contains("2 of 4 children FINISHED");
    }

    @Test
    void sigtermEndsTheRunningChildrenKilledThenTheParent() throws Exception {
        Path config = config(null);
        CropcastProcess sweep = CropcastProcess.start(dir, dir.resolve("logs"), "sigterm", ENV,
                List.of("sweep", "hindcast", "--config", config.toString(), "--no-progress", "--grid", "detrend=linear,quadratic",
                        "--grid", "regression=ols,ridge", "--parallel", "2"));
        Path db = dir.resolve("data/mlruns.db");
        awaitStatus(db, "hindcast", RunStatus.RUNNING, 2);
        sweep.process().destroy(); // SIGTERM, as Ctrl-C sends SIGINT: the same handling
        CropcastProcess.Exit exit = sweep.await(TIMEOUT);
        assertThat(exit.code()).as(exit.toString()).isEqualTo(130);
        assertThat(RunShape.integrityCheck(db)).isEqualTo("ok");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT t.value, r.status, r.end_time FROM runs r JOIN tags t"
                        + " ON t.run_uuid = r.run_uuid AND t.key = 'stage' ORDER BY r.end_time")) {
            List<String> order = new ArrayList<>();
            while (rows.next()) {
                order.add(rows.getString(1) + " " + rows.getString(2));
            }
            // the two running children ended KILLED before the parent; the other two never started
            assertThat(order).containsExactly("hindcast KILLED", "hindcast KILLED", "sweep KILLED");
        }
    }

    @Test
    void aSweepSigkilledHalfWayIsResumedAndRerunsOnlyWhatDidNotFinish() throws Exception {
        Path config = config(null);
        List<String> grid = List.of("--grid", "detrend=linear,quadratic,none", "--grid", "regression=ols,ridge", "--parallel", "2");
        List<String> args = new ArrayList<>(List.of("sweep", "hindcast", "--config", config.toString(), "--no-progress"));
        args.addAll(grid);
        CropcastProcess sweep = CropcastProcess.start(dir, dir.resolve("logs"), "victim", ENV, args);
        Path db = dir.resolve("data/mlruns.db");
        awaitStatus(db, "hindcast", RunStatus.FINISHED, 2);
        sweep.kill(); // SIGKILL: no hook runs; the children notice that their sweep is gone
        awaitNoRunningChildren(db);
        String parent = queryOne(db, "SELECT r.run_uuid FROM runs r JOIN tags t ON t.run_uuid = r.run_uuid"
                + " WHERE t.key = 'stage' AND t.value = 'sweep'");
        int finishedBefore = count(db, "hindcast", RunStatus.FINISHED);
        assertThat(finishedBefore).isBetween(2, 5);
        assertThat(count(db, "hindcast", RunStatus.RUNNING)).isZero();

        CropcastProcess.Exit resumed = sweep(config, "resume", List.of("--resume", parent, "--parallel", "2"));
        assertThat(resumed.code()).as(resumed.toString()).isZero();
        assertThat(resumed.out()).contains("sweep finished: 6 of 6 children FINISHED.", "run id:    " + parent);
        assertThat(resumed.out().lines().filter(l -> l.contains("FINISHED (earlier)")).count()).isEqualTo(finishedBefore);
        assertThat(RunShape.integrityCheck(db)).isEqualTo("ok");
        assertThat(RunShape.statusCounts(db)).as("one run per child, none created twice").isEqualTo(Map.of("FINISHED", 7));
    }

    private static boolean hasRunsTable(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'runs'")) {
            return r.next() && r.getInt(1) == 1;
        }
    }

    private static void awaitStatus(Path db, String stage, RunStatus status, int atLeast) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            // the file exists a moment before the sweep's first transaction has created MLflow's tables
            if (Files.exists(db) && hasRunsTable(db) && count(db, stage, status) >= atLeast) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("fewer than " + atLeast + " " + stage + " runs " + status + " within " + TIMEOUT);
    }

    private static void awaitNoRunningChildren(Path db) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (count(db, "hindcast", RunStatus.RUNNING) > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("children still RUNNING two minutes after their sweep was killed");
            }
            Thread.sleep(200);
        }
    }

    private static int count(Path db, String stage, RunStatus status) throws Exception {
        return Integer.parseInt(queryOne(db, "SELECT COUNT(*) FROM runs r JOIN tags t ON t.run_uuid = r.run_uuid AND t.key = 'stage'"
                + " WHERE t.value = '" + stage + "' AND r.status = '" + status + "'"));
    }

    private static String tag(Path db, String runId, String key) throws Exception {
        return queryOne(db, "SELECT value FROM tags WHERE run_uuid = '" + runId + "' AND key = '" + key + "'");
    }

    private static String queryOne(Path db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            assertThat(r.next()).as(sql).isTrue();
            return r.getString(1);
        }
    }
}
