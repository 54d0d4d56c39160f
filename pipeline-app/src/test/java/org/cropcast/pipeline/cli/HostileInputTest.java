package org.cropcast.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.cropcast.pipeline.CliHarness;
import org.cropcast.pipeline.CliHarness.Result;
import org.cropcast.pipeline.TestStages;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile- and bad-input corpus of the command line and the configuration: each case asserts
 * the exit code, a one-line message naming the culprit, that nothing was written (the data root's
 * files are the same before and after, no run exists), and that the secret planted in several
 * inputs ({@value #SECRET}) is never echoed.
 */
class HostileInputTest {
    static final String SECRET = "hunter2";
    static final String URI = "memory:hostile";

    @TempDir
    Path dir;

    /** One hostile input: what to write and which arguments to pass, and what must come back. */
    record Case(String name, Setup setup, int exitCode, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    interface Setup {
        /** Prepares files under the data root and returns the command line's arguments. */
        List<String> prepare(Path root, Path config) throws IOException;
    }

    private static Case yaml(String name, String text, String expected) {
        return new Case(name, (root, config) -> {
            Files.writeString(config, text);
            return hindcast(config);
        }, 2, expected);
    }

    /** The valid configuration with one line replaced (or appended when {@code from} is empty). */
    private static Case edit(String name, String from, String to, String expected) {
        return new Case(name, (root, config) -> {
            String valid = Files.readString(config);
            Files.writeString(config, from.isEmpty() ? valid + to + "\n" : valid.replace(from, to));
            return hindcast(config);
        }, 2, expected);
    }

    private static Case set(String name, String override, String expected) {
        return new Case(name, (root, config) -> args(hindcast(config), "--set", override), 2, expected);
    }

    private static Case args(String name, int exitCode, String expected, String... arguments) {
        return new Case(name, (root, config) -> List.of(arguments), exitCode, expected);
    }

    private static List<String> hindcast(Path config) {
        return List.of("run", "hindcast", "--config", config.toString(), "--no-progress");
    }

    private static List<String> args(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return all;
    }

    static Stream<Arguments> corpus() {
        String lol = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                + "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                + "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
                + "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n";
        List<Case> cases = List.of(
                // malformed YAML, empty, binary, huge
                yaml("unclosed flow sequence", "experiment_name: x\nfeature_start_year: [2000\n", "hostile.yaml:"),
                yaml("tab indentation", "experiment_name: x\n\tdetrend: linear\n", "hostile.yaml:"),
                yaml("bad indentation", "experiment_name: x\ndetrend: linear\n  regression: ridge\n", "hostile.yaml:3:"),
                yaml("duplicate key", "experiment_name: a\nexperiment_name: b\n", "duplicate key 'experiment_name'"),
                yaml("empty file", "", "the configuration is empty"),
                yaml("only comments", "# nothing\n# here\n", "the configuration is empty"),
                yaml("top-level list", "- experiment_name\n- x\n", "must be a mapping of keys to values, not a list"),
                yaml("top-level scalar", "just text\n", "must be a mapping of keys to values"),
                yaml("billion laughs", lol, "hostile.yaml"),
                yaml("java type tag", "experiment_name: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://127.0.0.1:9/\"]]]]\n",
                        "hostile.yaml"),
                new Case("binary file", (root, config) -> {
                    Files.write(config, new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0});
                    return hindcast(config);
                }, 2, "not a YAML text file (it contains NUL bytes)"),
                new Case("not UTF-8", (root, config) -> {
                    Files.write(config, "experiment_name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
                    return hindcast(config);
                }, 2, "not valid UTF-8"),
                new Case("huge file", (root, config) -> {
                    Files.writeString(config, "experiment_name: x\n# " + "y".repeat(2 * 1024 * 1024) + "\n");
                    return hindcast(config);
                }, 2, "larger than 1024 KiB"),
                args("missing config", 2, "configuration file not found", "run", "hindcast", "--config", "/nonexistent/hostile.yaml"),
                new Case("config is a directory", (root, config) -> hindcast(root), 2, "it is a directory"),
                // unknown keys and wrong types
                edit("unknown top-level key", "", "detrnd: linear", "unknown key 'detrnd' (did you mean 'detrend'?)"),
                edit("unknown nested key", "  path: target.csv", "  path: target.csv\n  yeild_column: y",
                        "unknown key 'target.yeild_column' (did you mean 'yield_column'?)"),
                edit("text for an integer", "feature_start_year: 2001", "feature_start_year: twenty",
                        "key 'feature_start_year': expected an integer, got 'twenty'"),
                edit("quoted number for an integer", "feature_start_year: 2001", "feature_start_year: \"2001\"",
                        "key 'feature_start_year': expected an integer"),
                edit("float for an integer", "feature_start_year: 2001", "feature_start_year: 2001.5",
                        "key 'feature_start_year': expected an integer, got 2001.5"),
                edit("integer overflow", "feature_start_year: 2001", "feature_start_year: 99999999999",
                        "key 'feature_start_year'"),
                edit("scalar for a list", "  variables: [t2m]", "  variables: t2m", "key 'features.variables': expected a list"),
                edit("scalar for a mapping", "", "target: here", "duplicate key 'target'"),
                edit("NaN threshold (YAML .nan)", "", "production_cumulative_threshold: .nan", "Malformed numeric value '.nan'"),
                edit("infinite ridge alpha", "", "ridge_alpha: .inf", "Malformed numeric value '.inf'"),
                // rules
                edit("years reversed", "feature_end_year: 2005", "feature_end_year: 1990", "the years are reversed"),
                edit("threshold zero", "", "production_cumulative_threshold: 0", "must be in (0, 1] (got 0.0)"),
                edit("threshold above one", "", "production_cumulative_threshold: 1.01", "must be in (0, 1] (got 1.01)"),
                edit("unknown detrend", "", "detrend: cubic", "key 'detrend': must be one of none, linear, quadratic (got 'cubic')"),
                edit("unknown regression", "", "regression: lasso", "key 'regression': must be one of none, ols, ridge (got 'lasso')"),
                edit("unknown cv scheme", "", "cv_scheme: kfold", "key 'cv_scheme': must be one of leave_one_year_out, expanding_window"),
                // paths, keys and names (the path-traversal checklist)
                edit("experiment key traversal", "", "experiment_key: ../../etc", "key 'experiment_key': must be 1-64 characters"),
                edit("experiment key encoded traversal", "", "experiment_key: '%2e%2e%2fetc'", "key 'experiment_key'"),
                edit("experiment key absolute", "", "experiment_key: /etc/passwd", "key 'experiment_key'"),
                edit("experiment name with NUL", "experiment_name: Test corn", "experiment_name: \"Test\\0corn\"",
                        "key 'experiment_name': must not contain control characters (found U+0000)"),
                edit("experiment name too long", "experiment_name: Test corn", "experiment_name: " + "x".repeat(300),
                        "key 'experiment_name': must be at most 256 characters"),
                edit("target path traversal", "  path: target.csv", "  path: ../../../etc/passwd", "key 'target.path'"),
                edit("target path encoded traversal", "  path: target.csv", "  path: '%2e%2e%2f%2e%2e%2fetc/passwd'", "key 'target.path'"),
                edit("target path double-encoded traversal", "  path: target.csv", "  path: '%252e%252e%252fetc/passwd'", "key 'target.path'"),
                edit("target path with backslashes", "  path: target.csv", "  path: '..\\..\\etc\\passwd'", "key 'target.path'"),
                edit("target path with a fragment", "  path: target.csv", "  path: 'target.csv#frag'", "key 'target.path'"),
                edit("reference name traversal", "", "reference_data:\n  - name: ../x\n    path: target.csv\n    value_column: v\n    issue_column: i",
                        "key 'reference_data.0.name': must be 1-64 characters"),
                edit("reference name backslash traversal", "",
                        "reference_data:\n  - name: '..\\x'\n    path: target.csv\n    value_column: v\n    issue_column: i",
                        "key 'reference_data.0.name'"),
                edit("reference name too long", "",
                        "reference_data:\n  - name: " + "r".repeat(300) + "\n    path: target.csv\n    value_column: v\n    issue_column: i",
                        "key 'reference_data.0.name'"),
                // credentials, which must never be echoed
                edit("data root with credentials", "data_root: .", "data_root: s3://AKIAEXAMPLE:" + SECRET + "@bucket/x",
                        "credentials do not belong in a location"),
                edit("data root malformed", "data_root: .", "data_root: 's3:/bucket'", "key 'data_root': invalid location"),
                edit("tracking URI with credentials and unknown scheme", "mlflow_tracking_uri: " + URI,
                        "mlflow_tracking_uri: ftp://alice:" + SECRET + "@host/x", "tracking URI 'ftp://***@host/x' has the unknown scheme 'ftp'"),
                edit("tracking URI without scheme", "mlflow_tracking_uri: " + URI, "mlflow_tracking_uri: mlruns", "has no scheme"),
                edit("tracking URI with a token in the query", "mlflow_tracking_uri: " + URI,
                        "mlflow_tracking_uri: http://127.0.0.1:9/?token=" + SECRET, "invalid tracking URI 'http://127.0.0.1:9/?token=***"),
                edit("tracking URI with user info", "mlflow_tracking_uri: " + URI,
                        "mlflow_tracking_uri: https://alice:" + SECRET + "@127.0.0.1:9", "credentials do not belong in the URI"),
                new Case("tracking server unreachable (password in the environment)", (root, config) -> {
                    Files.writeString(config, Files.readString(config).replace("mlflow_tracking_uri: " + URI, "mlflow_tracking_uri: http://127.0.0.1:9"));
                    return hindcast(config);
                }, 3, "http://127.0.0.1:9"),
                new Case("tracking database that is not SQLite", (root, config) -> {
                    Files.writeString(root.resolve("notadb.db"), "this is not a database\n".repeat(100));
                    Files.writeString(config, Files.readString(config).replace("mlflow_tracking_uri: " + URI, "mlflow_tracking_uri: sqlite:///notadb.db"));
                    return hindcast(config);
                }, 2, "notadb.db"),
                // overrides
                set("override without '='", "detrend", "expected KEY=VALUE"),
                set("override with an empty segment", "target..path=x", "empty key segment"),
                set("override of an unknown key", "target.yeild_column=x", "--set target.yeild_column: unknown key 'target.yeild_column'"),
                set("override index out of range", "reference_data.3.name=x", "'reference_data' has no element 3"),
                set("override of the wrong type", "feature_start_year=abc", "key 'feature_start_year': expected an integer, got 'abc'"),
                set("override with a control character", "experiment_name=a\u001b[31mred", "must not contain control characters"),
                set("override with a secret", "mlflow_tracking_uri=https://bob:" + SECRET + "@" , "tracking URI"),
                // run directories, dates, ids and options
                new Case("run dir does not exist (forecast)", (root, config) -> List.of("run", "forecast", "--run-dir",
                        root.resolve("nope").toString(), "--init-date", "2024-07-01"), 2, "does not exist"),
                new Case("run dir is a file", (root, config) -> args(hindcast(config), "--run-dir", config.toString()), 2, "is a file, not a directory"),
                new Case("run dir traversal", (root, config) -> args(hindcast(config), "--run-dir", root + "/runs/../../../etc"), 2, "'..' segments are not allowed"),
                new Case("run dir with NUL", (root, config) -> args(hindcast(config), "--run-dir", root + "/runs/a\0b"), 2, "NUL"),
                new Case("resume without a recorded run", (root, config) -> args(hindcast(config), "--run-dir", root.resolve("fresh").toString(), "--resume"),
                        2, "does not exist"),
                args("init date not a date", 2, "'yesterday' is not a date", "run", "forecast", "--run-dir", "/tmp", "--init-date", "yesterday"),
                args("init date impossible", 2, "'2024-02-30' is not a date", "run", "forecast", "--run-dir", "/tmp", "--init-date", "2024-02-30"),
                args("init date traversal", 2, "is not a date", "run", "forecast", "--run-dir", "/tmp", "--init-date", "../../etc"),
                args("run id traversal", 2, "invalid run id '../../etc/passwd'", "runs", "show", "../../etc/passwd", "--tracking-uri", URI),
                args("run id too long", 2, "invalid run id", "runs", "show", "a".repeat(300), "--tracking-uri", URI),
                args("run id with a query", 2, "invalid run id", "runs", "show", "abc?x=1", "--tracking-uri", URI),
                args("compare one run", 2, "RUN_ID", "runs", "compare", "abc", "--tracking-uri", URI),
                args("memory URI with a newline", 2, "invalid memory: tracking URI", "runs", "list", "--tracking-uri", "memory:x\ny"),
                args("tracking URI with credentials on the command line", 2, "'gopher://***@host'", "runs", "list", "--tracking-uri",
                        "gopher://carol:" + SECRET + "@host"),
                new Case("runs list on a database that does not exist", (root, config) -> List.of("runs", "list", "--tracking-uri",
                        "sqlite:///" + root.resolve("absent.db")), 2, "no tracking database at"),
                args("unknown status", 2, "--status", "runs", "list", "--tracking-uri", URI, "--status", "DONE"),
                args("limit zero", 2, "--limit must be at least 1", "runs", "list", "--tracking-uri", URI, "--limit", "0"),
                args("stale-after garbage", 2, "is not a duration", "runs", "list", "--tracking-uri", URI, "--stale-after", "soon"),
                args("unknown option", 2, "Unknown option: '--no-progres'", "run", "hindcast", "--config", "x.yaml", "--no-progres"),
                args("unknown command", 2, "Unmatched argument", "runz"),
                args("verbose and quiet", 2, "--verbose and --quiet cannot be used together", "-v", "-q", "runs", "list"),
                new Case("demo into a non-empty directory", (root, config) -> List.of("demo", root.toString()), 2, "is not empty"),
                new Case("demo into a file", (root, config) -> List.of("demo", config.toString()), 2, "is a file"),
                new Case("demo below a file", (root, config) -> List.of("demo", config.resolve("sub").toString()), 3,
                        "cannot write the demo data root in "));
        return cases.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void isRejectedCleanly(Case c) throws Exception {
        Path root = dir.resolve("data");
        Path config = CliFixture.write(root, URI);
        Path hostile = root.resolve("hostile.yaml");
        Files.copy(config, hostile);
        List<String> arguments = c.setup().prepare(root, hostile);
        Map<String, Long> before = snapshot(dir);
        CliHarness cli = new CliHarness(Map.of("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0", "MLFLOW_HTTP_REQUEST_TIMEOUT", "5",
                "MLFLOW_TRACKING_USERNAME", "alice", "MLFLOW_TRACKING_PASSWORD", SECRET), TestStages.module());

        Result result = cli.run(arguments.toArray(String[]::new));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(c.exitCode());
        assertThat(result.err().lines().toList()).as(result.toString()).hasSize(1);
        assertThat(result.err()).as(result.toString()).startsWith("cropcast: ").contains(c.expected());
        assertThat(result.out()).as(result.toString()).isEmpty();
        assertThat(result.out() + result.err()).as(result.toString()).doesNotContain(SECRET);
        assertThat(snapshot(dir)).as("files after " + c.name()).isEqualTo(before);
        assertThat(cli.run("runs", "list", "--tracking-uri", URI).out()).contains("No runs");
    }

    /** Every file under the directory with its size and modification time. */
    private static Map<String, Long> snapshot(Path directory) throws IOException {
        Map<String, Long> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path p : paths.toList()) {
                files.put(directory.relativize(p) + (Files.isDirectory(p) ? "/" : ""),
                        Files.isDirectory(p) ? 0 : Files.size(p) * 31 + Files.getLastModifiedTime(p).toMillis());
            }
        }
        return files;
    }
}
