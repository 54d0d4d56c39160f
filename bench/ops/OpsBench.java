import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.cropcast.tracking.CreateRunRequest;
import org.cropcast.tracking.Experiment;
import org.cropcast.tracking.ExperimentId;
import org.cropcast.tracking.LocalStorage;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.Param;
import org.cropcast.tracking.Run;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunInfo;
import org.cropcast.tracking.RunSearch;
import org.cropcast.tracking.RunStatus;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.StorageArtifactStore;
import org.cropcast.tracking.Tag;
import org.cropcast.tracking.mlflow.SqliteRunStoreFactory;

/**
 * cropcast's side of bench/ops (driven by bench/ops/drive.py, see bench/run.sh): the embedded
 * SQLite store through its public port ({@code RunStore}), and raw SQLite (plain JDBC statements
 * on the same MLflow schema: the physical limit). ops_peer.py is the Python MLflow peer.
 * Prints JSON lines {@code {"system":..,"op":..,"unit":..,"samples":[..]}}.
 *
 * <pre>
 * OpsBench latency  WORKDIR REPEATS BATCH_CALLS  per-operation latency, cropcast and raw SQLite
 * OpsBench init     DB EXPERIMENT                a database with this experiment
 * OpsBench populate DB RUNS                      an experiment "search" with RUNS finished runs
 * OpsBench search   DB REPEATS MAX_RESULTS       search latency on a populated database (cropcast and raw)
 * OpsBench ingest   WORKDIR ROWS ROUNDS          bulk metric ingest, 1,000 rows per batch
 * OpsBench writer   DB GO INDEX BATCHES PER_BATCH   one concurrent writer process
 * OpsBench footprint DB FIXTURES                 one pipeline invocation's tracking, as a whole process
 * </pre>
 */
public final class OpsBench {
    private static final long T0 = 1_700_000_000_000L;
    private static final int WARMUP = 30;
    /** Unreported log_batch calls into the measured run, as many as the Python peer makes (ops_peer.py). */
    private static final int BATCH_WARMUP = 3;
    private static final int[] BATCH_SIZES = {10, 500, 1000};

