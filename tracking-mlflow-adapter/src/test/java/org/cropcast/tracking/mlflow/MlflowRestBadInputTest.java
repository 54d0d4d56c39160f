package org.cropcast.tracking.mlflow;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.cropcast.tracking.CreateRunRequest;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.ErrorCategory;
import org.cropcast.tracking.ErrorCode;
import org.cropcast.tracking.Experiment;
import org.cropcast.tracking.ExperimentId;
import org.cropcast.tracking.LocalStorage;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunInfo;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.StorageArtifactStore;
import org.cropcast.tracking.TrackingErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input and unreachable or misconfigured servers: one-line errors naming the (redacted) URI and the cause. */
class MlflowRestBadInputTest {
    private final MlflowServerProcess server = SharedMlflowServer.get();

    @TempDir
    Path dir;

    private static MlflowRestRunStoreFactory factory(MlflowRestSettings settings) {
        return new MlflowRestRunStoreFactory(new MlflowRestConnections(settings));
    }

    private static MlflowRestSettings quickRetries() {
        return MlflowRestSettings.defaults().withRetries(2, Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofSeconds(10));
    }

    private static void assertOneLineError(ThrowingCallable call, ErrorCode code, String... parts) {
        assertThatThrownBy(call).isInstanceOfSatisfying(CropcastException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(code);
            assertThat(e.getMessage()).doesNotContain("\n");
            for (String part : parts) {
                assertThat(e.getMessage()).contains(part);
            }
        });
    }

    @Test
    void unreachableServer() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String uri = "http://127.0.0.1:" + port;
        RunStore store = factory(quickRetries()).create(uri);
        assertOneLineError(() -> store.getOrCreateExperiment("x"), MlflowRestErrorCode.SERVER_UNREACHABLE, uri, "cannot connect", "3 attempts");
        assertThat(MlflowRestErrorCode.SERVER_UNREACHABLE.category()).isEqualTo(ErrorCategory.EXTERNAL_SYSTEM);
    }

    @Test
    void unknownHostIsNotRetried() {
        RunStore store = factory(MlflowRestSettings.defaults()).create("https://cropcast-no-such-host.invalid:5000");
        assertOneLineError(() -> store.listExperiments(), MlflowRestErrorCode.SERVER_UNREACHABLE,
                "https://cropcast-no-such-host.invalid:5000", "unknown host");
    }

    @Test
    void wrongSchemesAndCredentialsInTheUri() {
        MlflowRestRunStoreFactory factory = factory(MlflowRestSettings.defaults());
        assertOneLineError(() -> factory.create("ftp://example.org/mlflow"), MlflowRestErrorCode.INVALID_TRACKING_URI, "ftp://example.org/mlflow", "http://");
        assertOneLineError(() -> factory.create("sqlite:///tmp/mlruns.db"), MlflowRestErrorCode.INVALID_TRACKING_URI, "sqlite:///tmp/mlruns.db");
        assertOneLineError(() -> factory.create("http:///no-host"), MlflowRestErrorCode.INVALID_TRACKING_URI, "no host");
        assertThatThrownBy(() -> factory.create("https://bob:hunter2@mlflow.example.org"))
                .isInstanceOfSatisfying(CropcastException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(MlflowRestErrorCode.INVALID_TRACKING_URI);
                    assertThat(e.category()).isEqualTo(ErrorCategory.USER_INPUT);
                    assertThat(e.getMessage()).doesNotContain("hunter2").contains("MLFLOW_TRACKING_USERNAME");
                });
    }

    @Test
    void tlsFailureAgainstAPlainHttpPort() {
        String uri = server.trackingUri().replace("http://", "https://");
        RunStore store = factory(MlflowRestSettings.defaults()).create(uri);
        assertOneLineError(() -> store.listExperiments(), MlflowRestErrorCode.TLS_FAILURE, uri, "MLFLOW_TRACKING_INSECURE_TLS");
    }

    @Test
    void aUriThatIsNotAnMlflowServer() {
        String uri = server.trackingUri() + "/not/mlflow";
        RunStore store = factory(quickRetries()).create(uri);
        assertOneLineError(() -> store.listExperiments(), MlflowRestErrorCode.NOT_AN_MLFLOW_SERVER, uri, "404");
    }

    @Test
    void missingAndDeletedRunsAndExperimentsNameTheServer() {
        RunStore store = factory(MlflowRestSettings.defaults()).create(server.trackingUri());
        RunId missing = RunId.of("feedfacefeedfacefeedfacefeedface");
        assertOneLineError(() -> store.reopenRun(missing), TrackingErrorCode.RUN_NOT_FOUND, missing.value(), server.trackingUri());
        assertOneLineError(() -> store.createRun(new CreateRunRequest(ExperimentId.of("424242"), "r", "u", 1, List.of())),
                TrackingErrorCode.EXPERIMENT_NOT_FOUND, "424242", server.trackingUri());
        Experiment experiment = store.getOrCreateExperiment("bad-input");
        RunInfo run = store.createRun(new CreateRunRequest(experiment.id(), "r", "u", 1, List.of()));
        store.deleteRun(run.runId());
        assertOneLineError(() -> store.logBatch(run.runId(), List.of(new Metric("m", 1, 1, 0)), List.of(), List.of()),
                TrackingErrorCode.INVALID_RUN_STATE, run.runId().value(), server.trackingUri());
        assertOneLineError(() -> store.endRun(run.runId(), org.cropcast.tracking.RunStatus.FAILED, 2),
                TrackingErrorCode.INVALID_RUN_STATE, run.runId().value());
    }

    @Test
    void unsupportedArtifactUris() {
        MlflowArtifactsArtifactStore artifacts = new MlflowArtifactsArtifactStore(new MlflowRestConnections(MlflowRestSettings.defaults()));
        assertThat(artifacts.supports("s3://bucket/x")).isFalse();
        assertOneLineError(() -> artifacts.list("mlflow-artifacts:/1/abc/artifacts", ""), MlflowRestErrorCode.UNSUPPORTED_ARTIFACT_URI,
                "no http(s) tracking URI is in use");
        assertOneLineError(() -> artifacts.list("mlflow-artifacts:/1/../../etc", ""), TrackingErrorCode.INVALID_ARTIFACT_PATH, "..");
    }

    /**
     * A server run with {@code --no-serve-artifacts}: its runs get a local artifact root, served by
     * core's storage artifact store; the proxy endpoints answer 503, reported at once (not retried).
     */
    @Test
    void serverWithoutArtifactServing() throws Exception {
        Path root = Files.createDirectories(dir.resolve("artifact-root"));
        try (MlflowServerProcess plain = MlflowServerProcess.builder(dir.resolve("server")).serveArtifacts(false)
                .extraArgs("--default-artifact-root", root.toUri().toString()).start()) {
            MlflowRestConnections connections = new MlflowRestConnections(MlflowRestSettings.defaults());
            RunStore store = new MlflowRestRunStoreFactory(connections).create(plain.trackingUri());
            Experiment experiment = store.getOrCreateExperiment("local-root");
            RunInfo run = store.createRun(new CreateRunRequest(experiment.id(), "r", "u", 1, List.of()));
            assertThat(run.artifactUri()).startsWith(root.toUri().toString().replaceAll("/$", ""));

            MlflowArtifactsArtifactStore proxy = new MlflowArtifactsArtifactStore(connections);
            Path file = Files.writeString(dir.resolve("a.txt"), "local", UTF_8);
            assertOneLineError(() -> proxy.logFile("mlflow-artifacts:/" + experiment.id() + "/" + run.runId() + "/artifacts", file, ""),
                    MlflowRestErrorCode.ARTIFACT_SERVING_DISABLED, plain.trackingUri(), "--no-serve-artifacts");

            StorageArtifactStore local = new StorageArtifactStore(new LocalStorage());
            assertThat(local.supports(run.artifactUri())).isTrue();
            local.logFile(run.artifactUri(), file, "docs");
            try (InputStream in = local.open(run.artifactUri(), "docs/a.txt")) {
                assertThat(new String(in.readAllBytes(), UTF_8)).isEqualTo("local");
            }
            MlflowPython.Result listed = MlflowPython.runScript(String.join("\n",
                    "import sys", "from mlflow import MlflowClient",
                    "print([f.path for f in MlflowClient(tracking_uri=sys.argv[1]).list_artifacts(sys.argv[2], 'docs')])", ""),
                    List.of(plain.trackingUri(), run.runId().value()), Map.of(), Duration.ofMinutes(2)).requireSuccess();
            assertThat(listed.stdout()).contains("['docs/a.txt']");
        }
    }
}
