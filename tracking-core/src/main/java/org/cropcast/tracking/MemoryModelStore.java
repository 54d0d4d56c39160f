package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * A {@link ModelStore} in memory beside a {@link RunStore} (any: it reads runs and experiments
 * through the port and logs model metrics through {@link RunStore#logBatch}), with MLflow 3's
 * semantics pinned by {@code AbstractModelStoreContractTest}. Thread-safe (one lock).
 */
public final class MemoryModelStore implements ModelStore {
    private final RunStore runs;
    private final Clock clock;
    private final RandomGenerator random;
    private final Map<ModelId, ModelState> models = new LinkedHashMap<>();
    private final Map<String, RegisteredState> registered = new TreeMap<>();
    /** experiment id -> (name, digest) -> dataset */
    private final Map<ExperimentId, Map<List<String>, Dataset>> datasets = new HashMap<>();
    private final Map<RunId, LinkedHashMap<List<String>, DatasetInput>> runDatasets = new HashMap<>();
    private final Map<RunId, List<ModelId>> runModelInputs = new HashMap<>();
    private final Map<RunId, List<ModelOutput>> runOutputs = new HashMap<>();

    public MemoryModelStore(RunStore runs, Clock clock, RandomGenerator random) {
        this.runs = requireNonNull(runs, "runs is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.random = requireNonNull(random, "random is null");
    }

    private static final class ModelState {
        LoggedModel model;
        final List<ModelRegistries.VersionRef> versions = new ArrayList<>();

        ModelState(LoggedModel model) {
            this.model = model;
        }
    }

    private static final class RegisteredState {
        final String name;
        final long created;
        long updated;
        final Map<Integer, ModelVersion> versions = new TreeMap<>();
        final Map<String, Integer> aliases = new TreeMap<>();
        final Map<String, String> tags = new TreeMap<>();
        Optional<String> description = Optional.empty();

        RegisteredState(String name, long created) {
            this.name = name;
            this.created = created;
            this.updated = created;
        }

        RegisteredModel toModel() {
            return new RegisteredModel(name, created, updated, description, aliases, tags);
        }

        ModelVersion withAliases(ModelVersion v) {
            List<String> names = aliases.entrySet().stream().filter(e -> e.getValue() == v.version()).map(Map.Entry::getKey).toList();
            return new ModelVersion(v.name(), v.version(), v.creationTimeMillis(), v.lastUpdatedTimeMillis(), v.source(), v.runId(),
                    v.modelId(), v.status(), v.storageLocation(), names);
        }
    }

    // ---------------------------------------------------------------- logged models

    @Override
    public synchronized LoggedModel createLoggedModel(LoggedModelRequest request) {
        requireNonNull(request, "request is null");
        Experiment experiment = runs.getExperiment(request.experimentId())
                .orElseThrow(() -> new CropcastException(TrackingErrorCode.EXPERIMENT_NOT_FOUND,
                        "experiment " + request.experimentId() + " does not exist"));
        if (experiment.lifecycleStage() != LifecycleStage.ACTIVE) {
            throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT, "experiment " + experiment.id() + " is deleted");
        }
        request.sourceRunId().ifPresent(this::activeRun);
        ModelId id = ModelId.random(random);
        long now = clock.millis();
        LoggedModel model = new LoggedModel(id, experiment.id(), request.name(),
                ModelRegistries.modelArtifactLocation(experiment.artifactLocation(), id), now, now, LoggedModelStatus.PENDING,
                request.sourceRunId(), request.modelType(), request.params(), request.tags(), List.of());
        models.put(id, new ModelState(model));
        return model;
    }

    private ModelState state(ModelId id) {
        ModelState state = models.get(requireNonNull(id, "modelId is null"));
        if (state == null) {
            throw ModelRegistries.modelNotFound(id);
        }
        return state;
    }

    @Override
    public synchronized LoggedModel finalizeLoggedModel(ModelId modelId, LoggedModelStatus status) {
        requireNonNull(status, "status is null");
        ModelState state = state(modelId);
        LoggedModel m = state.model;
        if (!status.isFinal()) {
            throw new CropcastException(ModelErrorCode.INVALID_MODEL_STATE, "a logged model is finalized READY or FAILED, not PENDING");
        }
        if (m.status() == status) {
            return m;
        }
        if (m.status().isFinal()) {
            throw ModelRegistries.alreadyFinal(modelId, m.status(), status);
        }
        state.model = m.withStatus(status, clock.millis());
        return state.model;
    }

    @Override
    public synchronized void setLoggedModelTags(ModelId modelId, Map<String, String> tags) {
        ModelState state = state(modelId);
        tags.keySet().forEach(k -> TrackingLimits.validateKey("model tag", k));
        LoggedModel m = state.model;
        Map<String, String> merged = new HashMap<>(m.tags());
        merged.putAll(tags);
        state.model = m.withTags(merged);
    }

    @Override
    public synchronized void deleteLoggedModelTag(ModelId modelId, String key) {
        requireNonNull(key, "key is null");
        ModelState state = state(modelId);
        LoggedModel m = state.model;
        Map<String, String> kept = new HashMap<>(m.tags());
        kept.remove(key);
        state.model = m.withTags(kept);
    }

    @Override
    public synchronized void logModelMetrics(RunId runId, ModelId modelId, List<Metric> metrics, Optional<Dataset> dataset) {
        requireNonNull(metrics, "metrics is null");
        requireNonNull(dataset, "dataset is null");
        ModelState state = state(modelId);
        runs.logBatch(runId, metrics, List.of(), List.of());
        LoggedModel m = state.model;
        List<ModelMetric> all = new ArrayList<>(m.metrics());
        for (Metric metric : metrics) {
            ModelMetric linked = new ModelMetric(metric.key(), metric.value(), metric.timestampMillis(), metric.step(), runId,
                    dataset.map(Dataset::name), dataset.map(Dataset::digest));
            if (!all.contains(linked)) {
                all.add(linked);
            }
        }
        state.model = m.withMetrics(all);
    }

    @Override
    public synchronized Optional<LoggedModel> getLoggedModel(ModelId modelId) {
        return Optional.ofNullable(models.get(requireNonNull(modelId, "modelId is null"))).map(s -> s.model);
    }

    @Override
    public synchronized List<LoggedModel> searchLoggedModels(ExperimentId experimentId) {
        requireNonNull(experimentId, "experimentId is null");
        return models.values().stream().map(s -> s.model).filter(m -> m.experimentId().equals(experimentId))
                .sorted(Comparator.comparingLong(LoggedModel::creationTimeMillis).reversed()).toList();
    }

    // ---------------------------------------------------------------- registry

    @Override
    public synchronized RegisteredModel createRegisteredModel(String name) {
        ModelRegistries.validateName(name);
        return registered.computeIfAbsent(name, n -> new RegisteredState(n, clock.millis())).toModel();
    }

    private RegisteredState registered(String name) {
        RegisteredState state = registered.get(requireNonNull(name, "name is null"));
        if (state == null) {
            throw ModelRegistries.registeredModelNotFound(name);
        }
        return state;
    }

    @Override
    public synchronized ModelVersion createModelVersion(String name, ModelId modelId) {
        RegisteredState reg = registered(name);
        ModelState model = state(modelId);
        if (model.model.status() != LoggedModelStatus.READY) {
            throw ModelRegistries.notReady(modelId, model.model.status());
        }
        int version = reg.versions.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        long now = clock.millis();
        ModelVersion created = new ModelVersion(name, version, now, now, model.model.uri(), model.model.sourceRunId(),
                Optional.of(modelId), "READY", model.model.artifactLocation(), List.of());
        reg.versions.put(version, created);
        reg.updated = now;
        model.versions.add(new ModelRegistries.VersionRef(name, version));
        setLoggedModelTags(modelId, Map.of(MODEL_VERSIONS_TAG, ModelRegistries.modelVersionsTag(model.versions)));
        return created;
    }

    @Override
    public synchronized void setAlias(String name, String alias, int version) {
        ModelRegistries.validateAlias(alias);
        RegisteredState reg = registered(name);
        if (!reg.versions.containsKey(version)) {
            throw ModelRegistries.versionNotFound(name, version);
        }
        reg.aliases.put(alias, version);
    }

    @Override
    public synchronized void setRegisteredModelDescription(String name, String description) {
        requireNonNull(description, "description is null");
        RegisteredState reg = registered(name);
        reg.description = description.isEmpty() ? Optional.empty() : Optional.of(description);
        reg.updated = clock.millis();
    }

    @Override
    public synchronized void setRegisteredModelTags(String name, Map<String, String> tags) {
        tags.keySet().forEach(k -> TrackingLimits.validateKey("registered model tag", k));
        registered(name).tags.putAll(tags);
    }

    @Override
    public synchronized Optional<RegisteredModel> getRegisteredModel(String name) {
        return Optional.ofNullable(registered.get(requireNonNull(name, "name is null"))).map(RegisteredState::toModel);
    }

    @Override
    public synchronized Optional<ModelVersion> getModelVersion(String name, int version) {
        RegisteredState reg = registered.get(requireNonNull(name, "name is null"));
        return reg == null ? Optional.empty() : Optional.ofNullable(reg.versions.get(version)).map(reg::withAliases);
    }

    @Override
    public synchronized Optional<ModelVersion> getModelVersionByAlias(String name, String alias) {
        RegisteredState reg = registered.get(requireNonNull(name, "name is null"));
        if (reg == null || !reg.aliases.containsKey(alias)) {
            return Optional.empty();
        }
        return getModelVersion(name, reg.aliases.get(alias));
    }

    @Override
    public synchronized List<RegisteredModel> listRegisteredModels() {
        return registered.values().stream().map(RegisteredState::toModel).toList();
    }

    @Override
    public synchronized List<ModelVersion> listModelVersions(String name) {
        RegisteredState reg = registered(name);
        List<ModelVersion> out = new ArrayList<>(reg.versions.values().stream().map(reg::withAliases).toList());
        out.sort(Comparator.comparingInt(ModelVersion::version).reversed());
        return out;
    }

    // ---------------------------------------------------------------- lineage

    private Run activeRun(RunId runId) {
        Run run = runs.getRun(requireNonNull(runId, "runId is null")).orElseThrow(() -> RunStores.runNotFound(runId));
        if (run.info().lifecycleStage() != LifecycleStage.ACTIVE) {
            throw RunStores.runNotActive(runId);
        }
        return run;
    }

    @Override
    public synchronized void logInputs(RunId runId, List<DatasetInput> inputs, List<ModelId> modelInputs) {
        requireNonNull(inputs, "inputs is null");
        requireNonNull(modelInputs, "modelInputs is null");
        Run run = activeRun(runId);
        Map<List<String>, Dataset> known = datasets.computeIfAbsent(run.info().experimentId(), e -> new HashMap<>());
        LinkedHashMap<List<String>, DatasetInput> linked = runDatasets.computeIfAbsent(runId, r -> new LinkedHashMap<>());
        for (DatasetInput input : inputs) {
            List<String> key = List.of(input.dataset().name(), input.dataset().digest());
            Dataset stored = known.computeIfAbsent(key, k -> input.dataset());
            linked.putIfAbsent(key, new DatasetInput(stored, input.tags()));
        }
        List<ModelId> models = runModelInputs.computeIfAbsent(runId, r -> new ArrayList<>());
        for (ModelId id : modelInputs) {
            if (!models.contains(id)) {
                models.add(id);
            }
        }
    }

    @Override
    public synchronized void logOutputs(RunId runId, List<ModelOutput> outputs) {
        requireNonNull(outputs, "outputs is null");
        activeRun(runId);
        List<ModelOutput> list = runOutputs.computeIfAbsent(runId, r -> new ArrayList<>());
        for (ModelOutput output : outputs) {
            if (list.stream().noneMatch(o -> o.modelId().equals(output.modelId()))) {
                list.add(output);
            }
        }
    }

    @Override
    public synchronized RunInputs getRunInputs(RunId runId) {
        runs.getRun(requireNonNull(runId, "runId is null")).orElseThrow(() -> RunStores.runNotFound(runId));
        return new RunInputs(new ArrayList<>(runDatasets.getOrDefault(runId, new LinkedHashMap<>()).values()),
                runModelInputs.getOrDefault(runId, List.of()));
    }

    @Override
    public synchronized List<ModelOutput> getRunOutputs(RunId runId) {
        runs.getRun(requireNonNull(runId, "runId is null")).orElseThrow(() -> RunStores.runNotFound(runId));
        return List.copyOf(runOutputs.getOrDefault(runId, List.of()));
    }

    @Override
    public synchronized List<Dataset> listDatasets(ExperimentId experimentId) {
        return datasets.getOrDefault(requireNonNull(experimentId, "experimentId is null"), Map.of()).values().stream()
                .sorted(Comparator.comparing(Dataset::name).thenComparing(Dataset::digest)).toList();
    }
}
