package org.cropcast.pipeline.proof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.inject.Injector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cropcast.pipeline.CliHarness;
import org.cropcast.tracking.ArtifactStore;
import org.cropcast.tracking.CreateRunRequest;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.ErrorCategory;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.Param;
import org.cropcast.tracking.Run;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.RunStoreFactory;
import org.cropcast.tracking.SwitchingArtifactStore;
import org.cropcast.tracking.Tag;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile-input corpus where the command line cannot reach: the embedded store's
 * {@link RunStore} and {@link ArtifactStore} as the composition root wires them (what an embedding
 * tool calls). Each case must fail with a {@link CropcastException} of category USER_INPUT whose
 * message is one line, names the culprit and holds no planted secret; the run's recorded data and
 * every file under the case's directory (the artifact root three levels down, so traversals land
 * inside) must be unchanged. Artifact paths follow MLflow's path-traversal CVE chain
 * (CVE-2023-1177 ... CVE-2024-8859).
 */
class StoreHostileInputTest {
    private static final String SECRET = HostileInputTest.PASSWORD;

    @TempDir
    Path root;

    /** One call that must be refused. */
    record Case(String culprit, Call call) {}

    @FunctionalInterface
    interface Call {
        void apply(RunStore store, RunId run, ArtifactStore artifacts, String artifactUri, Path file);
    }

    static Stream<Named<Case>> corpus() {
        List<Named<Case>> cases = new ArrayList<>();
        // artifact paths: the MLflow path-traversal CVE checklist, through logFile and logDirectoryContents, open and list
        for (String[] path : artifactPaths()) {
            cases.add(Named.of("logFile artifact path " + path[0], new Case(path[2],
                    (s, r, a, uri, f) -> a.logFile(uri, f, path[1]))));
        }
        cases.add(Named.of("logDirectoryContents to ../", new Case("../../..", (s, r, a, uri, f) -> a.logDirectoryContents(uri, f.getParent(), "../../.."))));
        cases.add(Named.of("open ../ (read outside the run)", new Case("../../../secret.txt", (s, r, a, uri, f) -> a.open(uri, "../../../secret.txt"))));
        cases.add(Named.of("list %2e%2e%2f", new Case("%2e%2e%2f", (s, r, a, uri, f) -> a.list(uri, "%2e%2e%2f"))));
        // params, tags, metrics
        cases.add(Named.of("oversized param value", new Case("big", (s, r, a, uri, f) ->
                s.logBatch(r, List.of(), List.of(new Param("big", "v".repeat(6001))), List.of()))));
        cases.add(Named.of("oversized tag value", new Case("big", (s, r, a, uri, f) ->
                s.logBatch(r, List.of(), List.of(), List.of(new Tag("big", "v".repeat(8001) + SECRET))))));
        cases.add(Named.of("over-long key", new Case("kkkk", (s, r, a, uri, f) ->
                s.logBatch(r, List.of(), List.of(new Param("k".repeat(251), "v")), List.of()))));
        for (String key : List.of("a;b", "a?b", "a#b", "a\0b", "a\\b", "../escape", "/abs", "a//b", "a/./b", "a%2f..", "tab\tkey")) {
            cases.add(Named.of("bad key " + key.replace("\0", "<NUL>").replace("\t", "<TAB>"), new Case("param",
                    (s, r, a, uri, f) -> s.logBatch(r, List.of(), List.of(new Param(key, "v")), List.of()))));
        }
        cases.add(Named.of("bad metric key", new Case("../m", (s, r, a, uri, f) ->
                s.logBatch(r, List.of(new Metric("../m", 1, 1, 0)), List.of(), List.of()))));
        cases.add(Named.of("duplicate param keys in one batch", new Case("dup", (s, r, a, uri, f) ->
                s.logBatch(r, List.of(), List.of(new Param("dup", "1"), new Param("dup", "2")), List.of()))));
        cases.add(Named.of("negative metric timestamp", new Case("-5", (s, r, a, uri, f) ->
                s.logBatch(r, List.of(new Metric("m", 1, -5, 0)), List.of(), List.of()))));
        cases.add(Named.of("a good batch with one bad entry writes nothing", new Case("bad key!", (s, r, a, uri, f) ->
                s.logBatch(r, List.of(new Metric("fine", 1, 1, 0)), List.of(new Param("fine", "1")), List.of(new Tag("bad key!", "x"))))));
        cases.add(Named.of("param changed after it was logged", new Case("seeded", (s, r, a, uri, f) ->
                s.logBatch(r, List.of(), List.of(new Param("seeded", "other")), List.of()))));
        return cases.stream();
    }

