import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import org.cropcast.tracking.CreateRunRequest;
import org.cropcast.tracking.ExperimentId;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.Param;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunStatus;
import org.cropcast.tracking.Tag;
import org.cropcast.tracking.mlflow.SqliteRunStore;
import org.cropcast.tracking.mlflow.SqliteTrackingUri;

/**
 * Benchmarks of the embedded SQLite store against its peers, each measured in the same run:
 * raw SQLite (JDBC inserts of the same metric rows into the same run: the physical limit), and
 * the pinned Python MLflow's own SQLite store. Prints a Markdown section on stdout.
 *
 * <p>Run through bench/sqlite/run.sh (it builds the class path). Arguments: work directory,
 * Python interpreter of the MLflow venv, path of python_peer.py, class path for child writers.
 */
public final class SqliteStoreBench {
    private static final int BULK_ROWS = Integer.getInteger("bench.bulkRows", 200_000);
    private static final int CHUNK = 1000;
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    private static final int LATENCY_REPEATS = Integer.getInteger("bench.repeats", 50);
    private static final int PY_REPEATS = Integer.getInteger("bench.pyRepeats", 20);
    private static final int WRITERS = Integer.getInteger("bench.writers", 16);
    private static final int WRITER_BATCHES = 200;
    private static final int WRITER_METRICS = 10;

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        String python = args[1];
        String peer = args[2];
        String classPath = args[3];
        Files.createDirectories(work);
        StringBuilder md = new StringBuilder();

        // 1. bulk metric ingest: store vs raw SQLite, alternating rounds
        double[] store = new double[ROUNDS];
        double[] raw = new double[ROUNDS];
        bulkStore(work.resolve("warmup-store/mlruns.db")); // JIT warm-up of both paths, not measured
        bulkRaw(work.resolve("warmup-raw/mlruns.db"));
        for (int r = 0; r < ROUNDS; r++) {
            store[r] = bulkStore(work.resolve("bulk-store-" + r + "/mlruns.db"));
            raw[r] = bulkRaw(work.resolve("bulk-raw-" + r + "/mlruns.db"));
        }
        md.append("### Bulk metric ingest (").append(BULK_ROWS).append(" rows into one run, ").append(CHUNK)
                .append(" rows per transaction, ").append(ROUNDS).append(" alternating rounds)\n\n");
        md.append("| | rows/s median | min | max |\n|---|---|---|---|\n");
        md.append(row("cropcast `SqliteRunStore.logBatch` (metrics + latest_metrics)", store));
        md.append(row("raw SQLite (JDBC `INSERT` into `metrics` only, same rows)", raw));
        md.append(String.format(Locale.ROOT, "%nRatio cropcast / raw SQLite: **%.0f%%** (target ≥ 75%%).%n%n",
                100 * median(store) / median(raw)));

        // 2. latencies against Python MLflow's own store
        latencies(work.resolve("latency-warmup/mlruns.db"), new double[LATENCY_REPEATS], new double[LATENCY_REPEATS],
                new double[LATENCY_REPEATS]); // JIT
        double[] batchJava = new double[PY_REPEATS];
        double[] lifecycleJava = new double[PY_REPEATS];
        double[] tenKeysJava = new double[PY_REPEATS];
        latencies(work.resolve("latency-java/mlruns.db"), batchJava, lifecycleJava, tenKeysJava);
        Path pyDb = work.resolve("latency-python/mlruns.db");
        Files.createDirectories(pyDb.getParent());
        List<String> pyOut = run(List.of(python, peer, "latency", pyDb.toString(), Integer.toString(PY_REPEATS)), work);
        double[] batchPy = parseLatency(pyOut, "log_batch_1000_keys");
        double[] tenKeysPy = parseLatency(pyOut, "log_batch_10_keys");
        double[] lifecyclePy = parseLatency(pyOut, "run_lifecycle");
        md.append("### Per-operation latency (ms; ").append(PY_REPEATS).append(" measured repeats after 3 unmeasured ones on each side,"
                + " each side on its own new database; cropcast's JIT warmed on another database first)\n\n");
        md.append("| operation | cropcast wall ms median (p10–p90) | Python MLflow store wall ms median (p10–p90) | speed-up (wall)"
                + " | cropcast CPU ms median | Python CPU ms median | speed-up (CPU) |\n|---|---|---|---|---|---|---|\n");
        md.append(latencyRow("log_batch of 1,000 metrics: 10 keys x 100 steps", tenKeysJava, tenKeysPy));
        md.append(latencyRow("log_batch of 1,000 metrics: 1,000 distinct keys", batchJava, batchPy));
        md.append(latencyRow("create run + 20 tags + 9 params + end run", lifecycleJava, lifecyclePy));
        md.append("\nTarget: each ≥ 20x faster than Python MLflow's own SQLite store. CPU time is the calling thread's (user + system;"
                + " SQLite runs in that thread on both sides): on a shared machine it is the figure least disturbed by other jobs.\n\n");

