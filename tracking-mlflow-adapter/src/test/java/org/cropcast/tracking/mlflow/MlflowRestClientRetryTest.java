package org.cropcast.tracking.mlflow;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.ErrorCategory;
import org.cropcast.tracking.RunStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The retry and error policy of the HTTP layer, against a scripted local HTTP server (the real
 * {@code mlflow server} cannot be made to answer 429 or 503 on demand).
 */
class MlflowRestClientRetryTest {
    private static final String EXPERIMENT = "{\"experiment\":{\"experiment_id\":\"7\",\"name\":\"e\",\"artifact_location\":\"mlflow-artifacts:/7\",\"lifecycle_stage\":\"active\"}}";

    private HttpServer http;
    private final AtomicInteger calls = new AtomicInteger();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    private record Answer(int status, String body, Map<String, String> headers) {}

    private String serve(IntFunction<Answer> script) throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", (HttpExchange exchange) -> {
            exchange.getRequestBody().readAllBytes();
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            Answer answer = script.apply(calls.incrementAndGet());
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] body = answer.body().getBytes(UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.start();
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (http != null) {
            http.stop(0);
        }
    }

    private static RunStore store(String uri, Map<String, String> env, int retries) {
        MlflowRestSettings settings = MlflowRestSettings.fromEnvironment(env)
                .withRetries(retries, Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(30));
        return new MlflowRestRunStoreFactory(new MlflowRestConnections(settings)).create(uri);
    }

    @Test
    void rateLimitIsRetriedHonouringRetryAfter() throws IOException {
        String uri = serve(n -> n <= 2
                ? new Answer(429, "{\"error_code\":\"REQUEST_LIMIT_EXCEEDED\",\"message\":\"slow down\"}", Map.of("Retry-After", "1"))
                : new Answer(200, EXPERIMENT, Map.of()));
        long start = System.nanoTime();
        assertThat(store(uri, Map.of(), 5).findExperiment("e")).isPresent();
        assertThat(calls).hasValue(3);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("two Retry-After: 1 waits").isGreaterThanOrEqualTo(Duration.ofMillis(1_500));
    }

    @Test
    void serverErrorsAreRetriedThenReportedWithMlflowsErrorCode() throws IOException {
        String uri = serve(n -> new Answer(503, "{\"error_code\":\"TEMPORARILY_UNAVAILABLE\",\"message\":\"database is locked\"}", Map.of()));
        assertThatThrownBy(() -> store(uri, Map.of(), 3).findExperiment("e"))
                .isInstanceOfSatisfying(CropcastException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(MlflowRestErrorCode.SERVER_ERROR);
                    assertThat(e.category()).isEqualTo(ErrorCategory.EXTERNAL_SYSTEM);
                    assertThat(e.getMessage()).contains(uri).contains("503").contains("TEMPORARILY_UNAVAILABLE").contains("database is locked");
                });
        assertThat(calls).hasValue(4);
    }

    @Test
    void clientErrorsAreNotRetried() throws IOException {
        String uri = serve(n -> new Answer(400, "{\"error_code\":\"INVALID_PARAMETER_VALUE\",\"message\":\"Invalid value for 'x'\"}", Map.of()));
        assertThatThrownBy(() -> store(uri, Map.of(), 5).listExperiments())
                .isInstanceOfSatisfying(CropcastException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(MlflowRestErrorCode.REQUEST_REJECTED);
                    assertThat(e.category()).isEqualTo(ErrorCategory.USER_INPUT);
                    assertThat(e.getMessage()).contains("INVALID_PARAMETER_VALUE").contains("Invalid value for 'x'").doesNotContain("\n");
                });
        assertThat(calls).hasValue(1);
    }

    @Test
    void credentialsGoInTheAuthorizationHeaderAsPythonMlflowSendsThem() throws IOException {
        String uri = serve(n -> new Answer(200, EXPERIMENT, Map.of()));
        store(uri, Map.of("MLFLOW_TRACKING_USERNAME", "ann", "MLFLOW_TRACKING_PASSWORD", "pw", "MLFLOW_TRACKING_TOKEN", "tk"), 0).findExperiment("e");
        store(uri, Map.of("MLFLOW_TRACKING_TOKEN", "tk"), 0).findExperiment("e");
        store(uri, Map.of(), 0).findExperiment("e");
        assertThat(authorizations).containsExactly("Basic YW5uOnB3", "Bearer tk", "null");
    }

    @Test
    void settingsNeverShowSecrets() {
        MlflowRestSettings settings = MlflowRestSettings.fromEnvironment(
                Map.of("MLFLOW_TRACKING_USERNAME", "ann", "MLFLOW_TRACKING_PASSWORD", "pa55word", "MLFLOW_TRACKING_TOKEN", "t0ken"));
        assertThat(settings.toString()).contains("ann").doesNotContain("pa55word").doesNotContain("t0ken");
        assertThatThrownBy(() -> MlflowRestSettings.fromEnvironment(Map.of("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "many")))
                .isInstanceOfSatisfying(CropcastException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(MlflowRestErrorCode.INVALID_SETTING);
                    assertThat(e.getMessage()).contains("MLFLOW_HTTP_REQUEST_MAX_RETRIES").contains("many");
                });
    }
}
