package org.cropcast.tracking.mlflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Optional;
import org.cropcast.tracking.CreateRunRequest;
import org.cropcast.tracking.LoggedModel;
import org.cropcast.tracking.LoggedModelRequest;
import org.cropcast.tracking.LoggedModelStatus;
import org.cropcast.tracking.ModelId;
import org.cropcast.tracking.ModelStore;
import org.cropcast.tracking.ModelVersion;
import org.cropcast.tracking.RunStore;
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
    private ForwardingProxy proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    /** Forwards everything to the server; the answers of the first {@code dropped} run creates are dropped after the server acted. */
    private String proxyTo(String server, int dropped, AtomicInteger creates) throws IOException {
        proxy = ForwardingProxy.start(server, ForwardingProxy.droppingFirstAnswers("/runs/create", dropped, creates));
        return proxy.uri();
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

    /**
     * The same for a logged model: the first create's answer is lost, the retry makes a second
     * model; the first is found by its request id tag and finalized FAILED and deleted, so no
     * PENDING orphan is left, and the experiment's models are the one the caller got.
     */
    @Test
    void aRetriedLoggedModelCreateLeavesNoPendingOrphan() throws Exception {
        MlflowServerProcess server = SharedMlflowServer.get();
        AtomicInteger creates = new AtomicInteger();
        MlflowRestConnections connections = retryingThroughProxy(server, "/mlflow/logged-models", creates);
        try (RunStore runs = new MlflowRestRunStoreFactory(connections).create(proxy.uri());
                ModelStore models = new MlflowRestModelStoreFactory(connections).create(proxy.uri(), runs)) {
            ExperimentId experiment = runs.getOrCreateExperiment("lost-model-answer-" + System.nanoTime()).id();
            RunId run = runs.createRun(new CreateRunRequest(experiment, "fit", "alice", 1_700_000_000_000L, List.of())).runId();
            LoggedModel kept = models.createLoggedModel(new LoggedModelRequest(experiment, "production", Optional.of(run),
                    Optional.of("cropcast"), Map.of("detrend", "linear"), Map.of("cropcast.stage", "fit-production")));

            assertThat(creates).as("the server received the create twice").hasValue(2);
            assertThat(kept.status()).isEqualTo(LoggedModelStatus.PENDING);
            String requestId = kept.tags().get(MlflowRestRunStore.CREATE_REQUEST_TAG);
            assertThat(requestId).matches("[0-9a-f]{32}");
            // Python MLflow sees one model in the experiment, and the orphan FAILED (and deleted) with the kept one named
            MlflowPython.Result read = MlflowPython.runScript("""
                    import sys
                    import mlflow
                    mlflow.set_tracking_uri(sys.argv[1])
                    live = mlflow.search_logged_models(experiment_ids=[sys.argv[2]], output_format="list")
                    print("live", [m.model_id == sys.argv[3] for m in live], [str(m.status) for m in live])
                    """, List.of(server.trackingUri(), experiment.value(), kept.modelId().value()), Map.of(), Duration.ofMinutes(2))
                    .requireSuccess();
            assertThat(read.stdout().lines().toList()).containsExactly("live [True] ['PENDING']");
            LoggedModel orphan = orphanOf(server, experiment, requestId, kept.modelId());
            assertThat(orphan.status()).isEqualTo(LoggedModelStatus.FAILED);
            assertThat(orphan.tags()).containsEntry(MlflowRestRunStore.DUPLICATE_OF_TAG, kept.modelId().value());
        }
    }

    /**
     * The same for a model version: the first version create's answer is lost, the retry makes a
     * second version; the first is found by its request id tag, tagged and deleted, so the
     * registered model holds the one version the caller got (Python MLflow sees only it).
     */
    @Test
    void aRetriedVersionCreateLeavesOneVersion() throws Exception {
        MlflowServerProcess server = SharedMlflowServer.get();
        AtomicInteger creates = new AtomicInteger();
        MlflowRestConnections connections = retryingThroughProxy(server, "/model-versions/create", creates);
        String name = "lost-version-answer-" + System.nanoTime();
        try (RunStore runs = new MlflowRestRunStoreFactory(connections).create(proxy.uri());
                ModelStore models = new MlflowRestModelStoreFactory(connections).create(proxy.uri(), runs)) {
            ExperimentId experiment = runs.getOrCreateExperiment(name).id();
            RunId run = runs.createRun(new CreateRunRequest(experiment, "fit", "alice", 1_700_000_000_000L, List.of())).runId();
            LoggedModel model = models.createLoggedModel(new LoggedModelRequest(experiment, "production", Optional.of(run),
                    Optional.of("cropcast"), Map.of(), Map.of()));
            models.finalizeLoggedModel(model.modelId(), LoggedModelStatus.READY);
            models.createRegisteredModel(name);

            ModelVersion kept = models.createModelVersion(name, model.modelId());

            assertThat(creates).as("the server received the version create twice").hasValue(2);
            assertThat(kept.version()).as("the retry made the second version").isEqualTo(2);
            assertThat(models.listModelVersions(name)).extracting(ModelVersion::version).containsExactly(2);
            MlflowPython.Result read = MlflowPython.runScript("""
                    import sys
                    from mlflow import MlflowClient
                    client = MlflowClient(sys.argv[1])
                    versions = client.search_model_versions(f"name='{sys.argv[2]}'")
                    print("versions", [v.version for v in versions], [v.tags.get(sys.argv[3]) is not None for v in versions])
                    """, List.of(server.trackingUri(), name, MlflowRestRunStore.CREATE_REQUEST_TAG), Map.of(), Duration.ofMinutes(2))
                    .requireSuccess();
            assertThat(read.stdout().lines().toList()).containsExactly("versions ['2'] [True]");
        }
    }

    /** Connections that retry quickly, to a proxy that drops the answer of the first POST to a path ending in {@code suffix}. */
    private MlflowRestConnections retryingThroughProxy(MlflowServerProcess server, String suffix, AtomicInteger creates) throws IOException {
        proxy = ForwardingProxy.start(server.trackingUri(), ForwardingProxy.droppingFirstAnswers(suffix, 1, creates));
        return new MlflowRestConnections(MlflowRestSettings.fromEnvironment(Map.of())
                .withRetries(5, Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(30)));
    }

    /** The other logged model made under {@code requestId}, read from the server's database (deleted models are not served). */
    private static LoggedModel orphanOf(MlflowServerProcess server, ExperimentId experiment, String requestId, ModelId kept)
            throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + server.workDir().resolve("mlflow.db"));
                java.sql.PreparedStatement q = c.prepareStatement("select m.model_id, m.status, m.lifecycle_stage,"
                        + " (select t.tag_value from logged_model_tags t where t.model_id = m.model_id and t.tag_key = ?)"
                        + " from logged_models m join logged_model_tags r on r.model_id = m.model_id"
                        + " where m.experiment_id = ? and r.tag_key = ? and r.tag_value = ? and m.model_id != ?")) {
            q.setString(1, MlflowRestRunStore.DUPLICATE_OF_TAG);
            q.setInt(2, Integer.parseInt(experiment.value()));
            q.setString(3, MlflowRestRunStore.CREATE_REQUEST_TAG);
            q.setString(4, requestId);
            q.setString(5, kept.value());
            try (java.sql.ResultSet r = q.executeQuery()) {
                assertThat(r.next()).as("an orphan made by the first attempt").isTrue();
                assertThat(r.getString(3)).isEqualTo("deleted");
                LoggedModel orphan = new LoggedModel(ModelId.of(r.getString(1)), experiment, "production", "x", 0, 0,
                        LoggedModelStatus.fromNumber(r.getInt(2)), Optional.empty(), Optional.empty(), Map.of(),
                        r.getString(4) == null ? Map.of() : Map.of(MlflowRestRunStore.DUPLICATE_OF_TAG, r.getString(4)), List.of());
                assertThat(r.next()).as("only one orphan").isFalse();
                return orphan;
            }
        }
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