    /** Label, path, and what the message must name. */
    static List<String[]> artifactPaths() {
        return List.of(
                new String[] {"../", "../../../escape.txt", "../../../escape.txt"},
                new String[] {"..\\", "..\\..\\..\\escape.txt", "..\\..\\..\\escape.txt"},
                new String[] {"%2e%2e%2f", "%2e%2e%2f%2e%2e%2fescape.txt", "%2e%2e%2f"},
                new String[] {"%252e%252e%252f", "%252e%252e%252fescape.txt", "%252e%252e%252f"},
                new String[] {"mixed a/%2e%2e/b", "a/%2e%2e/%2e%2e/%2e%2e/escape.txt", "a/%2e%2e"},
                new String[] {"/etc/passwd", "/etc/passwd", "/etc/passwd"},
                new String[] {"C:/", "C:/Windows/escape.txt", "C:/Windows"},
                new String[] {"// prefix", "//evil.example/escape.txt", "//evil.example"},
                new String[] {"# fragment", "ok#/../../escape.txt", "ok#"},
                new String[] {"? query", "ok?/../../escape.txt", "ok?"},
                new String[] {"; parameter", "ok;/../../escape.txt", "ok;"},
                new String[] {"NUL byte", "ok\0/../escape.txt", "ok\\0/../escape.txt"},
                new String[] {"over-long", "n".repeat(5000), "nnnn"});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void hostileCallsAreRefusedAsUserInputWritingNothing(Case hostile) throws Exception {
        Path artifactRoot = root.resolve("a/b/c/artifacts");
        Files.createDirectories(artifactRoot);
        Path file = Files.writeString(Files.createDirectories(root.resolve("a/b/c/upload")).resolve("file.txt"), "x");
        Files.writeString(root.resolve("secret.txt"), "not yours");
        Injector injector = new CliHarness(HostileInputTest.ENV).injector();
        try (RunStore store = injector.getInstance(RunStoreFactory.class).create("sqlite:///" + root.resolve("a/b/c/mlruns.db"))) {
            RunId id = store.createRun(new CreateRunRequest(store.getOrCreateExperiment("hostile").id(), "hostile", "tester",
                    System.currentTimeMillis(), List.of())).runId();
            store.logBatch(id, List.of(new Metric("seed", 1, 1, 0)), List.of(new Param("seeded", "1")), List.of(new Tag("t", "1")));
            String artifactUri = artifactRoot.toUri().toString();
            ArtifactStore artifacts = injector.getInstance(SwitchingArtifactStore.class).forUri(artifactUri);
            Run before = store.getRun(id).orElseThrow();
            var files = HostileInputTest.snapshot(root);

            CropcastException e = catchThrowableOfType(CropcastException.class,
                    () -> hostile.call().apply(store, id, artifacts, artifactUri, file));

            assertThat(e).as("refused").isNotNull();
            assertThat(e.category()).as(e.getMessage()).isEqualTo(ErrorCategory.USER_INPUT);
            String message = org.cropcast.tracking.Redactor.truncateForMessage(e.getMessage());
            assertThat(message).doesNotContain("\n").contains(hostile.culprit()).doesNotContain(SECRET);
            assertThat(store.getRun(id).orElseThrow().data()).as("recorded data unchanged").isEqualTo(before.data());
            assertThat(store.getMetricHistory(id, "fine")).isEmpty();
            assertThat(HostileInputTest.changes(files, HostileInputTest.snapshot(root))).as("files changed").isEmpty();
        }
        HostileInputTest.assertNoSecretIn(root);
    }

    @Test
    void nanAndInfiniteMetricsAreStoredAsMlflowStoresThem() {
        try (RunStore store = new CliHarness(Map.of()).injector().getInstance(RunStoreFactory.class)
                .create("sqlite:///" + root.resolve("mlruns.db"))) {
            RunId id = store.createRun(new CreateRunRequest(store.getOrCreateExperiment("nan").id(), "nan", "tester", 1, List.of())).runId();
            store.logBatch(id, List.of(new Metric("m", Double.NaN, 1, 0), new Metric("m", Double.POSITIVE_INFINITY, 2, 1),
                    new Metric("m", Double.NEGATIVE_INFINITY, 3, 2)), List.of(), List.of());
            assertThat(store.getMetricHistory(id, "m")).extracting(Metric::value)
                    .containsExactly(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
        }
    }
}
