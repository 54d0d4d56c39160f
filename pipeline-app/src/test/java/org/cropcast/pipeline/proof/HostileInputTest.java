package org.cropcast.pipeline.proof;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.cropcast.pipeline.CliHarness;
import org.cropcast.pipeline.demo.DemoDataGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * Hostile and bad input through the command line a user has: every case runs the real
 * {@code cropcast} (all adapters, real stages) in process on a fresh copy of the demo data root
 * with secrets planted in the environment, and asserts
 * <ul>
 *   <li>the exit code of the error's category (2 bad input, 3 external system);</li>
 *   <li>exactly one line on stderr, {@code cropcast: ...}, naming the culprit (key, file or URI);</li>
 *   <li>nothing written anywhere under the case's directory tree (which holds the data root three
 *       levels down, so that every traversal in the corpus lands inside it) except the run areas
 *       ({@code runs/}, {@code mlartifacts/}, {@code mlruns.db}); for errors caught before a run,
 *       nothing written at all;</li>
 *   <li>no planted secret in stdout, stderr, the log events, or any file left behind (YAML, the
 *       database bytes, artifacts).</li>
 * </ul>
 * The artifact-path checklist is MLflow's path-traversal CVE chain (CVE-2023-1177, -2356, -2780,
 * -3765, -6015, -6018, -6909, -6974, -6975, -6976, -6977, CVE-2024-1558, -1560, -1594, -2928, -3573,
 * -8859): {@code ../}, {@code ..\}, single and double URL-encoded traversal, absolute and drive
 * paths, {@code //} prefixes, {@code #}/{@code ?} fragments, {@code ;} parameters, NUL bytes, over-long
 * names. The store-level half of the list (params, tags, metrics, artifact paths at the API) is in
 * StoreHostileInputTest.
 */
class HostileInputTest {
    static final String PASSWORD = "pw-CANARY-b7e1";
    static final String TOKEN = "tok-CANARY-42ac";
    static final String AWS_SECRET = "aws-CANARY-9d2c0f";
    static final String ENV_PASSWORD = "envpw-CANARY-77d1";
    static final List<String> SECRETS = List.of(PASSWORD, TOKEN, AWS_SECRET, ENV_PASSWORD);
    /** Secrets in the environment of every case: none may surface anywhere. */
    static final Map<String, String> ENV = Map.of(
            "AWS_ACCESS_KEY_ID", "AKIACANARYKEY0000000",
            "AWS_SECRET_ACCESS_KEY", AWS_SECRET,
            "AWS_REGION", "us-east-1",
            "MLFLOW_TRACKING_USERNAME", "alice",
            "MLFLOW_TRACKING_PASSWORD", ENV_PASSWORD,
            "MLFLOW_TRACKING_TOKEN", TOKEN);

    @TempDir
    static Path template;
    static String demoConfig;

    @TempDir
    Path caseRoot;

    private ListAppender<ILoggingEvent> logs;

    @BeforeAll
    static void writeTemplate() throws IOException {
        DemoDataGenerator.write(template.resolve("data"), 42);
        demoConfig = Files.readString(template.resolve("data/cropcast-demo.yaml"));
    }

    @AfterAll
    static void noCanaryInTheTemplate() throws IOException {
        assertNoSecretIn(template);
    }

    /** One hostile input: what to write and run, and what must come back. */
    record Case(int exitCode, String culprit, boolean beforeRun, Map<String, String> env, Setup setup, boolean failedRun) {
        Case(int exitCode, String culprit, boolean beforeRun, Map<String, String> env, Setup setup) {
            this(exitCode, culprit, beforeRun, env, setup, false);
        }

        Case(int exitCode, String culprit, boolean beforeRun, Setup setup) {
            this(exitCode, culprit, beforeRun, Map.of(), setup);
        }

        /** Refused by the stage once the run exists: the run must end FAILED with the message as its error tag. */
        Case inAFailedRun() {
            return new Case(exitCode, culprit, false, env, setup, true);
        }
    }

    @FunctionalInterface
    interface Setup {
        /** Prepares the data root ({@code data}) and returns the command line. */
        List<String> prepare(Path data) throws Exception;
    }

    static Stream<Named<Case>> corpus() {
        List<Named<Case>> cases = new ArrayList<>();
        // --- the artifact-path checklist through reference_data[].name (it names datasets/<name>/ in the run) ---
        for (String[] name : hostileNames()) {
            cases.add(Named.of("reference name " + name[0], configCase(2, "reference_data.0.name", demoConfig.replace(
                    "  - name: DEMO-SURVEY", "  - name: " + yaml(name[1])))));
        }
        // --- the same checklist through experiment_key (it names runs/<experiment_key>/) ---
        for (String[] name : hostileNames()) {
            cases.add(Named.of("experiment_key " + name[0], configCase(2, "experiment_key",
                    demoConfig + "experiment_key: " + yaml(name[1]) + "\n")));
        }
        // --- and through --set, where a shell user types it ---
        cases.add(Named.of("--set experiment_key=../../../escape", setCase(2, "experiment_key", "experiment_key=../../../escape")));
        cases.add(Named.of("--set experiment_key=%2e%2e%2fescape", setCase(2, "experiment_key", "experiment_key=%2e%2e%2fescape")));
        cases.add(Named.of("--set data_root=<NUL>", setCase(2, "data_root", "data_root=ab\0cd")));
        cases.add(Named.of("--set unknown key", setCase(2, "no_such_key", "no_such_key=1")));
        cases.add(Named.of("--set wrong type", setCase(2, "feature_start_year", "feature_start_year=nineteen")));
        cases.add(Named.of("--set without '='", setCase(2, "feature_start_year", "feature_start_year")));
        // --- data paths ---
        cases.add(Named.of("target.path /etc/passwd", setCase(2, "/etc/passwd", "target.path=/etc/passwd").inAFailedRun()));
        cases.add(Named.of("target.path traversal to a missing file", setCase(2, "no-such-file.csv", "target.path=../../../no-such-file.csv")));
        cases.add(Named.of("target.path NUL byte", setCase(2, "target.path", "target.path=data/panel.csv\0.txt")));
        cases.add(Named.of("features.path is a directory", setCase(2, "features.path", "features.path=data")));
        cases.add(Named.of("--run-dir with a NUL byte", new Case(2, "--run-dir", true, data -> List.of("run", "hindcast",
                "--config", data.resolve("cropcast-demo.yaml").toString(), "--run-dir", data + "/runs/x\0y"))));
        // --- credentials: in tracking URIs, data roots, S3 endpoints, query strings: redacted everywhere ---
        cases.add(Named.of("password in an http tracking URI", setCase(2, "http://***@127.0.0.1:9",
                "mlflow_tracking_uri=http://alice:" + PASSWORD + "@127.0.0.1:9")));
        cases.add(Named.of("token in a tracking URI's query", setCase(2, "http://127.0.0.1:9/?token=***",
                "mlflow_tracking_uri=http://127.0.0.1:9/?token=" + TOKEN)));
        cases.add(Named.of("password in a sqlite tracking URI", setCase(2, "sqlite://***@",
                "mlflow_tracking_uri=sqlite://alice:" + PASSWORD + "@host/mlruns.db")));
        cases.add(Named.of("credentials in an s3 data root", setCase(2, "data_root",
                "data_root=s3://AKIACANARYKEY0000000:" + PASSWORD + "@bucket/root")));
        cases.add(Named.of("credentials in an S3 endpoint", new Case(2, "AWS_ENDPOINT_URL_S3", true,
                Map.of("AWS_ENDPOINT_URL_S3", "http://alice:" + PASSWORD + "@127.0.0.1:9"),
                data -> List.of("run", "hindcast", "--config", data.resolve("cropcast-demo.yaml").toString(), "--no-progress",
                        "--set", "target.path=s3://cropcast-canary/root/panel.csv"))));
        cases.add(Named.of("token in an S3 endpoint's query", new Case(2, "AWS_ENDPOINT_URL_S3", true,
                Map.of("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9/?X-Amz-Security-Token=" + TOKEN),
                data -> List.of("run", "hindcast", "--config", data.resolve("cropcast-demo.yaml").toString(), "--no-progress",
                        "--set", "target.path=s3://cropcast-canary/root/panel.csv"))));
        cases.add(Named.of("--tracking-uri with a password", new Case(2, "http://***@127.0.0.1:9", true,
                data -> List.of("runs", "list", "--tracking-uri", "http://bob:" + PASSWORD + "@127.0.0.1:9"))));
        cases.add(Named.of("MLFLOW_TRACKING_URI with a password in the environment", new Case(2, "http://***@127.0.0.1:9", true,
                Map.of("MLFLOW_TRACKING_URI", "http://bob:" + PASSWORD + "@127.0.0.1:9"),
                data -> List.of("runs", "list"))));
        cases.add(Named.of("--run-dir s3 URI with credentials", new Case(2, "--run-dir", true, data -> List.of("run", "hindcast",
                "--config", data.resolve("cropcast-demo.yaml").toString(), "--run-dir",
                "s3://AKIACANARYKEY0000000:" + PASSWORD + "@bucket/runs/x"))));
        // --- configuration files ---
        cases.add(Named.of("malformed YAML", configCase(2, "cropcast-demo.yaml:", demoConfig + "features: [unclosed\n")));
        cases.add(Named.of("wrong type", configCase(2, "feature_end_year", demoConfig.replace("feature_end_year: 2022",
                "feature_end_year: {year: 2022}"))));
        cases.add(Named.of("unknown key", configCase(2, "detrennd", demoConfig.replace("detrend: linear", "detrennd: linear"))));
        cases.add(Named.of("duplicate key", configCase(2, "detrend", demoConfig + "detrend: quadratic\n")));
        cases.add(Named.of("empty file", configCase(2, "cropcast-demo.yaml", "")));
        cases.add(Named.of("binary file", new Case(2, "cropcast-demo.yaml", true, data -> {
            byte[] bytes = new byte[4096];
            new java.util.SplittableRandom(3).nextBytes(bytes);
            Files.write(data.resolve("cropcast-demo.yaml"), bytes);
            return hindcast(data);
        })));
        cases.add(Named.of("huge file", new Case(2, "cropcast-demo.yaml", true, data -> {
            Files.writeString(data.resolve("cropcast-demo.yaml"), demoConfig + "#" + "x".repeat(3 * 1024 * 1024) + "\n");
            return hindcast(data);
        })));
        cases.add(Named.of("YAML alias bomb", configCase(2, "cropcast-demo.yaml", aliasBomb())));
        cases.add(Named.of("a YAML list instead of a mapping", configCase(2, "cropcast-demo.yaml", "- a\n- b\n")));
        cases.add(Named.of("missing configuration file", new Case(2, "missing.yaml", true,
                data -> List.of("run", "hindcast", "--config", data.resolve("missing.yaml").toString()))));
        // --- the database file ---
        cases.add(Named.of("database file that is not SQLite", new Case(2, "mlruns.db", true, data -> {
            Files.writeString(data.resolve("mlruns.db"), "this is a CSV, not a database\n1,2,3\n".repeat(200));
            return hindcast(data);
        })));
        cases.add(Named.of("read-only database file", new Case(2, "mlruns.db", false, data -> {
            runQuietly(data); // a real database first
            Path db = data.resolve("mlruns.db");
            makeReadOnly(db);
            return hindcast(data);
        })));
        cases.add(Named.of("database of an unknown schema version", new Case(2, "mlruns.db", false, data -> {
            runQuietly(data);
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("mlruns.db"));
                    Statement s = c.createStatement()) {
                s.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'");
            }
            return hindcast(data);
        })));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void hostileInputIsRefusedWithOneLineNamingTheCulpritWritingNothingElsewhereAndLeakingNoSecret(Case hostile) throws Exception {
        Path data = caseRoot.resolve("a/b/data");
        copyTree(template.resolve("data"), data);
        List<String> args = hostile.setup().prepare(data);
        Map<String, FileState> before = snapshot(caseRoot);
        Map<String, String> env = new java.util.HashMap<>(ENV);
        env.putAll(hostile.env());

        CliHarness.Result result;
        startCapturingLogs();
        try {
            result = new CliHarness(env).run(args.toArray(String[]::new));
        } finally {
            stopCapturingLogs();
            writable(data.resolve("mlruns.db"));
        }

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(hostile.exitCode());
        List<String> lines = result.err().lines().toList();
        assertThat(lines).as(result.toString()).hasSize(1);
        assertThat(lines.get(0)).as(result.toString()).startsWith("cropcast: ").contains(hostile.culprit());
        assertThat(lines.get(0)).as("no raw control characters").doesNotContain("\0", "\r");

        Map<String, FileState> after = snapshot(caseRoot);
        List<String> changed = changes(before, after);
        if (hostile.beforeRun()) {
            assertThat(changed).as("nothing written for an input refused before the run").isEmpty();
        } else {
            assertThat(changed).as("written only in the run areas").allMatch(HostileInputTest::inRunArea);
        }
        if (hostile.failedRun()) {
            try (var store = ConcurrentPipelineProcessesTest.open(data.resolve("mlruns.db"))) {
                var experiment = store.findExperiment("cropcast-demo").orElseThrow();
                var runs = store.searchRuns(org.cropcast.tracking.RunSearch.all(experiment.id()));
                assertThat(runs).singleElement().satisfies(run -> {
                    assertThat(run.info().status()).isEqualTo(org.cropcast.tracking.RunStatus.FAILED);
                    assertThat(run.data().tags().get(org.cropcast.tracking.RunTags.ERROR)).contains(hostile.culprit());
                });
            }
        }

        String everything = result.out() + result.err() + String.join("\n", capturedLogs());
        for (String secret : SECRETS) {
            assertThat(everything).as("secret echoed").doesNotContain(secret);
        }
        assertNoSecretIn(caseRoot);
    }

    /**
     * The database held by another process longer than the lock timeout (60 s in production,
     * 1.5 s here through the adapter's own module): exit 3 naming the file and the timeout, no
     * half-written run, and the file usable again once the lock is gone.
     */
    @org.junit.jupiter.api.Test
    void aDatabaseLockedLongerThanTheTimeoutIsAnExternalFailureNamingTheFile() throws Exception {
        Path data = caseRoot.resolve("a/b/data");
        copyTree(template.resolve("data"), data);
        runQuietly(data);
        Path db = data.resolve("mlruns.db");
        // the production wiring with the SQLite adapter's module given a 1.5 s lock timeout
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        org.cropcast.pipeline.cli.CliContext context = org.cropcast.pipeline.cli.CliContext.of(new java.io.PrintWriter(out),
                new java.io.PrintWriter(err), ENV, java.time.Clock.systemUTC());
        List<com.google.inject.Module> modules = new ArrayList<>();
        for (com.google.inject.Module module : org.cropcast.pipeline.wiring.Wiring.modules(context)) {
            modules.add(module instanceof org.cropcast.tracking.mlflow.SqliteTrackingModule
                    ? new org.cropcast.tracking.mlflow.SqliteTrackingModule(new org.cropcast.tracking.mlflow.SqliteRunStoreFactory(
                            java.util.Optional.empty(), java.time.Duration.ofMillis(1500), java.time.Clock.systemUTC(), new java.util.SplittableRandom(1)))
                    : module);
        }
        com.google.inject.Injector injector = com.google.inject.Guice.createInjector(modules);
        Map<String, FileState> before = snapshot(caseRoot);
        CliHarness.Result result;
        try (Connection holder = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = holder.createStatement()) {
            s.execute("BEGIN EXCLUSIVE");
            int code = org.cropcast.pipeline.Cropcast.commandLine(injector, new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true), false)
                    .execute(hindcast(data).toArray(String[]::new));
            result = new CliHarness.Result(code, out.toString(), err.toString());
            s.execute("ROLLBACK");
        }
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
        assertThat(result.err().lines().toList()).as(result.toString()).singleElement().asString()
                .startsWith("cropcast: ").contains(db.toString()).contains("1500 ms");
        assertThat(changes(before, snapshot(caseRoot))).as("written only in the run areas").allMatch(HostileInputTest::inRunArea);
        assertThat(RunShape.statusCounts(db)).isEqualTo(Map.of("FINISHED", 1));
        assertThat(RunShape.integrityCheck(db)).isEqualTo("ok");
        assertNoSecretIn(caseRoot);
    }

    // ------------------------------------------------------------------------------------------

    /** Label and value of the artifact-path checklist. */
    static List<String[]> hostileNames() {
        return List.of(
                new String[] {"../", "../../../escape"},
                new String[] {"..\\", "..\\..\\..\\escape"},
                new String[] {"%2e%2e%2f", "%2e%2e%2f%2e%2e%2fescape"},
                new String[] {"%252e%252e%252f", "%252e%252e%252fescape"},
                new String[] {"/etc/passwd", "/etc/passwd"},
                new String[] {"C:/", "C:/Windows/escape"},
                new String[] {"// prefix", "//evil.example/escape"},
                new String[] {"# fragment", "ok#../../escape"},
                new String[] {"? query", "ok?x=../../escape"},
                new String[] {"; parameter", "ok;../../escape"},
                new String[] {"NUL byte", "ok\0../../escape"},
                new String[] {"newline", "ok\ncropcast: forged second line"},
                new String[] {"over-long name", "n".repeat(5000)});
    }

    static Case configCase(int exitCode, String culprit, String yamlText) {
        return new Case(exitCode, culprit, true, data -> {
            Files.writeString(data.resolve("cropcast-demo.yaml"), yamlText, StandardCharsets.UTF_8);
            return hindcast(data);
        });
    }

    static Case setCase(int exitCode, String culprit, String assignment) {
        return new Case(exitCode, culprit, true, data -> {
            List<String> args = new ArrayList<>(hindcast(data));
            args.addAll(List.of("--set", assignment));
            return args;
        });
    }

    static List<String> hindcast(Path data) {
        return List.of("run", "hindcast", "--config", data.resolve("cropcast-demo.yaml").toString(), "--no-progress");
    }

    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    /**
     * Read-only for cropcast: mode 0444, and for root (who ignores modes, as in CI) also the
     * immutable attribute, which binds root too ({@link #writable} undoes it).
     */
    private static void makeReadOnly(Path file) throws Exception {
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("r--r--r--"));
        if (ROOT) {
            Process p = new ProcessBuilder("chattr", "+i", file.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as("chattr +i " + file + ": " + out).isZero();
        }
    }

    private static void writable(Path file) throws Exception {
        if (ROOT && Files.exists(file)) {
            new ProcessBuilder("chattr", "-i", file.toString()).redirectErrorStream(true).start().waitFor();
        }
    }

    /** A real, successful short run, to leave a real database behind. */
    private static void runQuietly(Path data) {
        CliHarness.Result ok = new CliHarness(ENV).run("run", "hindcast", "--config", data.resolve("cropcast-demo.yaml").toString(),
                "--no-progress", "--set", "feature_start_year=2012");
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
    }

    /** A YAML string scalar in double quotes with every character escaped that YAML would otherwise interpret. */
    static String yaml(String value) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\0' -> b.append("\\0");
                case '\n' -> b.append("\\n");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** Nine levels of nine aliases each: 9^9 strings if expanded ("billion laughs"). */
    static String aliasBomb() {
        StringBuilder b = new StringBuilder("a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (int i = 1; i <= 9; i++) {
            String p = "*a" + (i - 1);
            b.append("a").append(i).append(": &a").append(i).append(" [").append(String.join(",", java.util.Collections.nCopies(9, p)))
                    .append("]\n");
        }
        return b.toString();
    }

    // --- file-tree snapshots ------------------------------------------------------------------

    record FileState(boolean directory, long size, long modified) {}

    static Map<String, FileState> snapshot(Path root) throws IOException {
        Map<String, FileState> states = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                states.put(root.relativize(p).toString(), new FileState(a.isDirectory(), a.size(), a.lastModifiedTime().toMillis()));
            }
        }
        return states;
    }

    static List<String> changes(Map<String, FileState> before, Map<String, FileState> after) {
        List<String> changed = new ArrayList<>();
        after.forEach((path, state) -> {
            FileState old = before.get(path);
            if (old == null || (!state.directory() && !old.equals(state))) {
                changed.add(path);
            }
        });
        before.keySet().stream().filter(p -> !after.containsKey(p)).forEach(p -> changed.add("(deleted) " + p));
        return changed;
    }

    static boolean inRunArea(String path) {
        String data = "a/b/data/";
        return path.startsWith(data + "runs") || path.startsWith(data + "mlartifacts") || path.startsWith(data + "mlruns.db");
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    /** No planted secret in any file under the root, read as bytes (YAML, CSV, Parquet, the SQLite file and its journal). */
    static void assertNoSecretIn(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).forEach(file -> {
                String text;
                try {
                    text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                for (String secret : SECRETS) {
                    assertThat(text).as("secret in " + file).doesNotContain(secret);
                }
            });
        }
    }

    // --- log capture ----------------------------------------------------------------------------

    private void startCapturingLogs() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        logs = new ListAppender<>();
        logs.setContext(context);
        logs.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(logs);
    }

    private void stopCapturingLogs() {
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(logs);
        logs.stop();
    }

    private List<String> capturedLogs() {
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent event : logs.list) {
            lines.add(event.getFormattedMessage());
            if (event.getThrowableProxy() != null) {
                lines.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
        }
        return lines;
    }
}