    private OpsBench() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "latency" -> latency(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "init" -> init(Path.of(args[1]), args[2]);
            case "populate" -> populate(Path.of(args[1]), Integer.parseInt(args[2]));
            case "search" -> search(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "ingest" -> ingest(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "writer" -> writer(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]));
            case "footprint" -> footprint(Path.of(args[1]), Path.of(args[2]));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    static RunStore open(Path db) {
        return new SqliteRunStoreFactory().create("sqlite:///" + db.toAbsolutePath());
    }

    // ---------------------------------------------------------------- per-operation latency

    /**
     * Create run, log_batch and get run, cropcast and raw SQLite each on its own new database,
     * their calls alternating (one cropcast call, one raw call) so that both meet the same
     * conditions. Both paths are first warmed up alike on throwaway databases ({@link #WARMUP}
     * rounds of every operation), so neither is measured while the JIT still compiles the JDBC
     * driver's code the other already warmed. log_batch: every system makes the same number of
     * calls into its measured run ({@link #BATCH_WARMUP} unreported, then {@code batchCalls}, as
     * ops_peer.py does), because each call grows the {@code metrics} index and later calls cost more.
     */
    static void latency(Path work, int repeats, int batchCalls) throws Exception {
        Pair warm = Pair.open(work, "latency-warmup");
        try {
            warm.measure(WARMUP, repeats, WARMUP, 0, false);
        } finally {
            warm.close();
        }
        Pair measured = Pair.open(work, "latency");
        try {
            measured.measure(WARMUP, repeats, BATCH_WARMUP, batchCalls, true);
        } finally {
            measured.close();
        }
    }

    /** cropcast's store and raw SQLite, each on its own database under WORK/NAME-cropcast and WORK/NAME-raw. */
    record Pair(RunStore store, ExperimentId exp, Connection connection, Raw peer, String rawExp) {
        static Pair open(Path work, String name) throws Exception {
            Path db = work.resolve(name + "-cropcast/mlruns.db");
            Path rawDb = work.resolve(name + "-raw/mlruns.db");
            Files.createDirectories(db.getParent());
            Files.createDirectories(rawDb.getParent());
            String rawExp;
            try (RunStore s = OpsBench.open(rawDb)) { // the schema and an experiment, written by the store
                rawExp = s.getOrCreateExperiment("latency").id().value();
            }
            RunStore store = OpsBench.open(db);
            Connection c = OpsBench.raw(rawDb);
            return new Pair(store, store.getOrCreateExperiment("latency").id(), c, new Raw(c), rawExp);
        }

        /** Every operation, alternating; reported only if {@code report} (else a warm-up). */
        void measure(int warmup, int repeats, int batchWarmup, int batchCalls, boolean report) {
            int[] counter = {0};
            double[][] create = alternate(warmup, repeats,
                    () -> store.createRun(new CreateRunRequest(exp, "r" + counter[0], "bench", System.currentTimeMillis(), List.of())),
                    // the same rows cropcast writes for a run: the run and its two creation tags (mlflow.runName, mlflow.user)
                    () -> peer.createRun(rawExp, List.of(new Tag("mlflow.runName", "r" + counter[0]++), new Tag("mlflow.user", "bench"))));
            emit(report, "create_run", create);
            for (int size : BATCH_SIZES) {
                RunId run = store.createRun(new CreateRunRequest(exp, "batch" + size, "bench", System.currentTimeMillis(), List.of())).runId();
                String rawRun = peer.createRun(rawExp, List.of());
                int[] step = {0, 0};
                emit(report, "log_batch_" + size, alternate(batchWarmup, batchCalls,
                        () -> store.logBatch(run, metrics(size, step[0]++), List.of(), List.of()),
                        () -> peer.insertMetrics(rawRun, metrics(size, step[1]++))));
            }
            RunId rich = richRun(store, exp);
            String rawRich = peer.createRun(rawExp, tags(20));
            peer.insertMetrics(rawRich, metrics(100, 0));
            peer.insertParams(rawRich, params(9));
            emit(report, "get_run", alternate(warmup, repeats, () -> {
                if (store.getRun(rich).isEmpty()) {
                    throw new IllegalStateException("run vanished");
                }
            }, () -> {
                if (peer.getRun(rawRich) != 1 + 20 + 9 + 100) {
                    throw new IllegalStateException("raw get run read the wrong rows");
                }
            }));
        }

        private static void emit(boolean report, String op, double[][] samples) {
            if (report) {
                OpsBench.emit("cropcast", op, samples[0]);
                OpsBench.emit("raw", op, samples[1]);
            }
        }

        void close() throws SQLException {
            store.close();
            connection.close();
        }
    }

    /** The run read back by get_run: 20 tags, 9 params, 100 metrics. */
    static RunId richRun(RunStore store, ExperimentId exp) {
        RunId run = store.createRun(new CreateRunRequest(exp, "rich", "bench", System.currentTimeMillis(), tags(20))).runId();
        store.logBatch(run, metrics(100, 0), params(9), List.of());
        return run;
    }

    static List<Metric> metrics(int n, int step) {
        List<Metric> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Metric("metric_" + i, i * 0.5 + step, T0 + step, step));
        }
        return out;
    }

    static List<Tag> tags(int n) {
        List<Tag> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Tag("tag_" + i, "value " + i));
        }
        return out;
    }

    static List<Param> params(int n) {
        List<Param> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Param("param_" + i, Integer.toString(i * 7)));
        }
        return out;
    }

    static void init(Path db, String experiment) throws Exception {
        Files.createDirectories(db.toAbsolutePath().getParent());
        try (RunStore store = open(db)) {
            store.getOrCreateExperiment(experiment);
        }
    }

    // ---------------------------------------------------------------- search

    /** RUNS finished runs in experiment "search", each with 5 tags, 3 params and 3 metrics. */
    static void populate(Path db, int runs) {
        try (RunStore store = open(db)) {
            ExperimentId exp = store.getOrCreateExperiment("search").id();
            long start = System.currentTimeMillis() - runs * 1000L;
            for (int r = 0; r < runs; r++) {
                List<Tag> tags = List.of(new Tag("stage", r % 3 == 0 ? "hindcast" : "forecast"), new Tag("region", "R" + r % 50),
                        new Tag("git_commit", Integer.toHexString(r * 7919)));
                RunId run = store.createRun(new CreateRunRequest(exp, "run-" + r, "bench", start + r * 1000L, tags)).runId();
                store.logBatch(run, List.of(new Metric("rmse", r * 0.01, start + r * 1000L, 0), new Metric("mae", r * 0.005, start + r * 1000L, 0),
                        new Metric("r2", 0.9, start + r * 1000L, 0)), List.of(new Param("detrend", "linear"),
                        new Param("alpha", Double.toString(r % 10 * 0.1)), new Param("seed", Integer.toString(r))), List.of());
                store.endRun(run, RunStatus.FINISHED, start + r * 1000L + 500);
            }
        }
    }

    /** Search latency, cropcast and raw SQLite alternating on the same database (after {@link #WARMUP} rounds). */
    static void search(Path db, int repeats, int maxResults) throws Exception {
        String op = "search_" + maxResults;
        try (RunStore store = open(db); Connection c = raw(db)) {
            ExperimentId exp = store.findExperiment("search").map(Experiment::id).orElseThrow();
            Raw raw = new Raw(c);
            double[][] samples = alternate(Math.min(WARMUP, repeats), repeats, () -> {
                List<Run> runs = store.searchRuns(new RunSearch(exp, Optional.empty(), maxResults));
                if (runs.size() != maxResults) {
                    throw new IllegalStateException("found " + runs.size());
                }
            }, () -> {
                int n = raw.search(exp.value(), maxResults);
                if (n != maxResults) {
                    throw new IllegalStateException("found " + n);
                }
            });
            emit("cropcast", op, samples[0]);
            emit("raw", op, samples[1]);
        }
    }

    // ---------------------------------------------------------------- bulk ingest

    static void ingest(Path work, int rows, int rounds) throws Exception {
        double[] store = new double[rounds];
        double[] rawRate = new double[rounds];
        for (int r = -1; r < rounds; r++) { // round -1 (at most 10,000 rows) warms the JIT up, not reported
            Path db = work.resolve("ingest-cropcast-" + rows + "-" + r + "/mlruns.db");
            Files.createDirectories(db.getParent());
            List<List<Metric>> batches = bulkRows(r < 0 ? Math.min(rows, 10_000) : rows);
            double seconds;
            try (RunStore s = open(db)) {
                RunId run = s.createRun(new CreateRunRequest(s.getOrCreateExperiment("ingest").id(), "ingest", "bench",
                        System.currentTimeMillis(), List.of())).runId();
                long t = System.nanoTime();
                for (List<Metric> batch : batches) {
                    s.logBatch(run, batch, List.of(), List.of());
                }
                seconds = (System.nanoTime() - t) / 1e9;
            }
            Path rawDb = work.resolve("ingest-raw-" + rows + "-" + r + "/mlruns.db");
            Files.createDirectories(rawDb.getParent());
            String expId;
            try (RunStore s = open(rawDb)) {
                expId = s.getOrCreateExperiment("ingest").id().value();
            }
            double rawSeconds;
            try (Connection c = raw(rawDb)) {
                Raw raw = new Raw(c);
                String run = raw.createRun(expId, List.of());
                long t = System.nanoTime();
                for (List<Metric> batch : batches) {
                    raw.insertMetrics(run, batch);
                }
                rawSeconds = (System.nanoTime() - t) / 1e9;
            }
            if (r >= 0) {
                store[r] = seconds;
                rawRate[r] = rawSeconds;
            }
            deleteTree(db.getParent());
            deleteTree(rawDb.getParent());
        }
        emitSized("cropcast", "ingest", rows, store);
        emitSized("raw", "ingest", rows, rawRate);
    }

    /** 100 keys, steps 0..rows/100, in batches of 1,000 rows (the same rows ops_peer.py logs). */
    static List<List<Metric>> bulkRows(int rows) {
        List<List<Metric>> batches = new ArrayList<>();
        List<Metric> batch = new ArrayList<>(1000);
        for (int i = 0; i < rows; i++) {
            batch.add(new Metric("metric_" + i % 100, i * 0.001, T0 + i, i / 100));
            if (batch.size() == 1000) {
                batches.add(batch);
                batch = new ArrayList<>(1000);
            }
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        return batches;
    }

    // ---------------------------------------------------------------- concurrent writers

    /** One of N processes: opens the store, waits for GO, creates a run (20 tags), 9 params, BATCHES x PER_BATCH metrics, ends it. */
    static void writer(Path db, Path go, int index, int batches, int perBatch) throws Exception {
        int ok = 0;
        int failed = 0;
        List<String> kinds = new ArrayList<>();
        try (RunStore store = open(db)) { // opened before "ready": start-up is not part of the measurement
            ExperimentId exp = store.getOrCreateExperiment("concurrency").id();
            System.out.println("ready");
            System.out.flush();
            while (!Files.exists(go)) {
                Thread.sleep(1);
            }
            RunId run = store.createRun(new CreateRunRequest(exp, "writer-" + index, "bench", System.currentTimeMillis(), tags(20))).runId();
            store.logBatch(run, List.of(), params(9), List.of());
            ok += 2;
            for (int b = 0; b < batches; b++) {
                try {
                    store.logBatch(run, metrics(perBatch, b), List.of(), List.of());
                    ok++;
                } catch (RuntimeException e) {
                    failed++;
                    kinds.add(e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()));
                }
            }
            store.endRun(run, RunStatus.FINISHED, System.currentTimeMillis());
            ok++;
        } catch (RuntimeException e) {
            failed++;
            kinds.add(e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()));
        }
        System.out.println("result " + ok + " " + failed + " " + json(kinds.stream().distinct().toList()));
    }

    // ---------------------------------------------------------------- tracking footprint

    /**
     * What a pipeline invocation tracks, as one process: experiment lookup, a run with 20 tags,
     * 9 params, 200 metrics in 4 batches (fold as step), the 14 artifact files in FIXTURES, end.
     */
    static void footprint(Path db, Path fixtures) throws Exception {
        try (RunStore store = open(db)) {
            StorageArtifactStore artifacts = new StorageArtifactStore(new LocalStorage());
            ExperimentId exp = store.getOrCreateExperiment("footprint").id();
            long now = System.currentTimeMillis();
            RunInfo run = store.createRun(new CreateRunRequest(exp, "hindcast", "bench", now, tags(20)));
            store.logBatch(run.runId(), List.of(), params(9), List.of());
            for (int b = 0; b < 4; b++) {
                List<Metric> batch = new ArrayList<>();
                for (int m = 0; m < 50; m++) {
                    batch.add(new Metric("fold" + b + ".metric" + m % 10, m * 0.01, now + m, m / 10));
                }
                store.logBatch(run.runId(), batch, List.of(), List.of());
            }
            try (Stream<Path> files = Files.list(fixtures)) {
                for (Path f : files.sorted().toList()) {
                    String dir = f.getFileName().toString().endsWith(".png") ? "reports/folds"
                            : f.getFileName().toString().endsWith(".parquet") ? "datasets" : "";
                    artifacts.logFile(run.artifactUri(), f, dir);
                }
            }
            store.endRun(run.runId(), RunStatus.FINISHED, System.currentTimeMillis());
        }
    }

    // ---------------------------------------------------------------- raw SQLite (the physical limit)

    static Connection raw(Path db) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=NORMAL");
            s.execute("PRAGMA foreign_keys=ON");
            // the settings cropcast's store uses (SqliteDatabase): the best SQLite offers without touching the schema
            s.execute("PRAGMA cache_size=-32768");
            s.execute("PRAGMA wal_autocheckpoint=10000");
        }
        c.setAutoCommit(true);
        return c;
    }

    /**
     * The least SQL that writes and reads the same rows as cropcast, with the best plan SQLite
     * allows on MLflow's schema (no index added): every statement prepared once, one
     * {@code BEGIN IMMEDIATE} transaction per write, no validation. log_batch keeps
     * {@code latest_metrics} (part of the rows MLflow's schema needs: get run and search read
     * it); get run is one statement (its own snapshot); search is the page query then one
     * statement for the tags, params and latest metrics of all its runs (ids as a JSON array, each row
     * naming its run by its index there).
     */
    static final class Raw {
        private final PreparedStatement begin;
        private final PreparedStatement beginRead;
        private final PreparedStatement commit;
        private final PreparedStatement insertRun;
        private final PreparedStatement insertTag;
        private final PreparedStatement insertMetric;
        private final PreparedStatement upsertLatest;
        private final PreparedStatement insertParam;
        private final PreparedStatement getRun;
        private final PreparedStatement page;
        private final PreparedStatement pageData;

        Raw(Connection c) throws SQLException {
            begin = c.prepareStatement("BEGIN IMMEDIATE");
            beginRead = c.prepareStatement("BEGIN DEFERRED");
            commit = c.prepareStatement("COMMIT");
            insertRun = c.prepareStatement("INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id, status,"
                    + " start_time, source_version, lifecycle_stage, artifact_uri, experiment_id) VALUES (?, ?, 'UNKNOWN', '', '', 'bench',"
                    + " 'RUNNING', ?, '', 'active', ?, ?)");
            insertTag = c.prepareStatement("INSERT INTO tags (key, value, run_uuid) VALUES (?, ?, ?)");
            insertMetric = c.prepareStatement("INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan) VALUES (?, ?, ?, ?, ?, 0)");
            upsertLatest = c.prepareStatement("INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid)"
                    + " VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT (key, run_uuid) DO UPDATE SET value = excluded.value,"
                    + " timestamp = excluded.timestamp, step = excluded.step, is_nan = excluded.is_nan"
                    + " WHERE (excluded.step, excluded.timestamp, excluded.value)"
                    + " > (latest_metrics.step, coalesce(latest_metrics.timestamp, -1), latest_metrics.value)");
            insertParam = c.prepareStatement("INSERT INTO params (key, value, run_uuid) VALUES (?, ?, ?)");
            getRun = c.prepareStatement("SELECT 0, run_uuid, experiment_id, name, user_id, status, start_time, end_time, artifact_uri,"
                    + " lifecycle_stage FROM runs WHERE run_uuid = ?1"
                    + " UNION ALL SELECT 1, key, value, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM tags WHERE run_uuid = ?1"
                    + " UNION ALL SELECT 2, key, value, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM params WHERE run_uuid = ?1"
                    + " UNION ALL SELECT 3, key, value, timestamp, step, is_nan, NULL, NULL, NULL, NULL FROM latest_metrics WHERE run_uuid = ?1");
            page = c.prepareStatement("SELECT run_uuid, experiment_id, name, user_id, status, start_time, end_time, artifact_uri,"
                    + " lifecycle_stage FROM runs WHERE experiment_id = ? AND lifecycle_stage = 'active'"
                    + " ORDER BY start_time DESC, run_uuid LIMIT ?");
            pageData = c.prepareStatement("SELECT 1, j.key, t.key, t.value, NULL, NULL, NULL FROM json_each(?1) j JOIN tags t ON t.run_uuid = j.value"
                    + " UNION ALL SELECT 2, j.key, p.key, p.value, NULL, NULL, NULL FROM json_each(?1) j JOIN params p ON p.run_uuid = j.value"
                    + " UNION ALL SELECT 3, j.key, m.key, m.value, m.timestamp, m.step, m.is_nan FROM json_each(?1) j"
                    + " JOIN latest_metrics m ON m.run_uuid = j.value");
        }

        String createRun(String expId, List<Tag> tags) {
            String id = UUID.randomUUID().toString().replace("-", "");
            write(() -> {
                insertRun.setString(1, id);
                insertRun.setString(2, "r-" + id.substring(0, 8));
                insertRun.setLong(3, System.currentTimeMillis());
                insertRun.setString(4, "file:///tmp/mlartifacts/" + expId + "/" + id + "/artifacts");
                insertRun.setString(5, expId);
                insertRun.executeUpdate();
                for (Tag t : tags) {
                    insertTag.setString(1, t.key());
                    insertTag.setString(2, t.value());
                    insertTag.setString(3, id);
                    insertTag.addBatch();
                }
                if (!tags.isEmpty()) {
                    insertTag.executeBatch();
                }
            });
            return id;
        }

        /** The metric rows and, for each key, its latest_metrics row (the batches here have each key once). */
        void insertMetrics(String run, List<Metric> metrics) {
            write(() -> {
                for (Metric m : metrics) {
                    insertMetric.setString(1, m.key());
                    insertMetric.setDouble(2, m.value());
                    insertMetric.setLong(3, m.timestampMillis());
                    insertMetric.setString(4, run);
                    insertMetric.setLong(5, m.step());
                    insertMetric.addBatch();
                }
                insertMetric.executeBatch();
                for (Metric m : metrics) {
                    upsertLatest.setString(1, m.key());
                    upsertLatest.setDouble(2, m.value());
                    upsertLatest.setLong(3, m.timestampMillis());
                    upsertLatest.setLong(4, m.step());
                    upsertLatest.setString(5, run);
                    upsertLatest.addBatch();
                }
                upsertLatest.executeBatch();
            });
        }

        void insertParams(String run, List<Param> params) {
            write(() -> {
                for (Param p : params) {
                    insertParam.setString(1, p.key());
                    insertParam.setString(2, p.value());
                    insertParam.setString(3, run);
                    insertParam.addBatch();
                }
                insertParam.executeBatch();
            });
        }

        /** The run row, its tags, params and latest metrics; the number of rows read. */
        int getRun(String run) {
            try {
                getRun.setString(1, run);
                int n = 0;
                try (ResultSet r = getRun.executeQuery()) {
                    while (r.next()) {
                        if (r.getInt(1) == 0) {
                            readRunRow(r, 1);
                        } else {
                            readDataRow(r, 1, 2);
                        }
                        n++;
                    }
                }
                return n;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The newest MAX runs of the experiment, with their tags, params and latest metrics, in one read transaction. */
        int search(String expId, int max) {
            try {
                beginRead.execute();
                StringBuilder ids = new StringBuilder("[");
                int n = 0;
                try {
                    page.setString(1, expId);
                    page.setInt(2, max);
                    try (ResultSet r = page.executeQuery()) {
                        while (r.next()) {
                            ids.append(n++ == 0 ? "\"" : ",\"").append(readRunRow(r, 0)).append('"');
                        }
                    }
                    pageData.setString(1, ids.append(']').toString());
                    try (ResultSet r = pageData.executeQuery()) {
                        while (r.next()) {
                            r.getInt(2);
                            readDataRow(r, 1, 3);
                        }
                    }
                } finally {
                    commit.execute();
                }
                return n;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Reads every column of a runs row (as cropcast does) after column {@code offset}; its run id. */
        private static String readRunRow(ResultSet r, int offset) throws SQLException {
            String id = r.getString(offset + 1);
            r.getLong(offset + 2);
            r.getString(offset + 3);
            r.getString(offset + 4);
            r.getString(offset + 5);
            r.getLong(offset + 6);
            r.getLong(offset + 7);
            r.getString(offset + 8);
            r.getString(offset + 9);
            return id;
        }

        /** Reads the columns of a tag, param or metric row (kind in column {@code kind}, key from column {@code key} on) as cropcast does. */
        private static void readDataRow(ResultSet r, int kind, int key) throws SQLException {
            int k = r.getInt(kind);
            r.getString(key);
            if (k == 3) {
                r.getDouble(key + 1);
                r.getLong(key + 2);
                r.getLong(key + 3);
                r.getInt(key + 4);
            } else {
                r.getString(key + 1);
            }
        }

        private void write(SqlWork work) {
            try {
                begin.execute();
                try {
                    work.run();
                    commit.execute();
                } catch (SQLException e) {
                    begin.getConnection().createStatement().execute("ROLLBACK");
                    throw e;
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    interface SqlWork {
        void run() throws SQLException;
    }

    // ---------------------------------------------------------------- helpers

    interface Op {
        void run() throws Exception;
    }

    /** Milliseconds per call of each op, the two called alternately, after {@code warmup} unreported calls of each. */
    static double[][] alternate(int warmup, int repeats, Op first, Op second) {
        double[][] samples = new double[2][repeats];
        try {
            for (int i = 0; i < warmup + repeats; i++) {
                Op[] ops = {first, second};
                for (int k = 0; k < 2; k++) {
                    long t = System.nanoTime();
                    ops[k].run();
                    if (i >= warmup) {
                        samples[k][i - warmup] = (System.nanoTime() - t) / 1e6;
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return samples;
    }

    static void emit(String system, String op, double[] millis) {
        System.out.println("{\"system\":\"" + system + "\",\"op\":\"" + op + "\",\"unit\":\"ms\",\"samples\":" + json(millis) + "}");
    }

    static void emitSized(String system, String op, int size, double[] seconds) {
        System.out.println("{\"system\":\"" + system + "\",\"op\":\"" + op + "\",\"size\":" + size + ",\"unit\":\"s\",\"samples\":"
                + json(seconds) + "}");
    }

    static String json(double[] values) {
        return Arrays.stream(values).mapToObj(v -> String.format(Locale.ROOT, "%.4f", v)).collect(Collectors.joining(",", "[", "]"));
    }

    static String json(List<String> values) {
        return values.stream().map(v -> "\"" + v.replace("\\", "\\\\").replace("\"", "'") + "\"").collect(Collectors.joining(",", "[", "]"));
    }

    static String firstLine(String message) {
        String m = message == null ? "" : message;
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).replaceAll("\\s+", " ");
    }

    static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
