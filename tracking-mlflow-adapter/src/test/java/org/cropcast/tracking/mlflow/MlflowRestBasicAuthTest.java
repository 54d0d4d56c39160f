package org.cropcast.tracking.mlflow;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.cropcast.tracking.CreateRunRequest;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.ErrorCategory;
import org.cropcast.tracking.Experiment;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.RunInfo;
import org.cropcast.tracking.RunStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's {@code basic-auth} app: right credentials work, wrong ones fail clearly without echoing a secret. */
class MlflowRestBasicAuthTest {
    private static final String ADMIN = "admin";
    private static final String ADMIN_PASSWORD = "Adm1n-S3cret-Pass";
    private static final String READER = "reader";
    private static final String READER_PASSWORD = "Re4der-S3cret-Pass";

    @TempDir
    static Path dir;

    private static MlflowServerProcess server;

    @BeforeAll
    static void startServer() throws Exception {
        server = MlflowServerProcess.builder(dir.resolve("server")).basicAuth(ADMIN, ADMIN_PASSWORD).start();
        // a second user; the app's default permission (READ) lets it read but not write others' experiments
        HttpRequest create = HttpRequest.newBuilder(URI.create(server.trackingUri() + "/api/2.0/mlflow/users/create"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((ADMIN + ":" + ADMIN_PASSWORD).getBytes(UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + READER + "\",\"password\":\"" + READER_PASSWORD + "\"}"))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(create, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        server.stop();
    }

    private static MlflowRestConnections connections(Map<String, String> env) {
        return new MlflowRestConnections(MlflowRestSettings.fromEnvironment(env));
    }

    @Test
    void rightCredentialsWorkForTrackingAndArtifacts() throws Exception {
        MlflowRestConnections connections = connections(Map.of("MLFLOW_TRACKING_USERNAME", ADMIN, "MLFLOW_TRACKING_PASSWORD", ADMIN_PASSWORD));
        RunStore store = new MlflowRestRunStoreFactory(connections).create(server.trackingUri());
        Experiment experiment = store.getOrCreateExperiment("secured");
        RunInfo run = store.createRun(new CreateRunRequest(experiment.id(), "r", ADMIN, 1L, List.of()));
        store.logBatch(run.runId(), List.of(new Metric("m", 1, 1, 0)), List.of(), List.of());
        Path file = Files.writeString(dir.resolve("note.txt"), "secured artifact", UTF_8);
        MlflowArtifactsArtifactStore artifacts = new MlflowArtifactsArtifactStore(connections);
        artifacts.logFile(run.artifactUri(), file, "");
        try (InputStream in = artifacts.open(run.artifactUri(), "note.txt")) {
            assertThat(new String(in.readAllBytes(), UTF_8)).isEqualTo("secured artifact");
        }
        assertThat(store.getRun(run.runId()).orElseThrow().data().latestMetrics()).containsKey("m");
    }

    @Test
    void wrongPasswordIsAClearAuthenticationErrorWithoutTheSecret() {
        String wrong = "Wr0ng-Guess-Pass";
        RunStore store = new MlflowRestRunStoreFactory(connections(Map.of("MLFLOW_TRACKING_USERNAME", ADMIN, "MLFLOW_TRACKING_PASSWORD", wrong)))
                .create(server.trackingUri());
        assertThatThrownBy(() -> store.getOrCreateExperiment("x"))
                .isInstanceOfSatisfying(CropcastException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(MlflowRestErrorCode.AUTHENTICATION_FAILED);
                    assertThat(e.category()).isEqualTo(ErrorCategory.USER_INPUT);
                    assertThat(e.getMessage()).contains(server.trackingUri()).contains("401").contains("MLFLOW_TRACKING_PASSWORD")
                            .doesNotContain(wrong).doesNotContain(ADMIN_PASSWORD).doesNotContain("\n")
                            .doesNotContain(Base64.getEncoder().encodeToString((ADMIN + ":" + wrong).getBytes(UTF_8)));
                });
    }

    @Test
    void missingCredentialsAndBearerTokensAreRejected() {
        for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of("MLFLOW_TRACKING_TOKEN", "not-a-valid-t0ken"))) {
            RunStore store = new MlflowRestRunStoreFactory(connections(env)).create(server.trackingUri());
            assertThatThrownBy(() -> store.listExperiments())
                    .isInstanceOfSatisfying(CropcastException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(MlflowRestErrorCode.AUTHENTICATION_FAILED);
                        assertThat(e.getMessage()).contains(server.trackingUri()).doesNotContain("not-a-valid-t0ken");
                    });
        }
    }

    @Test
    void aUserWithoutWritePermissionGetsPermissionDenied() {
        RunStore admin = new MlflowRestRunStoreFactory(connections(Map.of("MLFLOW_TRACKING_USERNAME", ADMIN, "MLFLOW_TRACKING_PASSWORD", ADMIN_PASSWORD)))
                .create(server.trackingUri());
        Experiment experiment = admin.getOrCreateExperiment("admins-only");
        RunInfo run = admin.createRun(new CreateRunRequest(experiment.id(), "r", ADMIN, 1L, List.of()));
        RunStore reader = new MlflowRestRunStoreFactory(connections(Map.of("MLFLOW_TRACKING_USERNAME", READER, "MLFLOW_TRACKING_PASSWORD", READER_PASSWORD)))
                .create(server.trackingUri());
        assertThat(reader.getRun(run.runId())).isPresent();
        assertThatThrownBy(() -> reader.logBatch(run.runId(), List.of(new Metric("m", 1, 1, 0)), List.of(), List.of()))
                .isInstanceOfSatisfying(CropcastException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(MlflowRestErrorCode.PERMISSION_DENIED);
                    assertThat(e.getMessage()).contains(server.trackingUri()).contains("403").contains("'reader'")
                            .doesNotContain(READER_PASSWORD);
                });
    }
}
