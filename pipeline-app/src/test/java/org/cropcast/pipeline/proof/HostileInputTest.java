package org.cropcast.pipeline.proof;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.google.inject.Module;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.cropcast.pipeline.CliHarness;
import org.cropcast.pipeline.Cropcast;
import org.cropcast.pipeline.TestStages;
import org.cropcast.pipeline.cli.CliFixture;
import org.cropcast.pipeline.demo.DemoDataGenerator;
import org.cropcast.pipeline.runs.ProcessContext;
import org.cropcast.tracking.RunSearch;
import org.cropcast.tracking.RunStatus;
import org.cropcast.tracking.RunTags;
import org.cropcast.tracking.TrackingAdapters;
import org.cropcast.tracking.mlflow.SqliteRunStoreProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * The hostile- and bad-input corpus of the command line a user has: every case runs the real
 * {@code cropcast} command line in process on a fresh data root with secrets planted in the
 * environment (and in many inputs), and {@link #assertRefusedCleanly} asserts for each
 * <ul>
 *   <li>the exit code of the error's category (2 bad input, 3 external system);</li>
 *   <li>exactly one line on stderr, {@code cropcast: ...}, naming the culprit (key, file, URI,
 *       option or variable), with no raw control character, so no stack trace; nothing on stdout;</li>
 *   <li>nothing written anywhere under the case's directory tree (which holds the data root three
 *       levels down, so that every traversal in the corpus lands inside it); for errors raised once
 *       the store is open, writes only in the run areas ({@code runs/}, {@code mlartifacts/},
 *       {@code mlruns.db}) and no run added, or, for a stage's refusal, exactly one run added and
 *       marked FAILED with the message as its error tag; in the {@code memory:} fixture, no run;</li>
 *   <li>no planted secret in stdout, stderr, the log events, or any file left behind (YAML, the
 *       database bytes, artifacts).</li>
 * </ul>
 * Two starting data roots ({@link Fixture}): a copy of the demo data root on the embedded SQLite
 * store with the real stages, and {@link CliFixture}'s small one on a {@code memory:} store with the
 * test stages (the configuration under test is its copy {@code hostile.yaml}).
 *
 * <p>The artifact-path checklist is MLflow's path-traversal CVE chain (CVE-2023-1177, -2356, -2780,
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
    /** Secrets in the environment of every case: none may surface anywhere. No retries, so an unreachable server fails fast. */
    static final Map<String, String> ENV = Map.of(
            "AWS_ACCESS_KEY_ID", "AKIACANARYKEY0000000",
            "AWS_SECRET_ACCESS_KEY", AWS_SECRET,
            "AWS_REGION", "us-east-1",
            "MLFLOW_TRACKING_USERNAME", "alice",
            "MLFLOW_TRACKING_PASSWORD", ENV_PASSWORD,
            "MLFLOW_TRACKING_TOKEN", TOKEN,
            "MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0",
            "MLFLOW_HTTP_REQUEST_TIMEOUT", "5");
    /** The tracking URI of the {@link Fixture#MINIMAL} configuration. */
    static final String MEMORY_URI = "memory:hostile";

    @TempDir
    static Path template;

    @TempDir
    Path caseRoot;

    /** Outside the case's tree: copies of databases read for their runs. */
    @TempDir
    Path scratch;

    @BeforeAll
    static void writeTemplate() {
        DemoDataGenerator.write(template.resolve("data"), 42);
    }

    @AfterAll
    static void noCanaryInTheTemplate() throws IOException {
        assertNoSecretIn(template);
    }

    /** The data root a case starts from. */
    enum Fixture {
        /** {@link CliFixture}'s data root (placeholder inputs, tracking URI {@value #MEMORY_URI}), the test stages; the config under test is {@code hostile.yaml}. */
        MINIMAL {
            @Override
            Path prepare(Path data) throws IOException {
                return Files.copy(CliFixture.write(data, MEMORY_URI), data.resolve("hostile.yaml"));
            }

            @Override
            CliHarness harness(Map<String, String> env) {
                return new CliHarness(env, TestStages.module());
            }
        },
        /** A copy of the demo data root (cropcast-demo.yaml, the embedded SQLite store in mlruns.db), the real stages. */
        DEMO {
            @Override
            Path prepare(Path data) throws IOException {
                copyTree(template.resolve("data"), data);
                return data.resolve("cropcast-demo.yaml");
            }

            @Override
            CliHarness harness(Map<String, String> env) {
                return new CliHarness(env);
            }
        };

        /** Writes the data root and returns its configuration file. */
        abstract Path prepare(Path data) throws IOException;

        abstract CliHarness harness(Map<String, String> env);

        /** The configuration replaced by {@code text}. */
        Case config(String name, String text, String culprit) {
            return command(name, 2, culprit, (data, config) -> {
                Files.writeString(config, text, StandardCharsets.UTF_8);
                return hindcast(config);
            });
        }

        /** The valid configuration with {@code from} replaced by {@code to}, or {@code to} appended as a line when {@code from} is empty. */
        Case edit(String name, String from, String to, String culprit) {
            return command(name, 2, culprit, (data, config) -> {
                String valid = Files.readString(config);
                assertThat(valid).as("the text to replace").contains(from);
                Files.writeString(config, from.isEmpty() ? valid + to + "\n" : valid.replace(from, to), StandardCharsets.UTF_8);
                return hindcast(config);
            });
        }

        /** The valid configuration with one {@code --set} override. */
        Case set(String name, String assignment, String culprit) {
            return command(name, 2, culprit, (data, config) -> plus(hindcast(config), "--set", assignment));
        }

        /** A fixed command line. */
        Case args(String name, int exitCode, String culprit, String... arguments) {
            return command(name, exitCode, culprit, (data, config) -> List.of(arguments));
        }

        Case command(String name, int exitCode, String culprit, Setup setup) {
            return new Case(name, this, exitCode, culprit, Outcome.NOTHING_WRITTEN, Map.of(), setup);
        }
    }

    /** What a refused input may leave behind. */
    enum Outcome {
        /** Refused before a run: no file under the case's tree created, changed or deleted. */
        NOTHING_WRITTEN,
        /** Refused once the store is open: writes only in the run areas, and no run added. */
        RUN_AREAS_ONLY,
        /** Refused by the stage once the run exists: writes only in the run areas, one run added, FAILED, the message as its error tag. */
        FAILED_RUN
    }

    /** One hostile input: where it starts, what to write and run, and what must come back. */
    record Case(String name, Fixture fixture, int exitCode, String culprit, Outcome outcome, Map<String, String> env, Setup setup) {
        Case exit(int code) {
            return new Case(name, fixture, code, culprit, outcome, env, setup);
        }

        Case writingInRunAreas() {
            return new Case(name, fixture, exitCode, culprit, Outcome.RUN_AREAS_ONLY, env, setup);
        }

        Case inAFailedRun() {
            return new Case(name, fixture, exitCode, culprit, Outcome.FAILED_RUN, env, setup);
        }

        /** Variables added to {@link #ENV} for this case. */
        Case withEnv(Map<String, String> more) {
            return new Case(name, fixture, exitCode, culprit, outcome, more, setup);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    interface Setup {
        /** Prepares the data root ({@code data}, whose configuration is {@code config}) and returns the command line. */
        List<String> prepare(Path data, Path config) throws Exception;
    }

    static Stream<Case> corpus() {
        List<Case> cases = new ArrayList<>();
        cases.addAll(minimalCases());
        cases.addAll(demoCases());
        cases.addAll(malformedUriCases());
        cases.addAll(boundedInputCases());
        assertThat(cases.stream().map(Case::name)).as("case names").doesNotHaveDuplicates();
        return cases.stream();
    }

    /** The command line's options and the configuration's syntax and rules, on {@link Fixture#MINIMAL}. */
    private static List<Case> minimalCases() {
        Fixture m = Fixture.MINIMAL;
        String lol = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                + "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                + "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
                + "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n";
        return List.of(
                // malformed YAML, empty, binary, huge
                m.config("unclosed flow sequence", "experiment_name: x\nfeature_start_year: [2000\n", "hostile.yaml:"),
                m.config("tab indentation", "experiment_name: x\n\tdetrend: linear\n", "hostile.yaml:"),
                m.config("bad indentation", "experiment_name: x\ndetrend: linear\n  regression: ridge\n", "hostile.yaml:3:"),
                m.config("duplicate key experiment_name", "experiment_name: a\nexperiment_name: b\n", "duplicate key 'experiment_name'"),
                m.config("empty file", "", "the configuration is empty"),
                m.config("only comments", "# nothing\n# here\n", "the configuration is empty"),
                m.config("top-level list", "- experiment_name\n- x\n", "must be a mapping of keys to values, not a list"),
                m.config("top-level scalar", "just text\n", "must be a mapping of keys to values"),
                m.config("billion laughs", lol, "hostile.yaml"),
                m.config("java type tag", "experiment_name: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://127.0.0.1:9/\"]]]]\n",
                        "hostile.yaml"),
                m.command("binary file (ELF header)", 2, "not a YAML text file (it contains NUL bytes)", (data, config) -> {
                    Files.write(config, new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0});
                    return hindcast(config);
                }),
                m.command("not UTF-8", 2, "not valid UTF-8", (data, config) -> {
                    Files.write(config, "experiment_name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
                    return hindcast(config);
                }),
                m.command("huge file (2 MiB)", 2, "larger than 1024 KiB", (data, config) -> {
                    Files.writeString(config, "experiment_name: x\n# " + "y".repeat(2 * 1024 * 1024) + "\n");
                    return hindcast(config);
                }),
                m.args("missing config", 2, "configuration file not found", "run", "hindcast", "--config", "/nonexistent/hostile.yaml"),
                m.command("config is a directory", 2, "it is a directory", (data, config) -> hindcast(data)),
                // unknown keys and wrong types
                m.edit("unknown top-level key", "", "detrnd: linear", "unknown key 'detrnd' (did you mean 'detrend'?)"),
                m.edit("unknown nested key", "  path: target.csv", "  path: target.csv\n  yeild_column: y",
                        "unknown key 'target.yeild_column' (did you mean 'yield_column'?)"),
                m.edit("text for an integer", "feature_start_year: 2001", "feature_start_year: twenty",
                        "key 'feature_start_year': expected an integer, got 'twenty'"),
                m.edit("quoted number for an integer", "feature_start_year: 2001", "feature_start_year: \"2001\"",
                        "key 'feature_start_year': expected an integer"),
                m.edit("float for an integer", "feature_start_year: 2001", "feature_start_year: 2001.5",
                        "key 'feature_start_year': expected an integer, got 2001.5"),
                m.edit("integer overflow", "feature_start_year: 2001", "feature_start_year: 99999999999",
                        "key 'feature_start_year'"),
                m.edit("scalar for a list", "  variables: [t2m]", "  variables: t2m", "key 'features.variables': expected a list"),
                m.edit("scalar for a mapping", "", "target: here", "duplicate key 'target'"),
                m.edit("NaN threshold (YAML .nan)", "", "production_cumulative_threshold: .nan", "Malformed numeric value '.nan'"),
                m.edit("infinite ridge alpha", "", "ridge_alpha: .inf", "Malformed numeric value '.inf'"),
                // rules
                m.edit("years reversed", "feature_end_year: 2005", "feature_end_year: 1990", "the years are reversed"),
                m.edit("threshold zero", "", "production_cumulative_threshold: 0", "must be in (0, 1] (got 0.0)"),
                m.edit("threshold above one", "", "production_cumulative_threshold: 1.01", "must be in (0, 1] (got 1.01)"),
                m.edit("unknown detrend", "", "detrend: cubic", "key 'detrend': must be one of none, linear, quadratic (got 'cubic')"),
                m.edit("unknown regression", "", "regression: lasso", "key 'regression': must be one of none, ols, ridge, gbt, auto (got 'lasso')"),
                m.edit("unknown cv scheme", "", "cv_scheme: kfold", "key 'cv_scheme': must be one of leave_one_year_out, expanding_window"),
                // paths, keys and names (the path-traversal checklist)
                m.edit("experiment key traversal", "", "experiment_key: ../../etc", "key 'experiment_key': must be 1-64 characters"),
                m.edit("experiment key encoded traversal", "", "experiment_key: '%2e%2e%2fetc'", "key 'experiment_key'"),
                m.edit("experiment key absolute", "", "experiment_key: /etc/passwd", "key 'experiment_key'"),
                m.edit("experiment name with NUL", "experiment_name: Test corn", "experiment_name: \"Test\\0corn\"",
                        "key 'experiment_name': must not contain control characters (found U+0000)"),
                m.edit("experiment name too long", "experiment_name: Test corn", "experiment_name: " + "x".repeat(300),
                        "key 'experiment_name': must be at most 256 characters"),
                m.edit("target path traversal", "  path: target.csv", "  path: ../../../etc/passwd", "key 'target.path'"),
                m.edit("target path encoded traversal", "  path: target.csv", "  path: '%2e%2e%2f%2e%2e%2fetc/passwd'", "key 'target.path'"),
                m.edit("target path double-encoded traversal", "  path: target.csv", "  path: '%252e%252e%252fetc/passwd'", "key 'target.path'"),
                m.edit("target path with backslashes", "  path: target.csv", "  path: '..\\..\\etc\\passwd'", "key 'target.path'"),
                m.edit("target path with a fragment", "  path: target.csv", "  path: 'target.csv#frag'", "key 'target.path'"),
                m.edit("reference name traversal", "", "reference_data:\n  - name: ../x\n    path: target.csv\n    value_column: v\n    issue_column: i",
                        "key 'reference_data.0.name': must be 1-64 characters"),
                m.edit("reference name backslash traversal", "",
                        "reference_data:\n  - name: '..\\x'\n    path: target.csv\n    value_column: v\n    issue_column: i",
                        "key 'reference_data.0.name'"),
                m.edit("reference name too long", "",
                        "reference_data:\n  - name: " + "r".repeat(300) + "\n    path: target.csv\n    value_column: v\n    issue_column: i",
                        "key 'reference_data.0.name'"),
                // credentials, which must never be echoed
                m.edit("data root with credentials", "data_root: .", "data_root: s3://AKIAEXAMPLE:" + PASSWORD + "@bucket/x",
                        "credentials do not belong in a location"),
                m.edit("data root malformed", "data_root: .", "data_root: 's3:/bucket'", "key 'data_root': invalid location"),
                m.edit("tracking URI with credentials and unknown scheme", "mlflow_tracking_uri: " + MEMORY_URI,
                        "mlflow_tracking_uri: ftp://alice:" + PASSWORD + "@host/x", "tracking URI 'ftp://***@host/x' has the unknown scheme 'ftp'"),
                m.edit("tracking URI without scheme", "mlflow_tracking_uri: " + MEMORY_URI, "mlflow_tracking_uri: mlruns", "has no scheme"),
                m.edit("tracking URI with a token in the query", "mlflow_tracking_uri: " + MEMORY_URI,
                        "mlflow_tracking_uri: http://127.0.0.1:9/?token=" + PASSWORD, "invalid tracking URI 'http://127.0.0.1:9/?token=***"),
                m.edit("tracking URI with user info", "mlflow_tracking_uri: " + MEMORY_URI,
                        "mlflow_tracking_uri: https://alice:" + PASSWORD + "@127.0.0.1:9", "credentials do not belong in the URI"),
                m.edit("tracking server unreachable (password in the environment)", "mlflow_tracking_uri: " + MEMORY_URI,
                        "mlflow_tracking_uri: http://127.0.0.1:9", "http://127.0.0.1:9").exit(3),
                m.command("tracking database that is not SQLite", 2, "notadb.db", (data, config) -> {
                    Files.writeString(data.resolve("notadb.db"), "this is not a database\n".repeat(100));
                    Files.writeString(config, Files.readString(config).replace("mlflow_tracking_uri: " + MEMORY_URI, "mlflow_tracking_uri: sqlite:///notadb.db"));
                    return hindcast(config);
                }),
                // overrides
                m.set("override without '='", "detrend", "expected KEY=VALUE"),
                m.set("override with an empty segment", "target..path=x", "empty key segment"),
                m.set("override of an unknown key", "target.yeild_column=x", "--set target.yeild_column: unknown key 'target.yeild_column'"),
                m.set("override index out of range", "reference_data.3.name=x", "'reference_data' has no element 3"),
                m.set("override of the wrong type", "feature_start_year=abc", "key 'feature_start_year': expected an integer, got 'abc'"),
                m.set("override with a control character", "experiment_name=a\u001b[31mred", "must not contain control characters"),
                m.set("override with a C1 control (CSI)", "experiment_name=a\u009b31mred", "found U+009B"),
                m.set("override with a bidi override", "experiment_name=a\u202egnp.exe", "found U+202E"),
                m.set("override with a line separator", "experiment_name=a\u2028b", "found U+2028"),
                m.edit("reference name with an isolate", "", "reference_data:\n  - name: \"a\u2066b\"\n    path: target.csv\n    value_column: v\n    issue_column: i",
                        "found U+2066"),
                m.set("override with a secret", "mlflow_tracking_uri=https://bob:" + PASSWORD + "@", "tracking URI"),
                // run directories, dates, ids and options
                m.command("run dir does not exist (forecast)", 2, "does not exist", (data, config) -> List.of("run", "forecast", "--run-dir",
                        data.resolve("nope").toString(), "--init-date", "2024-07-01")),
                m.command("run dir is a file", 2, "is a file, not a directory", (data, config) -> plus(hindcast(config), "--run-dir", config.toString())),
                m.command("run dir traversal", 2, "'..' segments are not allowed", (data, config) -> plus(hindcast(config), "--run-dir",
                        data + "/runs/../../../etc")),
                m.command("run dir with NUL", 2, "NUL", (data, config) -> plus(hindcast(config), "--run-dir", data + "/runs/a\0b")),
                m.command("resume without a recorded run", 2, "does not exist", (data, config) -> plus(hindcast(config), "--run-dir",
                        data.resolve("fresh").toString(), "--resume")),
                m.args("init date not a date", 2, "'yesterday' is not a date", "run", "forecast", "--run-dir", "/tmp", "--init-date", "yesterday"),
                m.args("init date impossible", 2, "'2024-02-30' is not a date", "run", "forecast", "--run-dir", "/tmp", "--init-date", "2024-02-30"),
                m.args("init date traversal", 2, "is not a date", "run", "forecast", "--run-dir", "/tmp", "--init-date", "../../etc"),
                m.args("run id traversal", 2, "invalid run id '../../etc/passwd'", "runs", "show", "../../etc/passwd", "--tracking-uri", MEMORY_URI),
                m.args("run id too long", 2, "invalid run id", "runs", "show", "a".repeat(300), "--tracking-uri", MEMORY_URI),
                m.args("run id with a query", 2, "invalid run id", "runs", "show", "abc?x=1", "--tracking-uri", MEMORY_URI),
                m.args("compare one run", 2, "RUN_ID", "runs", "compare", "abc", "--tracking-uri", MEMORY_URI),
                m.args("memory URI with a newline", 2, "invalid memory: tracking URI", "runs", "list", "--tracking-uri", "memory:x\ny"),
                m.args("tracking URI with credentials on the command line", 2, "'gopher://***@host'", "runs", "list", "--tracking-uri",
                        "gopher://carol:" + PASSWORD + "@host"),
                m.command("runs list on a database that does not exist", 2, "no tracking database at", (data, config) -> List.of("runs", "list",
                        "--tracking-uri", "sqlite:///" + data.resolve("absent.db"))),
                m.args("unknown status", 2, "--status", "runs", "list", "--tracking-uri", MEMORY_URI, "--status", "DONE"),
                m.args("limit zero", 2, "--limit must be at least 1", "runs", "list", "--tracking-uri", MEMORY_URI, "--limit", "0"),
                m.args("stale-after garbage", 2, "is not a duration", "runs", "list", "--tracking-uri", MEMORY_URI, "--stale-after", "soon"),
                m.args("unknown option", 2, "Unknown option: '--no-progres'", "run", "hindcast", "--config", "x.yaml", "--no-progres"),
                m.args("unknown command", 2, "Unmatched argument", "runz"),
                m.args("verbose and quiet", 2, "--verbose and --quiet cannot be used together", "-v", "-q", "runs", "list"),
                m.command("demo into a non-empty directory", 2, "is not empty", (data, config) -> List.of("demo", data.toString())),
                m.command("demo into a file", 2, "is a file", (data, config) -> List.of("demo", config.toString())),
                m.command("demo below a file", 3, "cannot write the demo data root in ", (data, config) -> List.of("demo",
                        config.resolve("sub").toString())));
    }

    /**
     * Issue 20: one redaction rule for every message built from a URI, whatever makes it malformed:
     * each shape through a tracking URI, {@code AWS_ENDPOINT_URL_S3} and an {@code s3://} data root.
     */
    private static List<Case> malformedUriCases() {
        Fixture m = Fixture.MINIMAL;
        List<Case> cases = new ArrayList<>();
        Map<String, String> shapes = new java.util.LinkedHashMap<>();
        shapes.put("'/' in the password", "alice:pa/" + PASSWORD + "@");
        shapes.put("'#' in the password", "alice:pa#" + PASSWORD + "@");
        shapes.put("'?' in the password", "alice:pa?" + PASSWORD + "@");
        shapes.put("'/' in the password, no host", "alice:pa/" + PASSWORD);
        shapes.put("a ?sig= query", "?sig=" + PASSWORD);
        shapes.put("a #access_token= fragment", "#access_token=" + PASSWORD);
        shapes.put("a bare query", "?" + PASSWORD);
        shapes.put("an unclosed IPv6 bracket and a query", "[bad/?sig=" + PASSWORD);
        shapes.forEach((label, shape) -> {
            boolean suffix = shape.startsWith("?") || shape.startsWith("#");
            String http = suffix ? "http://127.0.0.1:9/x" + shape : "http://" + shape + (shape.endsWith("@") ? "127.0.0.1:9" : "");
            String s3 = suffix ? "s3://bucket/x" + shape : "s3://" + shape + (shape.endsWith("@") ? "bucket/x" : "");
            cases.add(m.args("tracking URI with " + label, 2, "tracking URI", "runs", "list", "--tracking-uri", http));
            // on the demo fixture: the memory fixture's own check runs a command line in the same environment
            cases.add(Fixture.DEMO.args("AWS_ENDPOINT_URL_S3 with " + label, 2, "AWS_ENDPOINT_URL_S3", "runs", "list", "--tracking-uri", MEMORY_URI)
                    .withEnv(Map.of("AWS_ENDPOINT_URL_S3", http)));
            cases.add(m.set("s3 data root with " + label, "data_root=" + s3, "key 'data_root'"));
        });
        return cases;
    }

    /**
     * Issue 20, bounded reads and validated environment: a tracking server answering an endless
     * body, something that is not JSON or an empty {@code {}} (a fake server on 127.0.0.1) is an
     * external failure naming the server; a configuration from a device is bounded by the bytes
     * read; environment variables are refused like configuration keys, naming the variable, by
     * every command ({@code demo} included).
     */
    private static List<Case> boundedInputCases() {
        Fixture d = Fixture.DEMO;
        List<Case> cases = new ArrayList<>();
        for (String answer : List.of("endless", "html", "empty")) {
            String uri = FakeServer.uri(answer);
            if (!answer.equals("empty")) { // {} is a valid empty search in MLflow's JSON: "No runs"
                cases.add(d.args("server answering " + answer + " (runs list)", 3, uri, "runs", "list", "--tracking-uri", uri));
            }
            cases.add(d.set("server answering " + answer + " (hindcast)", "mlflow_tracking_uri=" + uri, uri).exit(3));
        }
        // a server that answers a byte a second, forever: bounded in time by the request timeout
        // (2 s here, no retry), not only in size; an external failure naming the server
        String drip = FakeServer.uri("drip");
        Map<String, String> quick = Map.of("MLFLOW_HTTP_REQUEST_TIMEOUT", "2", "MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0");
        cases.add(d.args("server answering a byte a second (runs list)", 3, drip + ": POST /api/2.0/mlflow/experiments/search failed: timed out",
                "runs", "list", "--tracking-uri", drip).withEnv(quick));
        cases.add(d.set("server answering a byte a second (hindcast)", "mlflow_tracking_uri=" + drip, drip + ": ").exit(3).withEnv(quick));
        cases.add(d.args("--config /dev/zero", 2, "/dev/zero: cannot read the configuration: it is larger than 1024 KiB",
                "run", "hindcast", "--config", "/dev/zero"));
        Map<String, String> variables = new java.util.LinkedHashMap<>();
        variables.put("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "-1");
        variables.put("MLFLOW_HTTP_REQUEST_TIMEOUT", "0");
        variables.put("MLFLOW_HTTP_REQUEST_TIMEOUT ", "120.0");
        variables.put("MLFLOW_TRACKING_INSECURE_TLS", "maybe");
        variables.forEach((name, value) -> {
            cases.add(d.args(name.strip() + "=" + value + " (runs list)", 2, "environment variable " + name.strip(), "runs", "list")
                    .withEnv(Map.of(name.strip(), value)));
            cases.add(d.command(name.strip() + "=" + value + " (demo)", 2, "environment variable " + name.strip(),
                    (data, config) -> List.of("demo", data.resolve("new-demo").toString())).withEnv(Map.of(name.strip(), value)));
        });
        for (String value : List.of("abc", "0", "-1", "1e999", "NaN")) {
            cases.add(d.set("CROPCAST_HEARTBEAT_SECONDS=" + value, "feature_start_year=2015", "environment variable CROPCAST_HEARTBEAT_SECONDS")
                    .withEnv(Map.of("CROPCAST_HEARTBEAT_SECONDS", value)).writingInRunAreas());
        }
        return cases;
    }

    /**
     * A misbehaving tracking server on 127.0.0.1: {@code /endless} never stops sending, {@code /drip}
     * sends a byte a second, {@code /html} answers a web page, {@code /empty} answers {@code {}}.
     */
    static final class FakeServer {
        private static com.sun.net.httpserver.HttpServer server;

        static synchronized String uri(String answer) {
            if (server == null) {
                try {
                    server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
                    Thread t = new Thread(r, "fake-tracking-server");
                    t.setDaemon(true);
                    return t;
                }));
                server.createContext("/endless", exchange -> {
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, 0);
                    byte[] chunk = "[".repeat(65536).getBytes(StandardCharsets.US_ASCII);
                    try (var out = exchange.getResponseBody()) {
                        while (true) {
                            out.write(chunk);
                        }
                    } catch (IOException closedByTheClient) {
                        exchange.close();
                    }
                });
                server.createContext("/drip", exchange -> {
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, 0);
                    try (var out = exchange.getResponseBody()) {
                        for (int i = 0; i < 600; i++) { // ten minutes at most, should the client never give up
                            out.write('[');
                            out.flush();
                            Thread.sleep(1000);
                        }
                    } catch (IOException | InterruptedException closedByTheClient) {
                        exchange.close();
                    }
                });
                server.createContext("/html", exchange -> answer(exchange, "<html><body>It works!</body></html>"));
                server.createContext("/empty", exchange -> answer(exchange, "{}"));
                server.start();
            }
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + answer;
        }

        private static void answer(com.sun.net.httpserver.HttpExchange exchange, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (var out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /**
     * Issue 20: {@code runs list} on a database another tool wrote, with a run id MLflow never makes
     * ({@code not/a-valid id}) and a run with a null artifact URI, lists what it can (the odd run left
     * out with a warning naming it) and {@code runs show} shows the run without an artifact root.
     */
    @Test
    void runsListListsWhatItCanOfADatabaseAnotherToolWrote() throws Exception {
        DemoRoot root = demoRoot();
        Path data = root.data();
        Path config = root.config();
        CliHarness cli = root.cli();
        String odd = cli.ok(plus(hindcast(config), "--set", "feature_start_year=2015").toArray(String[]::new)).runId();
        String plain = cli.ok(plus(hindcast(config), "--set", "feature_start_year=2016").toArray(String[]::new)).runId();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("mlruns.db")); Statement s = c.createStatement()) {
            s.execute("PRAGMA foreign_keys = OFF");
            for (String table : List.of("runs", "tags", "params", "metrics", "latest_metrics")) {
                s.executeUpdate("UPDATE " + table + " SET run_uuid = 'not/a-valid id' WHERE run_uuid = '" + odd + "'");
            }
            s.executeUpdate("UPDATE runs SET artifact_uri = NULL WHERE run_uuid = '" + plain + "'");
        }
        Observed list = runCapturingLogs(cli, data, List.of("runs", "list", "--config", config.toString()));
        assertThat(list.result().exitCode()).as(list.result().toString()).isZero();
        assertThat(list.result().out()).contains(plain).doesNotContain("not/a-valid id");
        assertThat(list.logs()).anySatisfy(line -> assertThat(line).contains("not/a-valid id", "left out"));
        CliHarness.Result show = cli.ok("runs", "show", plain, "--config", config.toString());
        assertThat(show.out()).contains("Artifacts (0)");
    }

    /** The CVE checklist, credentials, data paths, configuration files and the database, on {@link Fixture#DEMO} with the real stages. */
    private static List<Case> demoCases() {
        Fixture d = Fixture.DEMO;
        List<Case> cases = new ArrayList<>();
        // --- the artifact-path checklist through reference_data[].name (it names datasets/<name>/ in the run) ---
        for (String[] name : hostileNames()) {
            cases.add(d.edit("reference name " + name[0], "  - name: DEMO-SURVEY", "  - name: " + yaml(name[1]), "reference_data.0.name"));
        }
        // --- the same checklist through experiment_key (it names runs/<experiment_key>/) ---
        for (String[] name : hostileNames()) {
            cases.add(d.edit("experiment_key " + name[0], "", "experiment_key: " + yaml(name[1]), "experiment_key"));
        }
        // --- and through --set, where a shell user types it ---
        cases.add(d.set("--set experiment_key=../../../escape", "experiment_key=../../../escape", "experiment_key"));
        cases.add(d.set("--set experiment_key=%2e%2e%2fescape", "experiment_key=%2e%2e%2fescape", "experiment_key"));
        cases.add(d.set("--set data_root=<NUL>", "data_root=ab\0cd", "data_root"));
        cases.add(d.set("--set unknown key", "no_such_key=1", "no_such_key"));
        cases.add(d.set("--set wrong type", "feature_start_year=nineteen", "feature_start_year"));
        cases.add(d.set("--set without '='", "feature_start_year", "feature_start_year"));
        // --- data paths ---
        cases.add(d.set("target.path /etc/passwd", "target.path=/etc/passwd", "/etc/passwd").inAFailedRun());
        cases.add(d.set("target.path traversal to a missing file", "target.path=../../../no-such-file.csv", "no-such-file.csv"));
        cases.add(d.set("target.path NUL byte", "target.path=data/panel.csv\0.txt", "target.path"));
        cases.add(d.set("features.path is a directory", "features.path=data", "features.path"));
        cases.add(d.command("--run-dir with a NUL byte", 2, "--run-dir", (data, config) -> List.of("run", "hindcast",
                "--config", config.toString(), "--run-dir", data + "/runs/x\0y")));
        // --- credentials: in tracking URIs, data roots, S3 endpoints, query strings: redacted everywhere ---
        cases.add(d.set("password in an http tracking URI", "mlflow_tracking_uri=http://alice:" + PASSWORD + "@127.0.0.1:9",
                "http://***@127.0.0.1:9"));
        cases.add(d.set("token in a tracking URI's query", "mlflow_tracking_uri=http://127.0.0.1:9/?token=" + TOKEN,
                "http://127.0.0.1:9/?token=***"));
        cases.add(d.set("password in a sqlite tracking URI", "mlflow_tracking_uri=sqlite://alice:" + PASSWORD + "@host/mlruns.db",
                "sqlite://***@"));
        cases.add(d.set("credentials in an s3 data root", "data_root=s3://AKIACANARYKEY0000000:" + PASSWORD + "@bucket/root",
                "data_root"));
        cases.add(d.set("credentials in an S3 endpoint", "target.path=s3://cropcast-canary/root/panel.csv", "AWS_ENDPOINT_URL_S3")
                .withEnv(Map.of("AWS_ENDPOINT_URL_S3", "http://alice:" + PASSWORD + "@127.0.0.1:9")));
        cases.add(d.set("token in an S3 endpoint's query", "target.path=s3://cropcast-canary/root/panel.csv", "AWS_ENDPOINT_URL_S3")
                .withEnv(Map.of("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9/?X-Amz-Security-Token=" + TOKEN)));
        cases.add(d.args("--tracking-uri with a password", 2, "http://***@127.0.0.1:9",
                "runs", "list", "--tracking-uri", "http://bob:" + PASSWORD + "@127.0.0.1:9"));
        cases.add(d.args("MLFLOW_TRACKING_URI with a password in the environment", 2, "http://***@127.0.0.1:9", "runs", "list")
                .withEnv(Map.of("MLFLOW_TRACKING_URI", "http://bob:" + PASSWORD + "@127.0.0.1:9")));
        cases.add(d.command("--run-dir s3 URI with credentials", 2, "--run-dir", (data, config) -> List.of("run", "hindcast",
                "--config", config.toString(), "--run-dir", "s3://AKIACANARYKEY0000000:" + PASSWORD + "@bucket/runs/x")));
        // --- configuration files ---
        cases.add(d.edit("malformed YAML", "", "features: [unclosed", "cropcast-demo.yaml:"));
        cases.add(d.edit("wrong type", "feature_end_year: 2022", "feature_end_year: {year: 2022}", "feature_end_year"));
        cases.add(d.edit("unknown key", "detrend: linear", "detrennd: linear", "detrennd"));
        cases.add(d.edit("duplicate key detrend", "", "detrend: quadratic", "detrend"));
        cases.add(d.config("empty demo configuration", "", "cropcast-demo.yaml"));
        cases.add(d.command("binary file (random bytes)", 2, "cropcast-demo.yaml", (data, config) -> {
            byte[] bytes = new byte[4096];
            new SplittableRandom(3).nextBytes(bytes);
            Files.write(config, bytes);
            return hindcast(config);
        }));
        cases.add(d.command("huge file (3 MiB)", 2, "cropcast-demo.yaml", (data, config) -> {
            Files.writeString(config, Files.readString(config) + "#" + "x".repeat(3 * 1024 * 1024) + "\n");
            return hindcast(config);
        }));
        cases.add(d.config("YAML alias bomb", aliasBomb(), "cropcast-demo.yaml"));
        cases.add(d.config("a YAML list instead of a mapping", "- a\n- b\n", "cropcast-demo.yaml"));
        cases.add(d.command("missing configuration file", 2, "missing.yaml",
                (data, config) -> List.of("run", "hindcast", "--config", data.resolve("missing.yaml").toString())));
        // --- data files (issue 20): numbers beyond the double range, names colliding once made key-safe ---
        cases.add(d.command("1e400 in a yield cell", 2, "data/panel.csv: column 'yield_t_ha', row 2: '1e400' is not a number within the double range",
                (data, config) -> {
                    Path panel = data.resolve("data/panel.csv");
                    List<String> lines = new ArrayList<>(Files.readAllLines(panel));
                    String[] cells = lines.get(2).split(",", -1);
                    cells[2] = "1e400";
                    lines.set(2, String.join(",", cells));
                    Files.write(panel, lines);
                    return hindcast(config);
                }).inAFailedRun());
        cases.add(d.command("regions colliding once metric-safe", 2, "region 'R_01' and region 'R 01' both become the metric key segment 'R_01'",
                (data, config) -> {
                    for (String file : List.of("data/panel.csv", "data/weather_monthly.csv", "data/survey.csv")) {
                        Path path = data.resolve(file);
                        Files.writeString(path, Files.readString(path).replaceAll("(?m)^R01,", "R_01,").replaceAll("(?m)^R02,", "R 01,"));
                    }
                    return hindcast(config);
                }).inAFailedRun());
        cases.add(d.edit("reference names colliding in a prediction column", "", "  - name: DEMO_SURVEY\n    path: data/survey.csv\n"
                + "    layout: long\n    region_column: region\n    year_column: year\n    issue_column: issue\n    value_column: yield_estimate",
                "reference 'DEMO-SURVEY' issue '1' and reference 'DEMO_SURVEY' issue '1' both become the prediction column 'ref_DEMO_SURVEY_1'")
                .inAFailedRun());
        cases.add(d.args("init date in year 10000", 2, "'+10000-01-01' is outside the supported range", "run", "forecast", "--run-dir",
                "/nonexistent", "--init-date", "+10000-01-01"));
        cases.add(d.args("init date 1800-01-01", 2, "'1800-01-01' is outside the supported range", "run", "forecast", "--run-dir",
                "/nonexistent", "--init-date", "1800-01-01"));
        cases.add(d.args("init date 10000-01-01", 2, "'10000-01-01' is not a date", "run", "forecast", "--run-dir",
                "/nonexistent", "--init-date", "10000-01-01"));
        // --- the database file ---
        cases.add(d.command("database file that is not SQLite", 2, "mlruns.db", (data, config) -> {
            Files.writeString(data.resolve("mlruns.db"), "this is a CSV, not a database\n1,2,3\n".repeat(200));
            return hindcast(config);
        }));
        cases.add(d.command("read-only database file", 2, "mlruns.db", (data, config) -> {
            runQuietly(config); // a real database first
            makeReadOnly(data.resolve("mlruns.db"));
            return hindcast(config);
        }).writingInRunAreas());
        cases.add(d.command("database of an unknown schema version", 2, "mlruns.db", (data, config) -> {
            runQuietly(config);
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("mlruns.db"));
                    Statement s = c.createStatement()) {
                s.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'");
            }
            return hindcast(config);
        }).writingInRunAreas());
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void hostileInputIsRefusedWithOneLineNamingTheCulpritWritingNothingElsewhereAndLeakingNoSecret(Case hostile) throws Exception {
        Path data = caseRoot.resolve("a/b/data");
        Path config = hostile.fixture().prepare(data);
        List<String> args = hostile.setup().prepare(data, config);
        Before before = before(hostile, data, config);
        CliHarness cli = hostile.fixture().harness(environment(hostile));

        Observed observed = runCapturingLogs(cli, data, args);

        assertRefusedCleanly(hostile, data, cli, before, observed);
    }

    /**
     * The database held by another process longer than the lock timeout (60 s in production,
     * 1.5 s here through the adapter's own provider): exit 3 naming the file and the timeout, no
     * half-written run, and the file intact and usable again once the lock is gone.
     */
    @Test
    void aDatabaseLockedLongerThanTheTimeoutIsAnExternalFailureNamingTheFile() throws Exception {
        Path data = caseRoot.resolve("a/b/data");
        Path db = data.resolve("mlruns.db");
        Case locked = Fixture.DEMO.command("database locked longer than the timeout", 3, db.toString(), (d, config) -> {
            runQuietly(config);
            return hindcast(config);
        }).writingInRunAreas();
        Path config = locked.fixture().prepare(data);
        List<String> args = locked.setup().prepare(data, config);
        // the production wiring with the SQLite adapter's provider given a 1.5 s lock timeout
        ProcessContext context = ProcessContext.of(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                environment(locked), Clock.systemUTC());
        Module shortLock = binder -> binder.bind(TrackingAdapters.class).toInstance(TrackingAdapters.discover(
                getClass().getClassLoader()).replacing(new SqliteRunStoreProvider(Duration.ofMillis(1500))));
        CliHarness cli = new CliHarness(Cropcast.injector(context, shortLock));
        Before before = before(locked, data, config);
        Observed observed;
        try (Connection holder = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = holder.createStatement()) {
            s.execute("BEGIN EXCLUSIVE");
            observed = runCapturingLogs(cli, data, args);
            s.execute("ROLLBACK");
        }

        assertRefusedCleanly(locked, data, cli, before, observed);
        assertThat(observed.result().err()).as(observed.result().toString()).contains("1500 ms");
        assertThat(RunShape.statusCounts(db)).isEqualTo(Map.of("FINISHED", 1));
        assertThat(RunShape.integrityCheck(db)).isEqualTo("ok");
    }

    /**
     * Issue 20, terminal injection: names and paths from outside (a run directory the user named, an
     * experiment, run, tag and param written into the database by another tool) holding ESC
     * sequences, a C1 CSI (U+009B), bidi overrides and isolates, a line separator and a newline that
     * would forge a {@code run id:} line reach standard output escaped, in the run summary and in
     * {@code runs list/show/compare}, text and {@code --json} alike; the JSON still reads back as
     * the original text.
     */
    @Test
    void outsideDataReachesTheTerminalEscapedInTextAndJson() throws Exception {
        Path data = caseRoot.resolve("a/b/data");
        Path config = Fixture.DEMO.prepare(data);
        String hostile = "x\u001b[2J\u001b]0;title\u0007\u009b31m\u202erev\u2066\u2028\n  run id:    00000000000000000000000000SPOOF";
        CliHarness cli = Fixture.DEMO.harness(ENV);
        CliHarness.Result run = cli.ok(plus(hindcast(config), "--set", "feature_start_year=2012", "--run-dir",
                data.resolve("runs/" + hostile.replace("/", "_")).toString()).toArray(String[]::new));
        assertInert(run.out());
        String id = run.runId();
        CliHarness.Result second = cli.ok(plus(hindcast(config), "--set", "feature_start_year=2013").toArray(String[]::new));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("mlruns.db"))) {
            for (String sql : List.of("UPDATE experiments SET name = ? WHERE name = 'cropcast-demo'", "UPDATE runs SET name = ?",
                    "UPDATE tags SET value = ? WHERE key = 'mlflow.runName'", "UPDATE params SET value = ? WHERE key = 'detrend'",
                    "INSERT INTO tags (key, value, run_uuid) SELECT ?, 'v', run_uuid FROM runs")) {
                try (var statement = c.prepareStatement(sql)) {
                    statement.setString(1, sql.startsWith("INSERT") ? "key" + hostile : hostile);
                    statement.executeUpdate();
                }
            }
        }
        String uri = "sqlite:///" + data.resolve("mlruns.db");
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (List<String> command : List.of(List.of("runs", "list"), List.of("runs", "show", id), List.of("runs", "compare", id, second.runId()))) {
            CliHarness.Result text = cli.ok(plus(command, "--tracking-uri", uri).toArray(String[]::new));
            assertInert(text.out());
            assertThat(text.out()).as(text.toString()).contains("x\\u001B[2J\\u001B]0;title\\u0007\\u009B31m\\u202Erev\\u2066\\u2028\\n  run id:");
            CliHarness.Result asJson = cli.ok(plus(command, "--tracking-uri", uri, "--json").toArray(String[]::new));
            assertInert(asJson.out());
            assertThat(json.readTree(asJson.out()).toString()).as("the JSON reads back as the original text").contains(
                    json.writeValueAsString(hostile).replace("\"", ""));
        }
    }

    /** No character a terminal interprets except the program's own line breaks, and no forged {@code run id:} line. */
    private static void assertInert(String out) {
        assertThat(out.codePoints().filter(c -> c != '\n' && org.cropcast.tracking.TerminalText.isInterpreted(c)).toArray())
                .as("raw control, bidi or separator characters in:\n" + out).isEmpty();
        assertThat(out.lines()).as(out).noneMatch(line -> line.contains("SPOOF") && line.stripLeading().startsWith("run id:"));
    }

    /**
     * Issue 20: a {@code model.json} departing from its format (no features, a null feature name,
     * no regions, missing trend coefficients, a non-positive standard deviation) and an init date
     * before the data are refused with one line naming the file or the option, exit 2, the forecast
     * run FAILED; the model is never used to forecast NaN or the bare trend.
     */
    @Test
    void aModelFileDepartingFromItsFormatOrAnInitDateBeforeTheDataIsRefused() throws Exception {
        DemoRoot root = demoRoot();
        Path data = root.data();
        Path config = root.config();
        CliHarness cli = root.cli();
        Path runDir = data.resolve("runs/fp");
        cli.ok("run", "fit-production", "--config", config.toString(), "--run-dir", runDir.toString(), "--no-progress");
        Path model = runDir.resolve("model/model.json");
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        String original = Files.readString(model);
        Map<String, java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode>> edits = new java.util.LinkedHashMap<>();
        edits.put("it has no features but its regression is 'ridge'", m -> m.putArray("features"));
        edits.put("feature 0 has no name", m -> ((com.fasterxml.jackson.databind.node.ObjectNode) m.get("features").get(0)).putNull("name"));
        edits.put("it has no regions", m -> m.putArray("regions"));
        edits.put("region 'R01' has missing", m -> ((com.fasterxml.jackson.databind.node.ObjectNode) m.get("regions").get(0)).putArray("coefficients"));
        edits.put("needs a finite mean and coefficient and a positive standard deviation",
                m -> ((com.fasterxml.jackson.databind.node.ObjectNode) m.get("features").get(1)).put("sd", 0.0));
        edits.put("init model 1 has regression 'lasso'",
                m -> ((com.fasterxml.jackson.databind.node.ObjectNode) m.get("init_models").get(1)).put("regression", "lasso"));
        int failed = 0;
        for (var edit : edits.entrySet()) {
            var document = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(original);
            edit.getValue().accept(document);
            Files.writeString(model, json.writeValueAsString(document));
            CliHarness.Result result = cli.run("run", "forecast", "--run-dir", runDir.toString(), "--init-date", "2022-08-15", "--no-progress");
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
            assertThat(result.err().lines().toList()).as(result.toString()).singleElement().asString()
                    .startsWith("cropcast: " + model + ": not a valid cropcast-production-model version 2: ").contains(edit.getKey());
            failed++;
        }
        // a version 1 model (no init models) at an init date that does not observe every feature
        var v1 = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(original);
        v1.put("version", 1);
        v1.remove("init_models");
        v1.remove("init_months");
        Files.writeString(model, json.writeValueAsString(v1));
        CliHarness.Result noModel = cli.run("run", "forecast", "--run-dir", runDir.toString(), "--init-date", "2022-08-15", "--no-progress");
        assertThat(noModel.exitCode()).as(noModel.toString()).isEqualTo(2);
        assertThat(noModel.err().lines().toList()).as(noModel.toString()).singleElement().asString()
                .startsWith("cropcast: " + model + ": no model fitted on the 4 of 6 features observable on 2022-08-15")
                .contains("refit it with fit-production");
        failed++;
        Files.writeString(model, original);
        CliHarness.Result early = cli.run("run", "forecast", "--run-dir", runDir.toString(), "--init-date", "1950-01-01", "--no-progress");
        assertThat(early.exitCode()).as(early.toString()).isEqualTo(2);
        assertThat(early.err()).as(early.toString()).contains("--init-date 1950-01-01: the data start in 1991").hasLineCount(1);
        failed++;
        assertThat(failed).isEqualTo(edits.size() + 2);
        // the first refusal created the forecast run, each later one resumed it: it ends FAILED, the fit-production run FINISHED
        assertThat(RunShape.statusCounts(data.resolve("mlruns.db"))).as("the refused forecast run FAILED")
                .isEqualTo(Map.of("FAILED", 1, "FINISHED", 1));
    }

    /**
     * Issue 20, run directories that lie: a copy of a finished run directory resumed (it would
     * hijack the original run, re-point its {@code run_dir} tag and double its metric history), a
     * {@code metadata_hindcast.yaml} edited to name the fit-production run (resumed as a hindcast),
     * and a symbolic link inside a run directory pointing outside it (the stage would write through
     * it) are each refused with one line, exit 2, and the original runs keep their tags.
     */
    /**
     * Issue 20, a full disk under the run directory (it ended in {@code internal error:
     * ParquetCloseResourceException}, exit 1): the kernel's own ENOSPC without root, by sending every
     * byte written under {@code runs/} beyond the first 16 KiB to {@code /dev/full} (the storage port
     * wrapped in the composition root; the stage and Parquet writer are the real ones). One line naming
     * the file and the disk's answer, exit 3, the run FAILED with it, no partial file published.
     */
    @Test
    void aFullDiskUnderTheRunDirectoryIsAnExternalFailureAndTheRunEndsFailed() throws Exception {
        Path devFull = Path.of("/dev/full");
        assertThat(devFull).as("/dev/full (Linux) gives the test a real ENOSPC").exists();
        DemoRoot root = demoRoot();
        Path runs = root.data().resolve("runs");
        Path db = root.data().resolve("mlruns.db");
        Map<String, Integer> before = Files.exists(db) ? RunShape.statusCounts(db) : Map.of();
        java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
        Module full = new com.google.inject.AbstractModule() {
            @com.google.inject.Provides
            @com.google.inject.Singleton
            org.cropcast.tracking.Storage storage(org.cropcast.tracking.SwitchingStorage real) {
                return (org.cropcast.tracking.Storage) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {org.cropcast.tracking.Storage.class}, (self, method, args) -> {
                            if (method.getName().equals("write") && args.length == 2
                                    && args[0] instanceof org.cropcast.tracking.Location target && target.isLocal()
                                    && target.localPath().startsWith(runs) && args[1] instanceof org.cropcast.tracking.Storage.Writer writer) {
                                real.write(target, out -> writer.write(new java.io.FilterOutputStream(out) {
                                    @Override
                                    public void write(byte[] b, int off, int len) throws IOException {
                                        if (written.addAndGet(len) > 16 * 1024) {
                                            try (var disk = new java.io.FileOutputStream(devFull.toFile())) {
                                                disk.write(b, off, len); // the kernel: No space left on device
                                            }
                                        }
                                        out.write(b, off, len);
                                    }

                                    @Override
                                    public void write(int b) throws IOException {
                                        write(new byte[] {(byte) b}, 0, 1);
                                    }
                                }));
                                return null;
                            }
                            try {
                                return method.invoke(real, args);
                            } catch (java.lang.reflect.InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
            }
        };
        CliHarness cli = new CliHarness(ENV, full);
        CliHarness.Result result = cli.run(hindcast(root.config()).toArray(String[]::new));
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
        assertThat(result.out()).isEmpty();
        assertThat(result.err().lines().toList()).as(result.toString()).singleElement().asString()
                .startsWith("cropcast: cannot write " + runs).contains("No space left on device").doesNotContain("internal error");
        Map<String, Integer> after = new TreeMap<>(RunShape.statusCounts(db));
        Map<String, Integer> expected = new TreeMap<>(before);
        expected.merge("FAILED", 1, Integer::sum);
        assertThat(after).isEqualTo(expected);
        try (Stream<Path> walk = Files.walk(runs)) {
            assertThat(walk.filter(p -> p.getFileName().toString().contains(".cropcast-tmp-")).toList())
                    .as("no temporary file left").isEmpty();
        }
    }

    @Test
    void runDirectoriesThatLieAreRefused() throws Exception {
        DemoRoot root = demoRoot();
        Path data = root.data();
        Path config = root.config();
        CliHarness cli = root.cli();
        Path runDir = data.resolve("runs/h");
        List<String> hindcast = plus(hindcast(config), "--set", "feature_start_year=2012");
        String hindcastRun = cli.ok(plus(hindcast, "--run-dir", runDir.toString()).toArray(String[]::new)).runId();
        String fitRun = cli.ok("run", "fit-production", "--config", config.toString(), "--set", "feature_start_year=2012",
                "--run-dir", runDir.toString(), "--no-progress").runId();
        Map<String, Integer> runs = RunShape.statusCounts(data.resolve("mlruns.db"));

        Path copy = data.resolve("runs/copy");
        copyTree(runDir, copy);
        CliHarness.Result fromCopy = cli.run(plus(hindcast, "--run-dir", copy.toString(), "--resume").toArray(String[]::new));
        assertThat(fromCopy.exitCode()).as(fromCopy.toString()).isEqualTo(2);
        assertThat(fromCopy.err()).as(fromCopy.toString()).hasLineCount(1).contains("cannot resume run " + hindcastRun,
                "the run was made in " + runDir);

        Path record = runDir.resolve("metadata_hindcast.yaml");
        String original = Files.readString(record);
        Files.writeString(record, original.replace(hindcastRun, fitRun));
        CliHarness.Result edited = cli.run(plus(hindcast, "--run-dir", runDir.toString(), "--resume").toArray(String[]::new));
        assertThat(edited.exitCode()).as(edited.toString()).isEqualTo(2);
        assertThat(edited.err()).as(edited.toString()).hasLineCount(1).contains("it is a fit-production run, not a hindcast run");
        Files.writeString(record, original);

        Path outside = Files.createDirectories(caseRoot.resolve("outside"));
        Path linked = Files.createDirectories(data.resolve("runs/linked"));
        Files.createSymbolicLink(linked.resolve("reports"), outside);
        CliHarness.Result throughLink = cli.run(plus(hindcast, "--run-dir", linked.toString()).toArray(String[]::new));
        assertThat(throughLink.exitCode()).as(throughLink.toString()).isEqualTo(2);
        assertThat(throughLink.err()).as(throughLink.toString()).hasLineCount(1).contains("reports is a symbolic link outside the run directory");
        try (Stream<Path> written = Files.list(outside)) {
            assertThat(written).as("nothing written through the link").isEmpty();
        }

        assertThat(RunShape.statusCounts(data.resolve("mlruns.db"))).as("no run added or changed").isEqualTo(runs);
        try (var store = ConcurrentPipelineProcessesTest.open(data.resolve("mlruns.db"))) {
            var hindcastTags = store.getRun(org.cropcast.tracking.RunId.of(hindcastRun)).orElseThrow().data().tags();
            assertThat(hindcastTags).containsEntry(RunTags.STAGE, "hindcast").containsEntry(RunTags.RUN_DIR, runDir.toString());
            assertThat(store.getRun(org.cropcast.tracking.RunId.of(fitRun)).orElseThrow().data().tags())
                    .containsEntry(RunTags.STAGE, "fit-production");
        }
    }

    /** A copy of the demo data root in the case's tree, its configuration, and a command line over it with {@link #ENV}. */
    record DemoRoot(Path data, Path config, CliHarness cli) {}

    private DemoRoot demoRoot() throws IOException {
        Path data = caseRoot.resolve("a/b/data");
        return new DemoRoot(data, Fixture.DEMO.prepare(data), Fixture.DEMO.harness(ENV));
    }

    // --- the one assertion helper -------------------------------------------------------------

    /**
     * The state before the command: every file under the case's tree, the runs recorded in the data
     * root's database, and the files holding a planted secret (at most the configuration under test).
     */
    record Before(Map<String, FileState> files, Map<String, Integer> runs, Set<Path> planted) {}

    /** What the command left: its outcome and the log events it emitted (message and stack trace of each). */
    record Observed(CliHarness.Result result, List<String> logs) {}

    private Before before(Case hostile, Path data, Path config) throws Exception {
        // the runs are read (from a copy) only where the database may change; elsewhere the file snapshot covers it
        Map<String, Integer> runs = hostile.outcome() == Outcome.NOTHING_WRITTEN ? Map.of() : recordedRuns(data);
        Set<Path> planted = filesHoldingASecret(caseRoot);
        assertThat(planted).as("only the configuration under test may hold a planted secret").isSubsetOf(Set.of(config));
        return new Before(snapshot(caseRoot), runs, planted);
    }

    /** Every invariant of a refused hostile input (see the class comment). */
    private void assertRefusedCleanly(Case hostile, Path data, CliHarness cli, Before before, Observed observed) throws Exception {
        CliHarness.Result result = observed.result();
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(hostile.exitCode());
        List<String> lines = result.err().lines().toList();
        assertThat(lines).as("one line on stderr, no stack trace: " + result).hasSize(1);
        assertThat(lines.get(0)).as(result.toString()).startsWith("cropcast: ").contains(hostile.culprit());
        assertThat(lines.get(0)).as("no raw control characters").doesNotContain("\0", "\r");
        assertThat(result.out()).as("nothing on stdout: " + result).isEmpty();

        List<String> changed = changes(before.files(), snapshot(caseRoot));
        if (hostile.outcome() == Outcome.NOTHING_WRITTEN) {
            assertThat(changed).as("nothing written for an input refused before the run").isEmpty();
        } else {
            assertThat(changed).as("written only in the run areas").allMatch(HostileInputTest::inRunArea);
            Map<String, Integer> expected = new TreeMap<>(before.runs());
            if (hostile.outcome() == Outcome.FAILED_RUN) {
                expected.merge(RunStatus.FAILED.name(), 1, Integer::sum);
            }
            assertThat(recordedRuns(data)).as("runs by status, none half-written").isEqualTo(expected);
        }
        if (hostile.outcome() == Outcome.FAILED_RUN) {
            try (var store = ConcurrentPipelineProcessesTest.open(data.resolve("mlruns.db"))) {
                var experiment = store.findExperiment("cropcast-demo").orElseThrow();
                assertThat(store.searchRuns(RunSearch.all(experiment.id()))).singleElement().satisfies(run -> {
                    assertThat(run.info().status()).isEqualTo(RunStatus.FAILED);
                    assertThat(run.data().tags().get(RunTags.ERROR)).contains(hostile.culprit());
                });
            }
        }
        if (hostile.fixture() == Fixture.MINIMAL) {
            CliHarness.Result runs = cli.run("runs", "list", "--tracking-uri", MEMORY_URI);
            assertThat(runs.out()).as("no run recorded: " + runs).contains("No runs");
        }

        String everything = result.out() + result.err() + String.join("\n", observed.logs());
        for (String secret : SECRETS) {
            assertThat(everything).as("secret echoed").doesNotContain(secret);
        }
        // the configuration the case wrote a secret into is the user's own input, unchanged (checked above)
        assertNoSecretIn(caseRoot, before.planted());
    }

    /** Runs the command with the root logger's events captured, then makes the database writable again (for the cleanup). */
    private static Observed runCapturingLogs(CliHarness cli, Path data, List<String> args) throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.setContext(context);
        logs.start();
        root.addAppender(logs);
        CliHarness.Result result;
        try {
            result = cli.run(args.toArray(String[]::new));
        } finally {
            root.detachAppender(logs);
            logs.stop();
            writable(data.resolve("mlruns.db"));
        }
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent event : logs.list) {
            lines.add(event.getFormattedMessage());
            if (event.getThrowableProxy() != null) {
                lines.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
        }
        return new Observed(result, lines);
    }

    /**
     * Run counts by status in the data root's {@code mlruns.db}, none without one. Read from a copy
     * outside the case's tree: opening the original (a WAL database) would write beside it.
     */
    private Map<String, Integer> recordedRuns(Path data) throws Exception {
        if (!Files.exists(data.resolve("mlruns.db"))) {
            return Map.of();
        }
        Path copy = Files.createTempDirectory(scratch, "db");
        for (String file : List.of("mlruns.db", "mlruns.db-wal")) {
            if (Files.exists(data.resolve(file))) {
                Files.copy(data.resolve(file), copy.resolve(file));
            }
        }
        return RunShape.statusCounts(copy.resolve("mlruns.db"));
    }

    private static Map<String, String> environment(Case hostile) {
        Map<String, String> env = new HashMap<>(ENV);
        env.putAll(hostile.env());
        return env;
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

    static List<String> hindcast(Path config) {
        return List.of("run", "hindcast", "--config", config.toString(), "--no-progress");
    }

    private static List<String> plus(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return all;
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
    private static void runQuietly(Path config) {
        CliHarness.Result ok = new CliHarness(ENV).run("run", "hindcast", "--config", config.toString(),
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

    /** Files and directories created, files changed (size or modification time), and anything deleted. */
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
        assertNoSecretIn(root, Set.of());
    }

    /** The same, except in the given input files. */
    static void assertNoSecretIn(Path root, Set<Path> inputs) throws IOException {
        Set<Path> holding = filesHoldingASecret(root);
        holding.removeAll(inputs);
        assertThat(holding).as("files holding a planted secret").isEmpty();
    }

    /** The regular files under the root holding a planted secret, read as bytes. */
    static Set<Path> filesHoldingASecret(Path root) throws IOException {
        Set<Path> holding = new TreeSet<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                if (SECRETS.stream().anyMatch(text::contains)) {
                    holding.add(file);
                }
            }
        }
        return holding;
    }
}
