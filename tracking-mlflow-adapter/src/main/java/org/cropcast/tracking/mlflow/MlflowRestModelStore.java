package org.cropcast.tracking.mlflow;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.Dataset;
import org.cropcast.tracking.DatasetInput;
import org.cropcast.tracking.ExperimentId;
import org.cropcast.tracking.LoggedModel;
import org.cropcast.tracking.LoggedModelRequest;
import org.cropcast.tracking.LoggedModelStatus;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.ModelErrorCode;
import org.cropcast.tracking.ModelId;
import org.cropcast.tracking.ModelMetric;
import org.cropcast.tracking.ModelOutput;
import org.cropcast.tracking.ModelRegistries;
import org.cropcast.tracking.ModelStore;
import org.cropcast.tracking.ModelVersion;
import org.cropcast.tracking.RegisteredModel;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunInputs;
import org.cropcast.tracking.RunStores;
import org.cropcast.tracking.TrackingErrorCode;
import org.cropcast.tracking.TrackingLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logged models, the model registry and run inputs/outputs on an MLflow tracking server, over
 * MLflow 3's REST endpoints ({@code /api/2.0/mlflow/logged-models}, {@code runs/log-inputs},
 * {@code runs/outputs}, {@code registered-models}, {@code model-versions}). mlflow-client 2.17.2
 * has no protobuf types for most of them, so bodies are written and read with Jackson, in the
 * server's JSON (proto field names, int64 as numbers, enums by name).
 *
 * <p>What the server does not do itself is done here as Python MLflow's client does it: the
 * {@code mlflow.modelVersions} tag after registering, and cropcast's rules (a version only from a
 * READY model, a final status set once, one output edge per model) are checked before writing.
 * A logged model is created with a request id tag ({@value MlflowRestRunStore#CREATE_REQUEST_TAG}, as
 * runs are); after a retried create the models an earlier attempt made under that id are finalized
 * FAILED and deleted, so no orphan stays PENDING. A model version is created with the same kind of
 * tag; after a retried version create the extra versions an earlier attempt made are tagged
 * {@value MlflowRestRunStore#DUPLICATE_OF_TAG} and deleted.
 */
public final class MlflowRestModelStore implements ModelStore {
    private static final Logger log = LoggerFactory.getLogger(MlflowRestModelStore.class);
    private static final String API = "/api/2.0/mlflow/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PARAMS_PER_REQUEST = 100;

    private final MlflowRestClient client;

    MlflowRestModelStore(MlflowRestClient client) {
        this.client = requireNonNull(client, "client is null");
    }

    // ---------------------------------------------------------------- JSON plumbing

    private static ObjectNode object() {
        return JSON.createObjectNode();
    }

    private static ArrayNode keyValues(Map<String, String> values) {
        ArrayNode array = JSON.createArrayNode();
        new TreeMap<>(values).forEach((k, v) -> array.addObject().put("key", k).put("value", v));
        return array;
    }

    private static Map<String, String> keyValues(JsonNode array) {
        Map<String, String> out = new HashMap<>();
        if (array != null) {
            for (JsonNode kv : array) {
                out.put(kv.path("key").asText(), kv.path("value").asText(""));
            }
        }
        return out;
    }

    private MlflowRestClient.Result<String> call(String method, String path, Map<String, String> query, Optional<JsonNode> body) {
        Optional<String> text = body.map(b -> {
            try {
                return JSON.writeValueAsString(b);
            } catch (JsonProcessingException e) {
                throw new CropcastException(TrackingErrorCode.INTERNAL_ERROR, "cannot write JSON for " + path + ": " + e.getMessage(), e);
            }
        });
        return client.tryJson(method, API + path, query, text);
    }

    private JsonNode parse(String operation, String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new CropcastException(MlflowRestErrorCode.NOT_AN_MLFLOW_SERVER, client.shownUri() + ": " + operation
                    + " answered something that is not JSON", e);
        }
    }

    private JsonNode ok(String operation, MlflowRestClient.Result<String> result) {
        return parse(operation, client.orThrow(operation, result));
    }

    private static boolean failedWith(MlflowRestClient.Result<?> result, String errorCode) {
        return result.error().map(e -> e.errorCode().equals(errorCode)).orElse(false);
    }

    private static boolean notFound(MlflowRestClient.Result<?> result) {
        return result.error().map(e -> e.status() == 404 && e.errorCode().equals("RESOURCE_DOES_NOT_EXIST")).orElse(false);
    }

    /** A failed write in one line, with a refusal (401/403) said as the server's refusal of a model write. */
    private CropcastException writeFailure(String operation, MlflowRestClient.ApiError error) {
        CropcastException generic = client.failure(operation, error);
        if (error.status() == 401 || error.status() == 403) {
            return new CropcastException(ModelErrorCode.MODEL_BACKEND_REFUSED, generic.getMessage(), generic);
        }
        return generic;
    }

    private JsonNode write(String operation, String method, String path, JsonNode body) {
        MlflowRestClient.Result<String> result = call(method, path, Map.of(), Optional.of(body));
        if (result.error().isPresent()) {
            throw writeFailure(operation, result.error().get());
        }
        return parse(operation, result.value().orElseThrow());
    }

    // ---------------------------------------------------------------- logged models

    @Override
    public LoggedModel createLoggedModel(LoggedModelRequest request) {
        requireNonNull(request, "request is null");
        List<Map.Entry<String, String>> params = new ArrayList<>(new TreeMap<>(request.params()).entrySet());
        ObjectNode body = object().put("experiment_id", request.experimentId().value()).put("name", request.name());
        request.sourceRunId().ifPresent(r -> body.put("source_run_id", r.value()));
        request.modelType().ifPresent(t -> body.put("model_type", t));
        body.set("params", keyValues(toMap(params.subList(0, Math.min(PARAMS_PER_REQUEST, params.size())))));
        String requestId = java.util.UUID.randomUUID().toString().replace("-", "");
        Map<String, String> tags = new HashMap<>(request.tags());
        tags.put(MlflowRestRunStore.CREATE_REQUEST_TAG, requestId);
        body.set("tags", keyValues(tags));
        String operation = "create logged model '" + request.name() + "' in experiment " + request.experimentId();
        MlflowRestClient.Result<String> result = call("POST", "logged-models", Map.of(), Optional.of(body));
        if (notFound(result)) {
            throw new CropcastException(TrackingErrorCode.EXPERIMENT_NOT_FOUND, client.shownUri() + ": experiment "
                    + request.experimentId() + " does not exist");
        }
        if (result.error().isPresent()) {
            throw writeFailure(operation, result.error().get());
        }
        LoggedModel model = toModel(parse(operation, result.value().orElseThrow()).path("model"));
        if (result.retried()) {
            retireDuplicates(request.experimentId(), requestId, model.modelId());
        }
        for (int i = PARAMS_PER_REQUEST; i < params.size(); i += PARAMS_PER_REQUEST) {
            ObjectNode more = object().put("model_id", model.modelId().value());
            more.set("params", keyValues(toMap(params.subList(i, Math.min(i + PARAMS_PER_REQUEST, params.size())))));
            write(operation, "POST", "logged-models/" + model.modelId() + "/params", more);
        }
        return params.size() > PARAMS_PER_REQUEST ? requireModel(model.modelId()) : model;
    }

    /**
     * After a retried create: the logged models an earlier attempt made under the same request id
     * (their answers lost) are tagged {@value MlflowRestRunStore#DUPLICATE_OF_TAG}, finalized FAILED
     * and deleted, so no orphan stays PENDING. A failure here is logged, not thrown: the kept model is good.
     */
    private void retireDuplicates(ExperimentId experiment, String requestId, ModelId kept) {
        try {
            ObjectNode search = object().put("max_results", 100)
                    .put("filter", "tags.`" + MlflowRestRunStore.CREATE_REQUEST_TAG + "` = '" + requestId + "'");
            search.putArray("experiment_ids").add(experiment.value());
            JsonNode page = ok("search logged models of experiment " + experiment, call("POST", "logged-models/search", Map.of(),
                    Optional.of(search)));
            for (JsonNode found : page.path("models")) {
                ModelId id = ModelId.of(found.path("info").path("model_id").asText());
                if (id.equals(kept)) {
                    continue;
                }
                setLoggedModelTags(id, Map.of(MlflowRestRunStore.DUPLICATE_OF_TAG, kept.value()));
                write("finalize logged model " + id, "PATCH", "logged-models/" + id,
                        object().put("model_id", id.value()).put("status", LoggedModelStatus.FAILED.protoName()));
                MlflowRestClient.Result<String> deleted = call("DELETE", "logged-models/" + id, Map.of(), Optional.empty());
                deleted.error().ifPresent(e -> {
                    throw writeFailure("delete logged model " + id, e);
                });
                log.warn("{}: creating a logged model was retried after a lost answer and made {} twice; the extra model {} is marked"
                        + " FAILED (tag {}) and deleted", client.shownUri(), kept, id, MlflowRestRunStore.DUPLICATE_OF_TAG);
            }
        } catch (CropcastException e) {
            log.warn("{}: creating logged model {} was retried after a lost answer; looking for a duplicate failed: {}",
                    client.shownUri(), kept, e.getMessage());
        }
    }

    private static Map<String, String> toMap(List<Map.Entry<String, String>> entries) {
        Map<String, String> out = new LinkedHashMap<>();
        entries.forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private LoggedModel toModel(JsonNode model) {
        JsonNode info = model.path("info");
        JsonNode data = model.path("data");
        List<ModelMetric> metrics = new ArrayList<>();
        for (JsonNode m : data.path("metrics")) {
            metrics.add(new ModelMetric(m.path("key").asText(), number(m.path("value")), m.path("timestamp").asLong(),
                    m.path("step").asLong(), RunId.of(m.path("run_id").asText()), text(m, "dataset_name"), text(m, "dataset_digest")));
        }
        return new LoggedModel(ModelId.of(info.path("model_id").asText()), ExperimentId.of(info.path("experiment_id").asText()),
                info.path("name").asText(), info.path("artifact_uri").asText(), info.path("creation_timestamp_ms").asLong(),
                info.path("last_updated_timestamp_ms").asLong(), LoggedModelStatus.fromProtoName(info.path("status").asText()),
                text(info, "source_run_id").map(RunId::of), text(info, "model_type"), keyValues(data.path("params")),
                keyValues(info.path("tags")), metrics);
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isEmpty() ? Optional.empty() : Optional.of(value.asText());
    }

    /** A double as protobuf JSON writes it: a number, or "NaN", "Infinity", "-Infinity". */
    private static double number(JsonNode node) {
        if (node.isNumber()) {
            return node.asDouble();
        }
        return switch (node.asText()) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(node.asText());
        };
    }

    private static void putNumber(ObjectNode node, String field, double value) {
        if (Double.isNaN(value)) {
            node.put(field, "NaN");
        } else if (Double.isInfinite(value)) {
            node.put(field, value > 0 ? "Infinity" : "-Infinity");
        } else {
            node.put(field, value);
        }
    }

    private LoggedModel requireModel(ModelId id) {
        return getLoggedModel(id).orElseThrow(() -> ModelRegistries.modelNotFound(id));
    }

    @Override
    public LoggedModel finalizeLoggedModel(ModelId modelId, LoggedModelStatus status) {
        requireNonNull(status, "status is null");
        if (!status.isFinal()) {
            throw new CropcastException(ModelErrorCode.INVALID_MODEL_STATE, "a logged model is finalized READY or FAILED, not PENDING");
        }
        LoggedModel model = requireModel(modelId);
        if (model.status() == status) {
            return model;
        }
        if (model.status().isFinal()) {
            throw ModelRegistries.alreadyFinal(modelId, model.status(), status);
        }
        JsonNode answer = write("finalize logged model " + modelId, "PATCH", "logged-models/" + modelId,
                object().put("model_id", modelId.value()).put("status", status.protoName()));
        return toModel(answer.path("model"));
    }

    @Override
    public void setLoggedModelTags(ModelId modelId, Map<String, String> tags) {
        requireNonNull(modelId, "modelId is null");
        tags.keySet().forEach(k -> TrackingLimits.validateKey("model tag", k));
        ObjectNode body = object();
        body.set("tags", keyValues(tags));
        MlflowRestClient.Result<String> result = call("PATCH", "logged-models/" + modelId + "/tags", Map.of(), Optional.of(body));
        if (notFound(result)) {
            throw ModelRegistries.modelNotFound(modelId);
        }
        result.error().ifPresent(e -> {
            throw writeFailure("set tags of logged model " + modelId, e);
        });
    }

    @Override
    public void logModelMetrics(RunId runId, ModelId modelId, List<Metric> metrics, Optional<Dataset> dataset) {
        requireNonNull(runId, "runId is null");
        requireNonNull(metrics, "metrics is null");
        requireNonNull(dataset, "dataset is null");
        TrackingLimits.validateBatch(metrics, List.of(), List.of());
        requireModel(modelId);
        for (List<Metric> chunk : TrackingLimits.chunks(metrics, TrackingLimits.MAX_METRICS_PER_BATCH)) {
            ObjectNode body = object().put("run_id", runId.value());
            ArrayNode array = body.putArray("metrics");
            for (Metric metric : chunk) {
                ObjectNode m = array.addObject().put("key", metric.key());
                putNumber(m, "value", metric.value());
                m.put("timestamp", metric.timestampMillis()).put("step", metric.step()).put("model_id", modelId.value());
                dataset.ifPresent(d -> m.put("dataset_name", d.name()).put("dataset_digest", d.digest()));
            }
            MlflowRestClient.Result<String> result = call("POST", "runs/log-batch", Map.of(), Optional.of(body));
            requireRunWritten(runId, "log metrics of model " + modelId, result);
        }
    }

    /** Translates a run write's failure: unknown run, deleted run, anything else. */
    private void requireRunWritten(RunId runId, String operation, MlflowRestClient.Result<String> result) {
        if (result.error().isEmpty()) {
            return;
        }
        MlflowRestClient.ApiError error = result.error().get();
        if (notFound(result)) {
            throw RunStores.runNotFound(runId);
        }
        if (error.message().contains("must be in the 'active' state")) {
            throw RunStores.runNotActive(runId);
        }
        throw writeFailure(operation, error);
    }

    @Override
    public Optional<LoggedModel> getLoggedModel(ModelId modelId) {
        requireNonNull(modelId, "modelId is null");
        MlflowRestClient.Result<String> result = call("GET", "logged-models/" + modelId, Map.of(), Optional.empty());
        if (notFound(result)) {
            return Optional.empty();
        }
        return Optional.of(toModel(ok("get logged model " + modelId, result).path("model")));
    }

    @Override
    public List<LoggedModel> searchLoggedModels(ExperimentId experimentId) {
        requireNonNull(experimentId, "experimentId is null");
        List<LoggedModel> out = new ArrayList<>();
        String token = "";
        do {
            ObjectNode body = object().put("max_results", 100);
            body.putArray("experiment_ids").add(experimentId.value());
            if (!token.isEmpty()) {
                body.put("page_token", token);
            }
            MlflowRestClient.Result<String> result = call("POST", "logged-models/search", Map.of(), Optional.of(body));
            if (notFound(result)) {
                return List.of();
            }
            JsonNode page = ok("search logged models of experiment " + experimentId, result);
            page.path("models").forEach(m -> out.add(toModel(m)));
            token = page.path("next_page_token").asText("");
        } while (!token.isEmpty());
        out.sort(Comparator.comparingLong(LoggedModel::creationTimeMillis).reversed());
        return out;
    }

    // ---------------------------------------------------------------- registry

    @Override
    public RegisteredModel createRegisteredModel(String name) {
        ModelRegistries.validateName(name);
        Optional<RegisteredModel> existing = getRegisteredModel(name);
        if (existing.isPresent()) {
            return existing.get();
        }
        MlflowRestClient.Result<String> result = call("POST", "registered-models/create", Map.of(), Optional.of(object().put("name", name)));
        if (failedWith(result, "RESOURCE_ALREADY_EXISTS")) {
            return getRegisteredModel(name).orElseThrow();
        }
        if (result.error().isPresent()) {
            throw writeFailure("create registered model '" + name + "'", result.error().get());
        }
        return toRegistered(parse("create registered model", result.value().orElseThrow()).path("registered_model"));
    }

    private static RegisteredModel toRegistered(JsonNode node) {
        Map<String, Integer> aliases = new LinkedHashMap<>();
        for (JsonNode a : node.path("aliases")) {
            aliases.put(a.path("alias").asText(), a.path("version").asInt());
        }
        return new RegisteredModel(node.path("name").asText(), node.path("creation_timestamp").asLong(),
                node.path("last_updated_timestamp").asLong(), text(node, "description"), aliases);
    }

    /**
     * A version from the server's JSON; its storage location is not in that JSON, so it is asked for
     * ({@code model-versions/get-download-uri}, where the server resolves it as Python's client does).
     */
    private ModelVersion toVersion(JsonNode node, Map<String, Integer> aliases) {
        int version = node.path("version").asInt();
        String source = node.path("source").asText("");
        List<String> names = new ArrayList<>();
        if (node.has("aliases")) {
            node.path("aliases").forEach(a -> names.add(a.asText()));
        } else {
            aliases.forEach((alias, v) -> {
                if (v == version) {
                    names.add(alias);
                }
            });
        }
        names.sort(null);
        Optional<ModelId> modelId = text(node, "model_id").map(ModelId::of).or(() -> SqliteModelStore.modelIdOf(source));
        return new ModelVersion(node.path("name").asText(), version, node.path("creation_timestamp").asLong(),
                node.path("last_updated_timestamp").asLong(), source, text(node, "run_id").map(RunId::of), modelId,
                node.path("status").asText(""), node.has("storage_location") ? node.path("storage_location").asText("")
                        : downloadUri(node.path("name").asText(), version), names);
    }

    private String downloadUri(String name, int version) {
        return ok("get the download URI of version " + version + " of '" + name + "'", call("GET", "model-versions/get-download-uri",
                Map.of("name", name, "version", Integer.toString(version)), Optional.empty())).path("artifact_uri").asText("");
    }

    @Override
    public ModelVersion createModelVersion(String name, ModelId modelId) {
        requireNonNull(name, "name is null");
        requireNonNull(modelId, "modelId is null");
        if (getRegisteredModel(name).isEmpty()) {
            throw ModelRegistries.registeredModelNotFound(name);
        }
        LoggedModel model = requireModel(modelId);
        if (model.status() != LoggedModelStatus.READY) {
            throw ModelRegistries.notReady(modelId, model.status());
        }
        ObjectNode body = object().put("name", name).put("source", model.uri()).put("model_id", modelId.value());
        model.sourceRunId().ifPresent(r -> body.put("run_id", r.value()));
        String requestId = java.util.UUID.randomUUID().toString().replace("-", "");
        body.set("tags", keyValues(Map.of(MlflowRestRunStore.CREATE_REQUEST_TAG, requestId)));
        String operation = "create a version of registered model '" + name + "' from " + modelId;
        MlflowRestClient.Result<String> result = call("POST", "model-versions/create", Map.of(), Optional.of(body));
        if (result.error().isPresent()) {
            throw writeFailure(operation, result.error().get());
        }
        ModelVersion version = toVersion(parse(operation, result.value().orElseThrow()).path("model_version"), Map.of());
        if (result.retried()) {
            retireDuplicateVersions(name, requestId, version.version());
        }
        try {
            setLoggedModelTags(modelId, Map.of(MODEL_VERSIONS_TAG, MlflowModelVersionsTag.append(
                    Optional.ofNullable(model.tags().get(MODEL_VERSIONS_TAG)), name, version.version())));
        } catch (CropcastException e) {
            log.warn("{}: version {} of '{}' was registered, but the tag {} of logged model {} could not be set: {}", client.shownUri(),
                    version.version(), name, MODEL_VERSIONS_TAG, modelId, e.getMessage());
        }
        return getModelVersion(name, version.version()).orElse(version);
    }

    /**
     * After a retried version create: the versions an earlier attempt made under the same request id
     * (their answers lost) are tagged {@value MlflowRestRunStore#DUPLICATE_OF_TAG} with the kept
     * version and deleted, so the registered model holds the one version the caller got. A failure
     * here is logged, not thrown: the kept version is good.
     */
    private void retireDuplicateVersions(String name, String requestId, int kept) {
        try {
            for (JsonNode found : versionsMadeUnder(name, requestId)) {
                int extra = found.path("version").asInt();
                if (extra == kept) {
                    continue;
                }
                String version = Integer.toString(extra);
                write("tag version " + extra + " of '" + name + "'", "POST", "model-versions/set-tag", object().put("name", name)
                        .put("version", version).put("key", MlflowRestRunStore.DUPLICATE_OF_TAG).put("value", Integer.toString(kept)));
                write("delete version " + extra + " of '" + name + "'", "DELETE", "model-versions/delete",
                        object().put("name", name).put("version", version));
                log.warn("{}: registering a version of '{}' was retried after a lost answer and made two; the extra version {} is"
                        + " tagged {} and deleted, version {} is kept", client.shownUri(), name, extra, MlflowRestRunStore.DUPLICATE_OF_TAG, kept);
            }
        } catch (CropcastException e) {
            log.warn("{}: registering version {} of '{}' was retried after a lost answer; looking for a duplicate failed: {}",
                    client.shownUri(), kept, name, e.getMessage());
        }
    }

    /** The live versions of {@code name} created under {@code requestId} (the registry's search filters on version tags). */
    private JsonNode versionsMadeUnder(String name, String requestId) {
        String quote = name.contains("'") ? "\"" : "'";
        Map<String, String> query = new LinkedHashMap<>();
        query.put("filter", "name=" + quote + name + quote + " and tags.`" + MlflowRestRunStore.CREATE_REQUEST_TAG + "` = '" + requestId + "'");
        query.put("max_results", "100");
        return ok("search versions of '" + name + "'", call("GET", "model-versions/search", query, Optional.empty())).path("model_versions");
    }

    @Override
    public void setAlias(String name, String alias, int version) {
        ModelRegistries.validateAlias(alias);
        requireNonNull(name, "name is null");
        if (getRegisteredModel(name).isEmpty()) {
            throw ModelRegistries.registeredModelNotFound(name);
        }
        if (getModelVersion(name, version).isEmpty()) {
            throw ModelRegistries.versionNotFound(name, version);
        }
        write("set alias '" + alias + "' of registered model '" + name + "'", "POST", "registered-models/alias",
                object().put("name", name).put("alias", alias).put("version", Integer.toString(version)));
    }

    @Override
    public Optional<RegisteredModel> getRegisteredModel(String name) {
        requireNonNull(name, "name is null");
        MlflowRestClient.Result<String> result = call("GET", "registered-models/get", Map.of("name", name), Optional.empty());
        if (notFound(result)) {
            return Optional.empty();
        }
        return Optional.of(toRegistered(ok("get registered model '" + name + "'", result).path("registered_model")));
    }

    @Override
    public Optional<ModelVersion> getModelVersion(String name, int version) {
        requireNonNull(name, "name is null");
        MlflowRestClient.Result<String> result = call("GET", "model-versions/get",
                Map.of("name", name, "version", Integer.toString(version)), Optional.empty());
        if (notFound(result)) {
            return Optional.empty();
        }
        return Optional.of(toVersion(ok("get version " + version + " of '" + name + "'", result).path("model_version"), Map.of()));
    }

    @Override
    public Optional<ModelVersion> getModelVersionByAlias(String name, String alias) {
        requireNonNull(name, "name is null");
        requireNonNull(alias, "alias is null");
        MlflowRestClient.Result<String> result = call("GET", "registered-models/alias", Map.of("name", name, "alias", alias),
                Optional.empty());
        // an unknown alias is INVALID_PARAMETER_VALUE "Registered model alias X not found."; an unknown model 404
        if (notFound(result) || result.error().map(e -> e.errorCode().equals("INVALID_PARAMETER_VALUE")
                && e.message().contains("not found")).orElse(false)) {
            return Optional.empty();
        }
        return Optional.of(toVersion(ok("get alias '" + alias + "' of '" + name + "'", result).path("model_version"), Map.of()));
    }

    @Override
    public List<RegisteredModel> listRegisteredModels() {
        List<RegisteredModel> out = new ArrayList<>();
        String token = "";
        do {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("max_results", "1000");
            if (!token.isEmpty()) {
                query.put("page_token", token);
            }
            JsonNode page = ok("search registered models", call("GET", "registered-models/search", query, Optional.empty()));
            page.path("registered_models").forEach(m -> out.add(toRegistered(m)));
            token = page.path("next_page_token").asText("");
        } while (!token.isEmpty());
        out.sort(Comparator.comparing(RegisteredModel::name));
        return out;
    }

    @Override
    public List<ModelVersion> listModelVersions(String name) {
        RegisteredModel registered = getRegisteredModel(name).orElseThrow(() -> ModelRegistries.registeredModelNotFound(name));
        if (name.contains("'") && name.contains("\"")) {
            throw new CropcastException(ModelErrorCode.INVALID_MODEL_ARGUMENT, "cannot search the versions of '" + name
                    + "' on a tracking server: the name contains both quote characters");
        }
        String quote = name.contains("'") ? "\"" : "'";
        List<ModelVersion> out = new ArrayList<>();
        String token = "";
        do {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("filter", "name=" + quote + name + quote);
            query.put("max_results", "1000");
            if (!token.isEmpty()) {
                query.put("page_token", token);
            }
            JsonNode page = ok("search versions of '" + name + "'", call("GET", "model-versions/search", query, Optional.empty()));
            page.path("model_versions").forEach(v -> out.add(toVersion(v, registered.aliases())));
            token = page.path("next_page_token").asText("");
        } while (!token.isEmpty());
        out.sort(Comparator.comparingInt(ModelVersion::version).reversed());
        return out;
    }

    // ---------------------------------------------------------------- lineage

    @Override
    public void logInputs(RunId runId, List<DatasetInput> datasets, List<ModelId> models) {
        requireNonNull(runId, "runId is null");
        requireNonNull(datasets, "datasets is null");
        requireNonNull(models, "models is null");
        ObjectNode body = object().put("run_id", runId.value());
        ArrayNode array = body.putArray("datasets");
        for (DatasetInput input : datasets) {
            ObjectNode entry = array.addObject();
            entry.set("tags", keyValues(input.tags()));
            entry.set("dataset", datasetJson(input.dataset()));
        }
        ArrayNode modelArray = body.putArray("models");
        models.stream().distinct().forEach(m -> modelArray.addObject().put("model_id", m.value()));
        MlflowRestClient.Result<String> result = Failsafe.with(DATASET_RACE)
                .get(() -> call("POST", "runs/log-inputs", Map.of(), Optional.of(body)));
        requireRunWritten(runId, "log inputs of run " + runId, result);
    }

    /**
     * MLflow's log-inputs looks up the experiment's datasets, then inserts the missing ones: two runs of one experiment
     * logging the same new dataset at once race, and the loser's whole request is rolled back with a uniqueness
     * violation on {@code datasets} (SQLite "UNIQUE constraint failed: datasets...", PostgreSQL "duplicate key value
     * violates unique constraint ... datasets"). Sent again, the lookup finds the winner's row and only the input is
     * written, so the request is repeated a few times with jittered backoff; any other failure is final.
     */
    private static final RetryPolicy<MlflowRestClient.Result<String>> DATASET_RACE = RetryPolicy.<MlflowRestClient.Result<String>>builder()
            .handleResultIf(MlflowRestModelStore::lostDatasetRace)
            .withBackoff(Duration.ofMillis(20), Duration.ofMillis(500))
            .withJitter(0.5)
            .withMaxRetries(6)
            .build();

    static boolean lostDatasetRace(MlflowRestClient.Result<String> result) {
        return result.error().map(e -> e.status() == 400 && DATASET_UNIQUENESS.matcher(e.message()).find()).orElse(false);
    }

    private static final Pattern DATASET_UNIQUENESS = Pattern.compile(
            "(?is)(unique constraint failed: datasets\\.|duplicate key value violates unique constraint.*dataset)");

    private static ObjectNode datasetJson(Dataset dataset) {
        ObjectNode node = object().put("name", dataset.name()).put("digest", dataset.digest())
                .put("source_type", dataset.sourceType()).put("source", dataset.source());
        dataset.schema().ifPresent(s -> node.put("schema", s));
        dataset.profile().ifPresent(p -> node.put("profile", p));
        return node;
    }

    private static Dataset toDataset(JsonNode node) {
        return new Dataset(node.path("name").asText(), node.path("digest").asText(), node.path("source_type").asText(),
                node.path("source").asText(""), text(node, "schema"), text(node, "profile"));
    }

    @Override
    public void logOutputs(RunId runId, List<ModelOutput> outputs) {
        requireNonNull(runId, "runId is null");
        requireNonNull(outputs, "outputs is null");
        JsonNode run = runJson(runId);
        if (!"active".equals(run.path("info").path("lifecycle_stage").asText("active"))) {
            throw RunStores.runNotActive(runId);
        }
        List<ModelOutput> existing = outputs(run);
        ObjectNode body = object().put("run_id", runId.value());
        ArrayNode array = body.putArray("models");
        for (ModelOutput output : outputs) {
            if (existing.stream().noneMatch(o -> o.modelId().equals(output.modelId()))) {
                array.addObject().put("model_id", output.modelId().value()).put("step", output.step());
                existing.add(output);
            }
        }
        if (!array.isEmpty()) {
            requireRunWritten(runId, "log outputs of run " + runId, call("POST", "runs/outputs", Map.of(), Optional.of(body)));
        }
    }

    private JsonNode runJson(RunId runId) {
        MlflowRestClient.Result<String> result = call("GET", "runs/get", Map.of("run_id", runId.value()), Optional.empty());
        if (notFound(result)) {
            throw RunStores.runNotFound(runId);
        }
        return ok("get run " + runId, result).path("run");
    }

    private static List<ModelOutput> outputs(JsonNode run) {
        List<ModelOutput> out = new ArrayList<>();
        run.path("outputs").path("model_outputs").forEach(o -> out.add(new ModelOutput(ModelId.of(o.path("model_id").asText()),
                o.path("step").asLong())));
        return out;
    }

    private static List<DatasetInput> datasetInputs(JsonNode run) {
        List<DatasetInput> out = new ArrayList<>();
        run.path("inputs").path("dataset_inputs").forEach(d -> out.add(new DatasetInput(toDataset(d.path("dataset")),
                keyValues(d.path("tags")))));
        return out;
    }

    @Override
    public RunInputs getRunInputs(RunId runId) {
        JsonNode run = runJson(requireNonNull(runId, "runId is null"));
        List<ModelId> models = new ArrayList<>();
        run.path("inputs").path("model_inputs").forEach(m -> models.add(ModelId.of(m.path("model_id").asText())));
        return new RunInputs(datasetInputs(run), models);
    }

    @Override
    public List<ModelOutput> getRunOutputs(RunId runId) {
        return outputs(runJson(requireNonNull(runId, "runId is null")));
    }

    /** The server has no REST search of an experiment's datasets, so they are collected from its runs' inputs. */
    @Override
    public List<Dataset> listDatasets(ExperimentId experimentId) {
        requireNonNull(experimentId, "experimentId is null");
        Map<List<String>, Dataset> found = new TreeMap<>(Comparator.comparing((List<String> k) -> k.get(0)).thenComparing(k -> k.get(1)));
        String token = "";
        do {
            ObjectNode body = object().put("max_results", 1000).put("run_view_type", "ALL");
            body.putArray("experiment_ids").add(experimentId.value());
            if (!token.isEmpty()) {
                body.put("page_token", token);
            }
            MlflowRestClient.Result<String> result = call("POST", "runs/search", Map.of(), Optional.of(body));
            if (notFound(result)) {
                return List.of();
            }
            JsonNode page = ok("search runs of experiment " + experimentId, result);
            for (JsonNode run : page.path("runs")) {
                for (DatasetInput input : datasetInputs(run)) {
                    found.putIfAbsent(List.of(input.dataset().name(), input.dataset().digest()), input.dataset());
                }
            }
            token = page.path("next_page_token").asText("");
        } while (!token.isEmpty());
        return List.copyOf(found.values());
    }
}