        // 3. concurrent writers on one new database
        long expected = (long) WRITERS * WRITER_BATCHES * WRITER_METRICS;
        md.append("### ").append(WRITERS).append(" concurrent writer processes on one database\n\n");
        md.append("Each process creates its run (20 tags), logs 9 params and ").append(WRITER_BATCHES).append(" batches of ")
                .append(WRITER_METRICS).append(" metrics (each batch also sets a tag), and ends the run; all start at the same moment,"
                        + " on a database that does not exist yet, then on one that its own store created beforehand.\n\n");
        md.append("| database | store | wall time s | metric rows/s (aggregate) | failed operations | rows stored / expected |\n"
                + "|---|---|---|---|---|---|\n");
        for (boolean existing : new boolean[] {false, true}) {
            String kind = existing ? "existing" : "new";
            long[] javaWriters = concurrentJava(work.resolve("concurrent-java-" + kind), classPath, existing);
            long[] pyWriters = concurrentPython(work.resolve("concurrent-python-" + kind), python, peer, existing);
            md.append(String.format(Locale.ROOT, "| %s | cropcast (%d JVMs) | %.1f | %.0f | %d | %d / %d |%n", kind, WRITERS,
                    javaWriters[0] / 1000.0, javaWriters[2] * 1000.0 / javaWriters[0], javaWriters[1], javaWriters[2], expected));
            md.append(String.format(Locale.ROOT, "| %s | Python MLflow SqlAlchemyStore (%d processes) | %.1f | %.0f | %d | %d / %d |%n",
                    kind, WRITERS, pyWriters[0] / 1000.0, pyWriters[2] * 1000.0 / pyWriters[0], pyWriters[1], pyWriters[2], expected));
            pyKinds.put(kind, pyErrorKinds);
        }
        md.append("\nWall time runs from the common start signal to the last exit, so it includes process start-up (JVM ≈ 0.5 s,"
                + " `import mlflow` several s). Python failure kinds: new database: ").append(or(pyKinds.get("new")))
                .append("; existing database: ").append(or(pyKinds.get("existing"))).append(".\n");
        System.out.print(md);
    }

    private static String pyErrorKinds = "";
    private static final java.util.Map<String, String> pyKinds = new java.util.HashMap<>();

    private static String or(String kinds) {
        return kinds == null || kinds.isEmpty() ? "none" : kinds;
    }
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();
    /** CPU time of each latency sample array, filled beside the wall times. */
    private static final java.util.IdentityHashMap<double[], double[]> CPU_SAMPLES = new java.util.IdentityHashMap<>();

    private static double[] cpuOf(double[] samples) {
        return CPU_SAMPLES.computeIfAbsent(samples, s -> new double[s.length]);
    }

    private static double bulkStore(Path db) {
        try (SqliteRunStore store = open(db)) {
            RunId run = newRun(store);
            List<List<Metric>> chunks = rows();
            long t = System.nanoTime();
            for (List<Metric> chunk : chunks) {
                store.logBatch(run, chunk, List.of(), List.of());
            }
            return BULK_ROWS / ((System.nanoTime() - t) / 1e9);
        }
    }

    private static double bulkRaw(Path db) throws Exception {
        RunId run;
        try (SqliteRunStore store = open(db)) {
            run = newRun(store);
        }
        List<List<Metric>> chunks = rows();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA synchronous=NORMAL"); // the store's settings, so only the work differs
            s.execute("PRAGMA foreign_keys=ON");
            s.execute("PRAGMA cache_size=-32768");
            s.execute("PRAGMA wal_autocheckpoint=10000");
            PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan) VALUES (?, ?, ?, ?, ?, 0)");
            long t = System.nanoTime();
            for (List<Metric> chunk : chunks) {
                s.execute("BEGIN IMMEDIATE");
                for (Metric m : chunk) {
                    insert.setString(1, m.key());
                    insert.setDouble(2, m.value());
                    insert.setLong(3, m.timestampMillis());
                    insert.setString(4, run.value());
                    insert.setLong(5, m.step());
                    insert.addBatch();
                }
                insert.executeBatch();
                s.execute("COMMIT");
            }
            return BULK_ROWS / ((System.nanoTime() - t) / 1e9);
        }
    }

    /** The same rows for both sides: 100 keys, steps 0..n/100. */
    private static List<List<Metric>> rows() {
        List<List<Metric>> chunks = new ArrayList<>();
        List<Metric> chunk = new ArrayList<>(CHUNK);
        for (int i = 0; i < BULK_ROWS; i++) {
            chunk.add(new Metric("metric" + (i % 100), i * 0.001, 1_700_000_000_000L + i, i / 100));
            if (chunk.size() == CHUNK) {
                chunks.add(chunk);
                chunk = new ArrayList<>(CHUNK);
            }
        }
        if (!chunk.isEmpty()) {
            chunks.add(chunk);
        }
        return chunks;
    }

    private static void latencies(Path db, double[] batch, double[] lifecycle, double[] tenKeys) {
        int warmup = 3; // as python_peer.py: the metrics index grows alike on both sides
        try (SqliteRunStore store = open(db)) {
            ExperimentId experiment = store.getOrCreateExperiment("bench-java").id();
            for (int keys : new int[] {1000, 10}) {
                double[] samples = keys == 1000 ? batch : tenKeys;
                RunId run = newRun(store);
                int steps = 1000 / keys;
                for (int r = 0; r < warmup + samples.length; r++) {
                    List<Metric> metrics = new ArrayList<>(1000);
                    for (int i = 0; i < 1000; i++) {
                        metrics.add(new Metric("m" + (i % keys), i * 0.5, 1_700_000_000_000L + r, (long) r * steps + i / keys));
                    }
                    long t = System.nanoTime();
                    long c = CPU.getCurrentThreadCpuTime();
                    store.logBatch(run, metrics, List.of(), List.of());
                    if (r >= warmup) {
                        samples[r - warmup] = (System.nanoTime() - t) / 1e6;
                        cpuOf(samples)[r - warmup] = (CPU.getCurrentThreadCpuTime() - c) / 1e6;
                    }
                }
            }
            for (int r = 0; r < warmup + lifecycle.length; r++) {
                long t = System.nanoTime();
                long c = CPU.getCurrentThreadCpuTime();
                List<Tag> tags = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    tags.add(new Tag("tag" + i, "value " + i));
                }
                RunId id = store.createRun(new CreateRunRequest(experiment, "r" + r, "bench", System.currentTimeMillis(), tags)).runId();
                List<Param> params = new ArrayList<>();
                for (int i = 0; i < 9; i++) {
                    params.add(new Param("param" + i, Integer.toString(i)));
                }
                store.logBatch(id, List.of(), params, List.of());
                store.endRun(id, RunStatus.FINISHED, System.currentTimeMillis());
                if (r >= warmup) {
                    lifecycle[r - warmup] = (System.nanoTime() - t) / 1e6;
                    cpuOf(lifecycle)[r - warmup] = (CPU.getCurrentThreadCpuTime() - c) / 1e6;
                }
            }
        }
    }

    private static long[] concurrentJava(Path dir, String classPath, boolean existing) throws Exception {
        Files.createDirectories(dir);
        Path db = dir.resolve("mlruns.db");
        if (existing) {
            open(db).close();
        }
        Path go = dir.resolve("go");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> processes = startTogether(dir, go, i -> List.of(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", classPath,
                "org.cropcast.tracking.mlflow.SqliteWriterProcess", db.toString(), go.toString(), Integer.toString(i),
                Integer.toString(WRITER_BATCHES), Integer.toString(WRITER_METRICS), "end"));
        List<BufferedReader> outs = readers(processes);
        long t = System.nanoTime();
        Files.createFile(go);
        long failed = 0;
        for (int i = 0; i < WRITERS; i++) {
            while (outs.get(i).readLine() != null) {
                // drain
            }
            if (processes.get(i).waitFor() != 0) {
                failed++;
            }
        }
        long wall = (System.nanoTime() - t) / 1_000_000;
        return new long[] {wall, failed, count(db, "SELECT count(*) FROM metrics")};
    }

    private static long[] concurrentPython(Path dir, String python, String peer, boolean existing) throws Exception {
        Files.createDirectories(dir);
        Path db = dir.resolve("mlruns.db");
        if (existing) {
            run(List.of(python, "-c", "import sys; from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore as S;"
                    + " S('sqlite:///' + sys.argv[1], sys.argv[2])", db.toString(), dir.resolve("mlartifacts").toString()), dir);
        }
        Path go = dir.resolve("go");
        List<Process> processes = startTogether(dir, go, i -> List.of(python, peer, "writer", db.toString(), go.toString(),
                Integer.toString(i), Integer.toString(WRITER_BATCHES), Integer.toString(WRITER_METRICS)));
        List<BufferedReader> outs = readers(processes);
        long t = System.nanoTime();
        Files.createFile(go);
        long failed = 0;
        java.util.TreeSet<String> kinds = new java.util.TreeSet<>();
        for (int i = 0; i < WRITERS; i++) {
            String line;
            boolean reported = false;
            while ((line = outs.get(i).readLine()) != null) {
                if (line.startsWith("result ")) {
                    String[] parts = line.split(" ", 4);
                    failed += Long.parseLong(parts[2]);
                    if (!parts[3].equals("-")) {
                        kinds.addAll(Arrays.asList(parts[3].split(",")));
                    }
                    reported = true;
                }
            }
            if (processes.get(i).waitFor() != 0 || !reported) {
                failed++;
                kinds.add("process exited " + processes.get(i).exitValue());
            }
        }
        long wall = (System.nanoTime() - t) / 1_000_000;
        pyErrorKinds = kinds.stream().map(k -> "`" + k.replace('`', '\'') + "`").reduce((a, b) -> a + ", " + b).orElse("");
        long rows = Files.exists(db) ? count(db, "SELECT count(*) FROM metrics") : 0;
        return new long[] {wall, failed, rows};
    }

    /** Starts the writers; each waits for the go file once it has printed "ready". */
    private static List<Process> startTogether(Path dir, Path go, java.util.function.IntFunction<List<String>> command) throws Exception {
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            processes.add(new ProcessBuilder(command.apply(i)).directory(dir.toFile())
                    .redirectError(dir.resolve("writer-" + i + ".err").toFile()).start());
        }
        return processes;
    }

    /** Readers of the writers' output, returned once every writer has printed "ready". */
    private static List<BufferedReader> readers(List<Process> processes) throws Exception {
        List<BufferedReader> outs = new ArrayList<>();
        for (Process p : processes) {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            waitFor(out, "ready");
            outs.add(out);
        }
        return outs;
    }

    private static void waitFor(BufferedReader out, String prefix) throws Exception {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return;
            }
        }
        throw new IllegalStateException("writer ended before '" + prefix + "'");
    }

    private static long count(Path db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (java.sql.SQLException e) {
            return 0;
        }
    }

    private static SqliteRunStore open(Path db) {
        return SqliteRunStore.open(SqliteTrackingUri.parse("sqlite:///" + db), Optional.empty(), Duration.ofSeconds(60),
                Clock.systemUTC(), new SplittableRandom());
    }

    private static RunId newRun(SqliteRunStore store) {
        ExperimentId experiment = store.getOrCreateExperiment("bench").id();
        return store.createRun(new CreateRunRequest(experiment, "bench", "bench", System.currentTimeMillis(), List.of())).runId();
    }

    private static List<String> run(List<String> command, Path dir) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        List<String> lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).lines().toList();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(command + " failed:\n" + String.join("\n", lines));
        }
        return lines;
    }

    private static double[] parseLatency(List<String> lines, String name) {
        for (String line : lines) {
            if (line.startsWith(name + " ")) {
                String[] p = line.split(" ");
                return new double[] {Double.parseDouble(p[1]), Double.parseDouble(p[2]), Double.parseDouble(p[3]),
                    Double.parseDouble(p[4])};
            }
        }
        throw new IllegalStateException("no " + name + " in " + lines);
    }

    private static String latencyRow(String name, double[] java, double[] py) {
        double[] j = quantiles(java);
        double jc = median(cpuOf(java));
        return String.format(Locale.ROOT, "| %s | %.2f (%.2f–%.2f) | %.1f (%.1f–%.1f) | **%.0fx** | %.2f | %.1f | **%.0fx** |%n", name,
                j[0], j[1], j[2], py[0], py[1], py[2], py[0] / j[0], jc, py[3], py[3] / jc);
    }

    private static double[] quantiles(double[] samples) {
        double[] s = samples.clone();
        Arrays.sort(s);
        return new double[] {median(s), s[(int) (0.1 * s.length)], s[Math.min(s.length - 1, (int) (0.9 * s.length))]};
    }

    private static String row(String name, double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f |%n", name, median(s), s[0], s[s.length - 1]);
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
