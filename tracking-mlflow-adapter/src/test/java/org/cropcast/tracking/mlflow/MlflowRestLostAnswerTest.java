package org.cropcast.tracking.mlflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.cropcast.tracking.CreateRunRequest;
import org.cropcast.tracking.ExperimentId;
import org.cropcast.tracking.LifecycleStage;
import org.cropcast.tracking.Run;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunSearch;
import org.cropcast.tracking.RunStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service;

/**
 * A create-run request reaches the real {@code mlflow server}, which makes the run, but its answer
 * is lost on the way back (a proxy drops the connection): the retry makes a second run, and the
 * store retires the first one, so no empty run is left RUNNING.
 */
class MlflowRestLostAnswerTest {
    private HttpServer proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.stop(0);
        }
    }

    /** Forwards everything to the server; the answers of the first {@code dropped} creates are dropped after the server acted. */
    private String proxyTo(String server, int dropped, AtomicInteger creates) throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        proxy.createContext("/", (HttpExchange exchange) -> {
            try {
                byte[] body = exchange.getRequestBody().readAllBytes();
                HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(server + exchange.getRequestURI()))
                        .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
                String type = exchange.getRequestHeaders().getFirst("Content-Type");
                if (type != null) {
                    forward.header("Content-Type", type);
                }
                HttpResponse<byte[]> answer = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
                if (exchange.getRequestURI().getPath().endsWith("/runs/create") && creates.incrementAndGet() <= dropped) {
                    exchange.close(); // the server made the run; its answer never reaches the client
                    return;
                }
                answer.headers().firstValue("Content-Type").ifPresent(v -> exchange.getResponseHeaders().add("Content-Type", v));
                exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer.body());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.close();
            }
        });
        proxy.start();
        return "http://127.0.0.1:" + proxy.getAddress().getPort();
    }

    @Test
    void aRetriedCreateWhoseFirstAnswerWasLostLeavesOneLiveRun() throws Exception {
        MlflowServerProcess server = SharedMlflowServer.get();
        AtomicInteger creates = new AtomicInteger();
        String viaProxy = proxyTo(server.trackingUri(), 1, creates);
        MlflowRestSettings settings = MlflowRestSettings.fromEnvironment(Map.of())
                .withRetries(5, Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(30));
        MlflowRestRunStore flaky = MlflowRestRunStore.open(viaProxy, settings);
        MlflowRestRunStore direct = MlflowRestRunStore.open(server.trackingUri(), MlflowRestSettings.defaults());

        ExperimentId experiment = flaky.getOrCreateExperiment("lost-answer-" + System.nanoTime()).id();
        RunId kept = flaky.createRun(new CreateRunRequest(experiment, "fold-0", "alice", 1_700_000_000_000L, List.of())).runId();

        assertThat(creates).as("the server received the create twice").hasValue(2);
        Run live = direct.getRun(kept).orElseThrow();
        assertThat(live.info().status()).isEqualTo(RunStatus.RUNNING);
        assertThat(live.info().lifecycleStage()).isEqualTo(LifecycleStage.ACTIVE);
        String requestId = live.data().tags().get(MlflowRestRunStore.CREATE_REQUEST_TAG);
        assertThat(requestId).matches("[0-9a-f]{32}");

        List<Service.Run> made = allRunsWithRequestId(server.trackingUri(), experiment, requestId);
        assertThat(made).hasSize(2);
        Service.RunInfo extra = made.stream().map(Service.Run::getInfo).filter(i -> !i.getRunId().equals(kept.value())).findFirst().orElseThrow();
        assertThat(extra.getStatus()).isEqualTo(Service.RunStatus.FAILED);
        assertThat(extra.getLifecycleStage()).isEqualTo("deleted");
        assertThat(extra.getEndTime()).isPositive();
        Run retired = direct.getRun(RunId.of(extra.getRunId())).orElseThrow();
        assertThat(retired.data().tags()).containsEntry(MlflowRestRunStore.DUPLICATE_OF_TAG, kept.value());

        assertThat(direct.searchRuns(RunSearch.all(experiment))).extracting(r -> r.info().runId()).containsExactly(kept);
    }

    @Test
    void aCreateAnsweredAtOnceMakesOneRunAndLooksForNoDuplicate() throws Exception {
        MlflowServerProcess server = SharedMlflowServer.get();
        AtomicInteger creates = new AtomicInteger();
        String viaProxy = proxyTo(server.trackingUri(), 0, creates);
        MlflowRestRunStore store = MlflowRestRunStore.open(viaProxy, MlflowRestSettings.defaults());
        ExperimentId experiment = store.getOrCreateExperiment("answered-" + System.nanoTime()).id();
        RunId run = store.createRun(new CreateRunRequest(experiment, "fold-0", "alice", 1_700_000_000_000L, List.of())).runId();

        assertThat(creates).hasValue(1);
        String requestId = store.getRun(run).orElseThrow().data().tags().get(MlflowRestRunStore.CREATE_REQUEST_TAG);
        assertThat(allRunsWithRequestId(server.trackingUri(), experiment, requestId))
                .extracting(r -> r.getInfo().getRunId()).containsExactly(run.value());
    }

    private static List<Service.Run> allRunsWithRequestId(String server, ExperimentId experiment, String requestId) {
        MlflowRestClient client = new MlflowRestConnections(MlflowRestSettings.defaults()).client(server);
        return client.post("/api/2.0/mlflow/runs/search", Service.SearchRuns.newBuilder()
                        .addExperimentIds(experiment.value())
                        .setRunViewType(Service.ViewType.ALL)
                        .setFilter("tags.`" + MlflowRestRunStore.CREATE_REQUEST_TAG + "` = '" + requestId + "'"),
                Service.SearchRuns.Response.newBuilder()).getRunsList();
    }
}
