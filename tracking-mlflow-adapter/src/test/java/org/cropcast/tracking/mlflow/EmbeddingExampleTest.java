package org.cropcast.tracking.mlflow;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/EMBEDDING.md's example, taken out of the document, compiled with javax.tools and run in a
 * fresh JVM on this module's runtime class path alone (as Maven computes it: no test or provided
 * scope), which holds no Guice and no picocli; the pinned Python MLflow then reads the run it wrote.
 */
class EmbeddingExampleTest {
    private static final Pattern EXAMPLE = Pattern.compile(
            "<!-- embedding-example:[^>]*-->\\s*```java\\n(.*?)```", Pattern.DOTALL);
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path work;

    private static List<Path> runtimeClassPath;
    private static Path compiled;

    @BeforeAll
    static void compileTheExampleOnTheRuntimeClassPath() throws IOException {
        runtimeClassPath = runtimeClassPath();
        compiled = Files.createDirectories(work.resolve("classes"));
        Path source = Files.createDirectories(work.resolve("src")).resolve("TrackTraining.java");
        Files.writeString(source, example(), UTF_8);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        boolean ok = compiler.getTask(diagnostics, null, null,
                List.of("--release", "17", "-Xlint:all", "-Werror", "-classpath", joined(runtimeClassPath), "-d", compiled.toString()),
                null, compiler.getStandardFileManager(null, null, UTF_8).getJavaFileObjects(source)).call();
        assertThat(ok).as("the example compiles without warnings:\n%s", diagnostics).isTrue();
    }

    @Test
    void theRuntimeClassPathHoldsCoreTheAdapterAndTheirDependenciesButNoGuiceOrPicocli() throws IOException {
        List<String> names = runtimeClassPath.stream().map(p -> p.getFileName().toString()).toList();
        assertThat(names).anyMatch(n -> n.startsWith("sqlite-jdbc-")).anyMatch(n -> n.startsWith("mlflow-client-"))
                .anyMatch(n -> n.startsWith("slf4j-api-"));
        assertThat(runtimeClassPath).anyMatch(p -> p.toString().contains("tracking-core"))
                .anyMatch(p -> p.equals(Path.of(System.getProperty("cropcast.module.classes"))));
        for (Path entry : runtimeClassPath) {
            for (String banned : List.of("com/google/inject/Guice.class", "picocli/CommandLine.class", "com/google/common/base/Preconditions.class")) {
                assertThat(contains(entry, banned)).as("%s holds %s", entry, banned).isFalse();
            }
        }
        assertThat(names).noneMatch(n -> n.startsWith("guice-") || n.startsWith("picocli-") || n.startsWith("logback-"));
    }

    @Test
    void theExampleWritesARunThatPythonMlflowReads() throws Exception {
        Path db = work.resolve("mlruns.db");
        String uri = "sqlite:///" + db.toAbsolutePath();
        Result result = runExample(uri);
        assertThat(result.exit()).as("stderr: %s", result.stderr()).isZero();
        String runId = result.stdout().strip();
        assertThat(runId).matches("[0-9a-f]{32}");

        String script = """
                import sys
                from mlflow import MlflowClient
                client = MlflowClient(tracking_uri=sys.argv[1])
                run = client.get_run(sys.argv[2])
                exp = client.get_experiment(run.info.experiment_id)
                print("run", exp.name, run.info.run_name, run.info.status)
                for k in sorted(run.data.params): print("param", k, run.data.params[k])
                print("tag tool", run.data.tags.get("tool"))
                print("loss", " ".join(repr(m.value) + "@" + str(m.step) for m in client.get_metric_history(run.info.run_id, "loss")))
                print("final_loss", repr(run.data.metrics["final_loss"]))
                def walk(path):
                    for f in client.list_artifacts(run.info.run_id, path):
                        if f.is_dir: walk(f.path)
                        else: print("artifact", f.path)
                walk(None)
                """;
        String out = MlflowPython.runScript(script, List.of(uri, runId), Map.of(), TIMEOUT).requireSuccess().stdout();
        assertThat(out).contains("run embedding-example toy-training FINISHED", "param epochs 5", "param learning_rate 0.1",
                "tag tool TrackTraining", "loss 0.5@0 0.25@1 0.125@2 0.0625@3 0.03125@4", "final_loss 0.03125",
                "artifact model/MLmodel", "artifact model/weights.txt");
        assertThat(out).containsPattern("artifact toy-model[0-9]+-summary\\.txt");
    }

    @Test
    void anUnknownSchemeIsOneLineListingTheSchemesFoundAndExitCode2() throws Exception {
        Result result = runExample("postgresql://user:hunter2@db/mlflow");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.stderr().strip()).startsWith("TrackTraining: the tracking URI").doesNotContain("\n")
                .contains("'postgresql'", "schemes found on the class path: http, https, memory, sqlite").doesNotContain("hunter2");
        assertThat(result.stdout()).isEmpty();
    }

    private record Result(int exit, String stdout, String stderr) {}

    private static Result runExample(String... args) throws IOException, InterruptedException {
        List<Path> classPath = new ArrayList<>(runtimeClassPath);
        classPath.add(compiled);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", joined(classPath), "TrackTraining"));
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("MLFLOW_") || k.startsWith("AWS_"));
        Path stdout = Files.createTempFile(work, "out", ".txt");
        Path stderr = Files.createTempFile(work, "err", ".txt");
        Process process = builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the example did not finish within " + TIMEOUT);
        }
        return new Result(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
    }

    /** The one java block after the marker in docs/EMBEDDING.md. */
    private static String example() throws IOException {
        Path doc = Path.of(System.getProperty("cropcast.project.dir"), "docs", "EMBEDDING.md");
        Matcher m = EXAMPLE.matcher(Files.readString(doc, UTF_8));
        assertThat(m.find()).as("%s has the marked example", doc).isTrue();
        return m.group(1);
    }

    /** The jars Maven resolved for this module's runtime scope, then this module's own classes. */
    private static List<Path> runtimeClassPath() throws IOException {
        Path file = Path.of(System.getProperty("cropcast.runtime.classpath.file"));
        List<Path> entries = new ArrayList<>();
        for (String entry : Files.readString(file, UTF_8).strip().split(Pattern.quote(File.pathSeparator))) {
            entries.add(Path.of(entry));
        }
        entries.add(Path.of(System.getProperty("cropcast.module.classes")));
        return List.copyOf(entries);
    }

    private static boolean contains(Path entry, String resource) throws IOException {
        if (Files.isDirectory(entry)) {
            return Files.exists(entry.resolve(resource));
        }
        try (JarFile jar = new JarFile(entry.toFile())) {
            return jar.getEntry(resource) != null;
        }
    }

    private static String joined(List<Path> entries) {
        return String.join(File.pathSeparator, entries.stream().map(Path::toString).toList());
    }
}
