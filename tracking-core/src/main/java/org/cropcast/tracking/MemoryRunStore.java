package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * A {@link RunStore} in memory, with MLflow's semantics (pinned by {@code AbstractRunStoreContractTest}):
 * 32-character hex run ids drawn from the injected generator, experiment {@code 0} "Default"
 * present from the start, write-once params, all-or-nothing batches, latest metric by
 * (step, timestamp, value). Used for {@code memory:} tracking URIs (dry runs, tests, embedding).
 * Artifact roots are {@code <artifactBase>/<experimentId>/<runId>/artifacts}, by default in a
 * {@link MemoryStorage} under {@code memory://mlartifacts}. Thread-safe (one lock).
 */
public final class MemoryRunStore implements RunStore {
    public static final String DEFAULT_ARTIFACT_BASE = "memory://mlartifacts";
    private static final Comparator<Metric> LATEST_ORDER = Comparator.comparingLong(Metric::step)
            .thenComparingLong(Metric::timestampMillis)
            .thenComparing(Metric::value, Double::compare);
    private static final Comparator<Metric> HISTORY_ORDER = Comparator.comparingLong(Metric::step)
            .thenComparingLong(Metric::timestampMillis);

    private final Clock clock;
    private final RandomGenerator random;
    private final String artifactBase;
    private final Map<ExperimentId, Experiment> experiments = new LinkedHashMap<>();
    private final Map<RunId, RunState> runs = new HashMap<>();
    private long nextExperimentId = 1;

    public MemoryRunStore(Clock clock, RandomGenerator random) {
        this(clock, random, DEFAULT_ARTIFACT_BASE);
    }

    public MemoryRunStore(Clock clock, RandomGenerator random, String artifactBase) {
        this.clock = requireNonNull(clock, "clock is null");
        this.random = requireNonNull(random, "random is null");
        requireNonNull(artifactBase, "artifactBase is null");
        this.artifactBase = artifactBase.endsWith("/") ? artifactBase.substring(0, artifactBase.length() - 1) : artifactBase;
        ExperimentId defaultId = ExperimentId.of("0");
        experiments.put(defaultId, new Experiment(defaultId, "Default", this.artifactBase + "/0", LifecycleStage.ACTIVE));
    }

    @Override
    public synchronized Experiment getOrCreateExperiment(String name) {
        TrackingLimits.validateExperimentName(name);
        Optional<Experiment> existing = findExperiment(name);
        if (existing.isPresent()) {
            if (existing.get().lifecycleStage() == LifecycleStage.DELETED) {
                throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT,
                        "experiment '" + name + "' is deleted; restore it or choose another experiment name");
            }
            return existing.get();
        }
        ExperimentId id = ExperimentId.of(Long.toString(nextExperimentId++));
        Experiment experiment = new Experiment(id, name, artifactBase + "/" + id, LifecycleStage.ACTIVE);
        experiments.put(id, experiment);
        return experiment;
    }

    @Override
    public synchronized Optional<Experiment> findExperiment(String name) {
        return experiments.values().stream().filter(e -> e.name().equals(name)).findFirst();
    }

    @Override
    public synchronized Optional<Experiment> getExperiment(ExperimentId id) {
        return Optional.ofNullable(experiments.get(id));
    }

    @Override
    public synchronized List<Experiment> listExperiments() {
        return experiments.values().stream()
                .filter(e -> e.lifecycleStage() == LifecycleStage.ACTIVE)
                .sorted(Comparator.comparingLong(e -> Long.parseLong(e.id().value())))
                .toList();
    }

    @Override
    public synchronized RunInfo createRun(CreateRunRequest request) {
        Experiment experiment = experiments.get(request.experimentId());
        if (experiment == null) {
            throw new CropcastException(TrackingErrorCode.EXPERIMENT_NOT_FOUND,
                    "experiment " + request.experimentId() + " does not exist");
        }
        if (experiment.lifecycleStage() != LifecycleStage.ACTIVE) {
            throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT,
                    "experiment " + request.experimentId() + " must be active to create a run in it");
        }
        TrackingLimits.validateRunName(request.runName());
        List<Tag> tags = RunStores.creationTags(request);
        TrackingLimits.validateBatch(List.of(), List.of(), tags);
        RunId id;
        do {
            id = RunId.random(random);
        } while (runs.containsKey(id));
        RunInfo info = new RunInfo(id, experiment.id(), request.runName(), request.userId(), RunStatus.RUNNING,
                request.startTimeMillis(), Optional.empty(), experiment.artifactLocation() + "/" + id + "/artifacts",
                LifecycleStage.ACTIVE);
        RunState state = new RunState(info);
        tags.forEach(tag -> state.tags.put(tag.key(), tag.value()));
        runs.put(id, state);
        return info;
    }

    @Override
    public synchronized RunInfo reopenRun(RunId runId) {
        RunState state = activeRun(runId);
        state.info = withStatus(state.info, RunStatus.RUNNING, state.info.endTimeMillis());
        return state.info;
    }

    @Override
    public synchronized void logBatch(RunId runId, List<Metric> metrics, List<Param> params, List<Tag> tags) {
        RunState state = activeRun(runId);
        TrackingLimits.validateBatch(metrics, params, tags);
        RunStores.checkParamConflicts(runId, state.params, params);
        params.forEach(p -> state.params.put(p.key(), p.value()));
        tags.forEach(t -> state.tags.put(t.key(), t.value()));
        for (Metric metric : metrics) {
            if (state.metrics.add(metric)) {
                state.latest.merge(metric.key(), metric, (old, now) -> LATEST_ORDER.compare(now, old) > 0 ? now : old);
            }
        }
        if (tags.stream().anyMatch(t -> t.key().equals(RunStores.RUN_NAME_TAG))) {
            String name = state.tags.get(RunStores.RUN_NAME_TAG);
            RunInfo i = state.info;
            state.info = new RunInfo(i.runId(), i.experimentId(), name, i.userId(), i.status(), i.startTimeMillis(),
                    i.endTimeMillis(), i.artifactUri(), i.lifecycleStage());
        }
    }

    @Override
    public synchronized void endRun(RunId runId, RunStatus status, long endTimeMillis) {
        RunStores.requireTerminal(status);
        RunState state = activeRun(runId);
        state.info = withStatus(state.info, status, Optional.of(endTimeMillis));
    }

    @Override
    public synchronized Optional<Run> getRun(RunId runId) {
        RunState state = runs.get(runId);
        return Optional.ofNullable(state).map(RunState::toRun);
    }

    @Override
    public synchronized List<Metric> getMetricHistory(RunId runId, String key) {
        RunState state = existingRun(runId);
        return state.metrics.stream().filter(m -> m.key().equals(key)).sorted(HISTORY_ORDER).toList();
    }

    @Override
    public synchronized List<Run> searchRuns(RunSearch search) {
        return runs.values().stream()
                .filter(s -> s.info.experimentId().equals(search.experimentId()))
                .filter(s -> s.info.lifecycleStage() == LifecycleStage.ACTIVE)
                .filter(s -> search.status().map(status -> status == s.info.status()).orElse(true))
                .map(RunState::toRun)
                .filter(run -> RunMatcher.matches(run, search.filter()))
                .sorted(RunMatcher.order(search.orderBy()))
                .limit(search.maxResults())
                .toList();
    }

    @Override
    public synchronized void deleteRun(RunId runId) {
        RunState state = existingRun(runId);
        RunInfo i = state.info;
        state.info = new RunInfo(i.runId(), i.experimentId(), i.runName(), i.userId(), i.status(), i.startTimeMillis(),
                i.endTimeMillis(), i.artifactUri(), LifecycleStage.DELETED);
        state.deletedTimeMillis = clock.millis();
    }

    private RunState existingRun(RunId runId) {
        RunState state = runs.get(requireNonNull(runId, "runId is null"));
        if (state == null) {
            throw RunStores.runNotFound(runId);
        }
        return state;
    }

    private RunState activeRun(RunId runId) {
        RunState state = existingRun(runId);
        if (state.info.lifecycleStage() != LifecycleStage.ACTIVE) {
            throw RunStores.runNotActive(runId);
        }
        return state;
    }

    private static RunInfo withStatus(RunInfo i, RunStatus status, Optional<Long> endTime) {
        return new RunInfo(i.runId(), i.experimentId(), i.runName(), i.userId(), status, i.startTimeMillis(), endTime,
                i.artifactUri(), i.lifecycleStage());
    }

    private static final class RunState {
        private RunInfo info;
        private final Map<String, String> params = new LinkedHashMap<>();
        private final Map<String, String> tags = new LinkedHashMap<>();
        private final Set<Metric> metrics = new LinkedHashSet<>();
        private final Map<String, Metric> latest = new LinkedHashMap<>();
        @SuppressWarnings("unused")
        private long deletedTimeMillis;

        RunState(RunInfo info) {
            this.info = info;
        }

        Run toRun() {
            return new Run(info, new RunData(params, tags, latest));
        }
    }
}
