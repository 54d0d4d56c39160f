package org.cropcast.tracking.mlflow;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.cropcast.tracking.CreateRunRequest;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.Experiment;
import org.cropcast.tracking.ExperimentId;
import org.cropcast.tracking.LifecycleStage;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.Param;
import org.cropcast.tracking.Run;
import org.cropcast.tracking.RunData;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunInfo;
import org.cropcast.tracking.RunSearch;
import org.cropcast.tracking.RunStatus;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.RunStores;
import org.cropcast.tracking.Tag;
import org.cropcast.tracking.TrackingErrorCode;
import org.cropcast.tracking.TrackingLimits;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link RunStore} on an MLflow tracking server, over its REST API ({@code /api/2.0/mlflow/...}),
 * for {@code http://} and {@code https://} tracking URIs. Requests and answers are the protobuf
 * messages of {@code org.mlflow:mlflow-client} ({@link MlflowClient}'s own types), sent by
 * {@link MlflowRestClient} with retries; none of them leaves this class.
 *
 * <p>Batches are split to the server's limits ({@link MlflowRestBatches}); a batch that needs more
 * than one request and carries params is first checked against the run's logged params, so a
 * param conflict writes nothing. Retried requests are safe: the server ignores exact duplicate
 * metric rows, identical params and re-set tags. A batch cut short by a failure after all retries
 * may have been written in part (the server has no multi-request transaction).
 *
 * <p>Run creation is the one call that is not idempotent: when a create is retried because an
 * answer was lost, the earlier attempt may have made a run too. Each create therefore carries a
 * request id tag ({@value #CREATE_REQUEST_TAG}); after a retried create the store looks that id
 * up and retires every other run it finds (tagged {@value #DUPLICATE_OF_TAG}, marked FAILED,
 * deleted), so no empty run is left RUNNING.
 */
public final class MlflowRestRunStore implements RunStore {
    /** Tag naming the createRun call that made a run (random, one per call). */
    public static final String CREATE_REQUEST_TAG = "cropcast.create_request_id";
    /** Tag on a run that a retried create made twice: the id of the run that was kept. */
    public static final String DUPLICATE_OF_TAG = "cropcast.duplicate_of";
    private static final Logger log = LoggerFactory.getLogger(MlflowRestRunStore.class);
    private static final String API = "/api/2.0/mlflow/";
    private static final int SEARCH_PAGE = 1000;
    private static final int HISTORY_PAGE = 25_000;
    private static final String NOT_ACTIVE = "must be in the 'active' state";
    private static final String PARAM_CHANGE = "Changing param values is not allowed";

    private final MlflowRestClient client;
    /** The end time of a duplicate run this store marks FAILED. */
    private final Clock clock;

    MlflowRestRunStore(MlflowRestClient client, Clock clock) {
        this.client = requireNonNull(client, "client is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** A store for one tracking URI, for a tool that builds it directly, with the system clock. */
    public static MlflowRestRunStore open(String trackingUri, MlflowRestSettings settings) {
        return open(trackingUri, settings, Clock.systemUTC());
    }

    /** A store for one tracking URI, for a tool that builds it directly. */
    public static MlflowRestRunStore open(String trackingUri, MlflowRestSettings settings, Clock clock) {
        return new MlflowRestRunStore(new MlflowRestConnections(settings).client(trackingUri), clock);
    }

    @Override
    public Experiment getOrCreateExperiment(String name) {
        TrackingLimits.validateExperimentName(name);
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<Experiment> existing = findExperiment(name);
            if (existing.isPresent()) {
                if (existing.get().lifecycleStage() == LifecycleStage.DELETED) {
                    throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT,
                            "experiment '" + name + "' is deleted on " + client.shownUri() + "; restore it or choose another experiment name");
                }
                return existing.get();
            }
            var created = client.tryPost(API + "experiments/create",
                    Service.CreateExperiment.newBuilder().setName(name), Service.CreateExperiment.Response.newBuilder());
            if (created.value().isPresent()) {
                return getExperiment(answer("experiment id", () -> ExperimentId.of(created.value().get().getExperimentId())))
                        .orElseThrow(() -> new CropcastException(MlflowRestErrorCode.UNEXPECTED_RESPONSE,
                                client.shownUri() + ": experiment '" + name + "' was created but cannot be read back"));
            }
            MlflowRestClient.ApiError error = created.error().orElseThrow();
            if (!error.errorCode().equals("RESOURCE_ALREADY_EXISTS")) {
                throw client.failure("create experiment '" + name + "'", error);
            }
            // another process created it between our lookup and our create: look it up again
        }
        throw new CropcastException(MlflowRestErrorCode.UNEXPECTED_RESPONSE,
                client.shownUri() + ": experiment '" + name + "' neither exists nor can be created");
    }

    @Override
    public Optional<Experiment> findExperiment(String name) {
        requireNonNull(name, "name is null");
        var result = client.tryGet(API + "experiments/get-by-name", Map.of("experiment_name", name),
                Service.GetExperimentByName.Response.newBuilder());
        if (isNotFound(result)) {
            return Optional.empty();
        }
        var found = client.orThrow("find experiment '" + name + "'", result).getExperiment();
        return Optional.of(answer("experiment", () -> toExperiment(found)));
    }

    @Override
    public Optional<Experiment> getExperiment(ExperimentId id) {
        requireNonNull(id, "id is null");
        var result = client.tryGet(API + "experiments/get", Map.of("experiment_id", id.value()),
                Service.GetExperiment.Response.newBuilder());
        if (isNotFound(result)) {
            return Optional.empty();
        }
        var found = client.orThrow("get experiment " + id, result).getExperiment();
        return Optional.of(answer("experiment", () -> toExperiment(found)));
    }

    @Override
    public List<Experiment> listExperiments() {
        List<Experiment> experiments = new ArrayList<>();
        String pageToken = "";
        do {
            Service.SearchExperiments.Builder request = Service.SearchExperiments.newBuilder()
                    .setMaxResults(SEARCH_PAGE)
                    .setViewType(Service.ViewType.ACTIVE_ONLY);
            if (!pageToken.isEmpty()) {
                request.setPageToken(pageToken);
            }
            Service.SearchExperiments.Response.Builder page = client.post(API + "experiments/search", request,
                    Service.SearchExperiments.Response.newBuilder());
            page.getExperimentsList().forEach(e -> experiments.add(answer("experiment", () -> toExperiment(e))));
            pageToken = page.getNextPageToken();
        } while (!pageToken.isEmpty());
        experiments.sort(Comparator.comparing((Experiment e) -> numericOrder(e.id().value())).thenComparing(e -> e.id().value()));
        return List.copyOf(experiments);
    }

    @Override
    public RunInfo createRun(CreateRunRequest request) {
        TrackingLimits.validateRunName(request.runName());
        String requestId = UUID.randomUUID().toString().replace("-", "");
        List<Tag> tags = new ArrayList<>(RunStores.creationTags(request));
        tags.add(new Tag(CREATE_REQUEST_TAG, requestId));
        TrackingLimits.validateBatch(List.of(), List.of(), tags);
        Service.CreateRun.Builder message = Service.CreateRun.newBuilder()
                .setExperimentId(request.experimentId().value())
                .setRunName(request.runName())
                .setUserId(request.userId())
                .setStartTime(request.startTimeMillis());
        tags.forEach(t -> message.addTags(Service.RunTag.newBuilder().setKey(t.key()).setValue(t.value())));
        var result = client.tryPost(API + "runs/create", message, Service.CreateRun.Response.newBuilder());
        if (result.error().isPresent()) {
            MlflowRestClient.ApiError error = result.error().get();
            if (error.errorCode().equals("RESOURCE_DOES_NOT_EXIST")) {
                throw new CropcastException(TrackingErrorCode.EXPERIMENT_NOT_FOUND,
                        "experiment " + request.experimentId() + " does not exist on " + client.shownUri());
            }
            if (error.message().contains(NOT_ACTIVE)) {
                throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT,
                        "experiment " + request.experimentId() + " must be active to create a run in it (" + client.shownUri() + ")");
            }
            throw client.failure("create run in experiment " + request.experimentId(), error);
        }
        RunInfo created = answer("created run", () -> toRunInfo(result.value().get().getRun().getInfo()));
        if (result.retried()) {
            retireDuplicates(request.experimentId(), requestId, created.runId());
        }
        return created;
    }

    /** After a retried create: the runs an earlier attempt made under the same request id are retired. */
    private void retireDuplicates(ExperimentId experiment, String requestId, RunId kept) {
        try {
            Service.SearchRuns.Builder search = Service.SearchRuns.newBuilder()
                    .addExperimentIds(experiment.value())
                    .setRunViewType(Service.ViewType.ALL)
                    .setMaxResults(100)
                    .setFilter("tags.`" + CREATE_REQUEST_TAG + "` = '" + requestId + "'");
            for (Service.Run run : client.post(API + "runs/search", search, Service.SearchRuns.Response.newBuilder()).getRunsList()) {
                String id = run.getInfo().getRunId();
                if (id.equals(kept.value())) {
                    continue;
                }
                client.post(API + "runs/set-tag", Service.SetTag.newBuilder().setRunId(id).setKey(DUPLICATE_OF_TAG).setValue(kept.value()),
                        Service.SetTag.Response.newBuilder());
                client.post(API + "runs/update", Service.UpdateRun.newBuilder().setRunId(id).setStatus(Service.RunStatus.FAILED)
                        .setEndTime(clock.millis()), Service.UpdateRun.Response.newBuilder());
                client.post(API + "runs/delete", Service.DeleteRun.newBuilder().setRunId(id), Service.DeleteRun.Response.newBuilder());
                log.warn("{}: creating a run was retried after a lost answer and made run {} twice; the extra run {} is marked FAILED"
                        + " (tag {}) and deleted", client.shownUri(), kept, id, DUPLICATE_OF_TAG);
            }
        } catch (CropcastException e) {
            log.warn("{}: creating run {} was retried after a lost answer; looking for a duplicate run failed: {}", client.shownUri(), kept,
                    e.getMessage());
        }
    }

    @Override
    public RunInfo reopenRun(RunId runId) {
        Service.UpdateRun.Builder message = Service.UpdateRun.newBuilder()
                .setRunId(runId.value())
                .setStatus(Service.RunStatus.RUNNING);
        var result = client.tryPost(API + "runs/update", message, Service.UpdateRun.Response.newBuilder());
        requireRunWritable(runId, "reopen", result);
        return getRun(runId).map(Run::info).orElseThrow(() -> runNotFound(runId));
    }

    @Override
    public void logBatch(RunId runId, List<Metric> metrics, List<Param> params, List<Tag> tags) {
        requireNonNull(runId, "runId is null");
        TrackingLimits.validateBatch(metrics, params, tags);
        List<Service.LogBatch> requests = MlflowRestBatches.split(runId.value(), metrics, params, tags);
        if (requests.isEmpty()) {
            Run run = getRun(runId).orElseThrow(() -> runNotFound(runId));
            if (run.info().lifecycleStage() != LifecycleStage.ACTIVE) {
                throw runNotActive(runId);
            }
            return;
        }
        if (requests.size() > 1 && !params.isEmpty()) {
            Run run = getRun(runId).orElseThrow(() -> runNotFound(runId));
            if (run.info().lifecycleStage() != LifecycleStage.ACTIVE) {
                throw runNotActive(runId);
            }
            RunStores.checkParamConflicts(runId, run.data().params(), params);
        }
        for (Service.LogBatch request : requests) {
            var result = client.tryPost(API + "runs/log-batch", request, Service.LogBatch.Response.newBuilder());
            if (result.error().isPresent() && result.error().get().message().contains(PARAM_CHANGE)) {
                throw new CropcastException(TrackingErrorCode.PARAM_CONFLICT, "params of run " + runId
                        + " are write-once; the server refused to change them: " + result.error().get().message());
            }
            requireRunWritable(runId, "log a batch to", result);
        }
    }

    @Override
    public void endRun(RunId runId, RunStatus status, long endTimeMillis) {
        RunStores.requireTerminal(status);
        Service.UpdateRun.Builder message = Service.UpdateRun.newBuilder()
                .setRunId(runId.value())
                .setStatus(Service.RunStatus.valueOf(status.name()))
                .setEndTime(endTimeMillis);
        var result = client.tryPost(API + "runs/update", message, Service.UpdateRun.Response.newBuilder());
        requireRunWritable(runId, "end", result);
    }

    @Override
    public Optional<Run> getRun(RunId runId) {
        requireNonNull(runId, "runId is null");
        var result = client.tryGet(API + "runs/get", Map.of("run_id", runId.value()), Service.GetRun.Response.newBuilder());
        if (isNotFound(result)) {
            return Optional.empty();
        }
        var found = client.orThrow("get run " + runId, result).getRun();
        return Optional.of(answer("run", () -> toRun(found)));
    }

    @Override
    public List<Metric> getMetricHistory(RunId runId, String key) {
        requireNonNull(runId, "runId is null");
        requireNonNull(key, "key is null");
        List<Metric> history = new ArrayList<>();
        String pageToken = "";
        do {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("run_id", runId.value());
            query.put("metric_key", key);
            query.put("max_results", Integer.toString(HISTORY_PAGE));
            if (!pageToken.isEmpty()) {
                query.put("page_token", pageToken);
            }
            var result = client.tryGet(API + "metrics/get-history", query, Service.GetMetricHistory.Response.newBuilder());
            if (isNotFound(result)) {
                throw runNotFound(runId);
            }
            Service.GetMetricHistory.Response.Builder page = client.orThrow("get metric history of run " + runId, result);
            page.getMetricsList().forEach(m -> history.add(answer("metric", () -> toMetric(m))));
            pageToken = page.getNextPageToken();
        } while (!pageToken.isEmpty());
        if (history.isEmpty() && getRun(runId).isEmpty()) {
            throw runNotFound(runId);
        }
        history.sort(Comparator.comparingLong(Metric::step).thenComparingLong(Metric::timestampMillis));
        return List.copyOf(history);
    }

    @Override
    public List<Run> searchRuns(RunSearch search) {
        List<Run> runs = new ArrayList<>();
        String pageToken = "";
        do {
            Service.SearchRuns.Builder request = Service.SearchRuns.newBuilder()
                    .addExperimentIds(search.experimentId().value())
                    .setRunViewType(Service.ViewType.ACTIVE_ONLY)
                    .setMaxResults(Math.min(search.maxResults() - runs.size(), RunSearch.MAX_RESULTS_LIMIT));
            // the filter and order-by go to the server as written: it applies MLflow's semantics itself
            if (search.orderBy().isEmpty()) {
                request.addOrderBy("attributes.start_time DESC");
            }
            search.orderBy().forEach(order -> request.addOrderBy(order.text()));
            if (!search.filterText().isEmpty()) {
                request.setFilter(search.filterText());
            }
            if (!pageToken.isEmpty()) {
                request.setPageToken(pageToken);
            }
            Service.SearchRuns.Response.Builder page = client.post(API + "runs/search", request, Service.SearchRuns.Response.newBuilder());
            page.getRunsList().forEach(r -> {
                // a run another tool wrote in a shape cropcast cannot represent is left out, said out loud, not the whole listing
                try {
                    runs.add(answer("run", () -> toRun(r)));
                } catch (CropcastException e) {
                    log.warn("run {} left out of the search: {}", r.getInfo().getRunId(), e.getMessage());
                }
            });
            pageToken = page.getNextPageToken();
        } while (!pageToken.isEmpty() && runs.size() < search.maxResults());
        if (search.orderBy().isEmpty()) {
            runs.sort(Comparator.comparingLong((Run r) -> r.info().startTimeMillis()).reversed()
                    .thenComparing(r -> r.info().runId().value()));
        }
        return List.copyOf(runs.subList(0, Math.min(runs.size(), search.maxResults())));
    }

    @Override
    public void deleteRun(RunId runId) {
        var result = client.tryPost(API + "runs/delete", Service.DeleteRun.newBuilder().setRunId(runId.value()),
                Service.DeleteRun.Response.newBuilder());
        if (isNotFound(result)) {
            throw runNotFound(runId);
        }
        client.orThrow("delete run " + runId, result);
    }

    @Override
    public String toString() {
        return "MlflowRestRunStore[" + client.shownUri() + "]";
    }

    // ---- translation ----

    private void requireRunWritable(RunId runId, String action, MlflowRestClient.Result<?> result) {
        if (result.error().isEmpty()) {
            return;
        }
        MlflowRestClient.ApiError error = result.error().get();
        if (error.errorCode().equals("RESOURCE_DOES_NOT_EXIST")) {
            throw runNotFound(runId);
        }
        if (error.message().contains(NOT_ACTIVE)) {
            throw runNotActive(runId);
        }
        throw client.failure(action + " run " + runId, error);
    }

    private CropcastException runNotFound(RunId runId) {
        return new CropcastException(TrackingErrorCode.RUN_NOT_FOUND, "run " + runId + " does not exist on " + client.shownUri());
    }

    private CropcastException runNotActive(RunId runId) {
        return new CropcastException(TrackingErrorCode.INVALID_RUN_STATE,
                "run " + runId + " on " + client.shownUri() + " must be in the 'active' state; it is deleted");
    }

    private static boolean isNotFound(MlflowRestClient.Result<?> result) {
        return result.error().map(e -> e.errorCode().equals("RESOURCE_DOES_NOT_EXIST")).orElse(false);
    }

    private static long numericOrder(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * A conversion of the server's answer into the port's records, whose validation errors (a blank
     * experiment id in {@code {}}, a run id MLflow never makes) become one error naming the server:
     * the answer is at fault, not the user's input.
     */
    private <T> T answer(String what, java.util.function.Supplier<T> convert) {
        try {
            return convert.get();
        } catch (CropcastException e) {
            if (e.category() != org.cropcast.tracking.ErrorCategory.USER_INPUT) {
                throw e;
            }
            throw invalidAnswer(what, e);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw invalidAnswer(what, e);
        }
    }

    private CropcastException invalidAnswer(String what, RuntimeException e) {
        return new CropcastException(MlflowRestErrorCode.NOT_AN_MLFLOW_SERVER, client.shownUri() + " answered an invalid " + what
                + " (" + org.cropcast.tracking.Redactor.truncateForMessage(String.valueOf(e.getMessage())) + "); is it an MLflow tracking server?", e);
    }

    private static Experiment toExperiment(Service.Experiment e) {
        return new Experiment(ExperimentId.of(e.getExperimentId()), e.getName(), e.getArtifactLocation(), lifecycle(e.getLifecycleStage()));
    }

    private static LifecycleStage lifecycle(String stage) {
        return stage.isEmpty() ? LifecycleStage.ACTIVE : LifecycleStage.fromMlflowName(stage);
    }

    private static RunInfo toRunInfo(Service.RunInfo i) {
        String runId = i.hasRunId() ? i.getRunId() : i.getRunUuid();
        Optional<Long> end = i.hasEndTime() && i.getEndTime() != 0 ? Optional.of(i.getEndTime()) : Optional.empty();
        return new RunInfo(RunId.of(runId), ExperimentId.of(i.getExperimentId()), i.getRunName(), i.getUserId(),
                RunStatus.valueOf(i.getStatus().name()), i.getStartTime(), end, i.getArtifactUri(), lifecycle(i.getLifecycleStage()));
    }

    private static Run toRun(Service.Run run) {
        Map<String, String> params = new HashMap<>();
        run.getData().getParamsList().forEach(p -> params.put(p.getKey(), p.getValue()));
        Map<String, String> tags = new HashMap<>();
        run.getData().getTagsList().forEach(t -> tags.put(t.getKey(), t.getValue()));
        Map<String, Metric> latest = new HashMap<>();
        run.getData().getMetricsList().forEach(m -> latest.put(m.getKey(), toMetric(m)));
        RunInfo info = toRunInfo(run.getInfo());
        if (info.runName().isEmpty() && tags.containsKey(RunStores.RUN_NAME_TAG)) {
            info = new RunInfo(info.runId(), info.experimentId(), tags.get(RunStores.RUN_NAME_TAG), info.userId(), info.status(),
                    info.startTimeMillis(), info.endTimeMillis(), info.artifactUri(), info.lifecycleStage());
        }
        return new Run(info, new RunData(params, tags, latest));
    }

    /** MLflow's SQL stores keep ±infinity as ±Double.MAX_VALUE; they are read back as the infinities logged. */
    private static Metric toMetric(Service.Metric m) {
        double value = m.getValue();
        if (value == Double.MAX_VALUE) {
            value = Double.POSITIVE_INFINITY;
        } else if (value == -Double.MAX_VALUE) {
            value = Double.NEGATIVE_INFINITY;
        }
        return new Metric(m.getKey(), value, m.getTimestamp(), m.getStep());
    }
}
