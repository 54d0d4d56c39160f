package org.cropcast.tracking.sync;

import static java.util.Objects.requireNonNull;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.cropcast.tracking.ArtifactEntry;
import org.cropcast.tracking.CreateRunRequest;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.Experiment;
import org.cropcast.tracking.ExperimentId;
import org.cropcast.tracking.LifecycleStage;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.Param;
import org.cropcast.tracking.Redactor;
import org.cropcast.tracking.Run;
import org.cropcast.tracking.RunHealth;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunInfo;
import org.cropcast.tracking.RunSearch;
import org.cropcast.tracking.RunStatus;
import org.cropcast.tracking.RunStores;
import org.cropcast.tracking.RunTags;
import org.cropcast.tracking.Tag;
import org.cropcast.tracking.TrackingErrorCode;
import org.cropcast.tracking.sync.RunSyncResult.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies runs from one tracking backend to another through the ports alone ({@link
 * org.cropcast.tracking.RunStore}, {@link org.cropcast.tracking.ArtifactStore}): complete,
 * idempotent, incremental and safe to kill at any point. See {@code docs/SYNC.md}.
 *
 * <p>Per run, in this order (each step re-derives what is missing from both sides, so a sync
 * killed anywhere and started again completes without duplicates):
 * <ol>
 *   <li>find the copy: by the source's identity tags on destination runs of the experiment of the
 *       same name, or by the source's {@code cropcast.sync.to.*} tag, or, when the source run is
 *       itself a copy from the destination, the original; if the copy carries the digest of the
 *       source's current state, the run is {@link Outcome#UNCHANGED} and nothing is written;</li>
 *   <li>create it (with the identity tags in the create request, so it is found again);</li>
 *   <li>params missing at the destination (a different value there is refused and reported,
 *       naming both), tags that differ ({@code mlflow.parentRunId} mapped to the parent's copy),
 *       metric rows missing from each key's history, in batches;</li>
 *   <li>artifact files missing or of another size: copied inside the storage service when it can
 *       ({@link org.cropcast.tracking.ArtifactStore#canCopyDirectly}), else streamed through
 *       {@link org.cropcast.tracking.ArtifactStore#upload}, which publishes a file only whole;</li>
 *   <li>status and end time, then the lifecycle stage, then the digest tag (only when nothing
 *       failed or conflicted), then the {@code cropcast.sync.to.*} tag on the source.</li>
 * </ol>
 * Parents are synced before their children and pulled into the selection when missing from it.
 */
public final class RunSync {
    private static final Logger LOG = LoggerFactory.getLogger(RunSync.class);
    /** MLflow's log_batch limits (1,000 entries in all, at most 100 params and 100 tags). */
    static final int METRIC_BATCH = 1000;
    static final int PARAM_BATCH = 100;
    static final int TAG_BATCH = 100;
    /**
     * 2: with the lineage (dataset inputs, logged models, registered versions, model inputs and outputs);
     * 3: with the registered models' descriptions and tags, and each metric history by its size.
     */
    private static final int DIGEST_FORMAT = 3;

    private final SyncEndpoint source;
    private final SyncEndpoint destination;
    private final Clock clock;
    private final SyncListener listener;
    private final String destinationFingerprint;
    private final String sourceFingerprint;

    public RunSync(SyncEndpoint source, SyncEndpoint destination, Clock clock, SyncListener listener) {
        this.source = requireNonNull(source, "source is null");
        this.destination = requireNonNull(destination, "destination is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.sourceFingerprint = source.fingerprint();
        this.destinationFingerprint = destination.fingerprint();
        if (sourceFingerprint.equals(destinationFingerprint)) {
            throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT,
                    "source and destination are the same backend (" + source.display() + "): nothing to sync");
        }
    }

    /**
     * Syncs the selected runs. Bad selections (an unknown experiment or run id) fail before
     * anything is written; a failure of one run is reported in its result and the others go on.
     */
    public SyncReport sync(SyncRequest request) {
        requireNonNull(request, "request is null");
        LineageSync lineage = new LineageSync(source, destination, this::copyFile, RunSync::walk, listener);
        List<Run> runs = select(request, lineage);
        listener.planned(runs.size());
        Session session = new Session(request, lineage);
        RunSyncResult[] results = new RunSyncResult[runs.size()];
        if (request.parallelism() == 1) {
            for (int i = 0; i < runs.size(); i++) {
                results[i] = syncOne(session, i, runs.get(i));
            }
        } else {
            syncInParallel(session, runs, results, request.parallelism(), lineage);
        }
        return new SyncReport(source.display(), destination.display(), request.dryRun(), List.of(results));
    }

    /**
     * Runs of one generation (no parent among them or after them) are synced at once, a generation
     * after its parents'; an error that is not a {@link CropcastException} (a bug, or the process
     * dying) stops the sync as it would a sequential one.
     */
    private void syncInParallel(Session session, List<Run> runs, RunSyncResult[] results, int parallelism, LineageSync lineage) {
        Map<RunId, Integer> generation = new HashMap<>();
        int generations = 0;
        for (Run run : runs) {
            int g = 0;
            for (RunId dependency : dependencies(run, lineage)) {
                Integer before = generation.get(dependency);
                if (before != null) {
                    g = Math.max(g, before + 1);
                }
            }
            generation.put(run.id(), g);
            generations = Math.max(generations, g + 1);
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(parallelism, r -> {
            Thread thread = new Thread(r, "cropcast-sync");
            thread.setDaemon(true);
            return thread;
        });
        try {
            for (int g = 0; g < generations; g++) {
                List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
                for (int i = 0; i < runs.size(); i++) {
                    if (generation.get(runs.get(i).id()) == g) {
                        int index = i;
                        futures.add(pool.submit(() -> results[index] = syncOne(session, index, runs.get(index))));
                    }
                }
                for (java.util.concurrent.Future<?> future : futures) {
                    try {
                        future.get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        if (e.getCause() instanceof RuntimeException runtime) {
                            throw runtime;
                        }
                        if (e.getCause() instanceof Error error) {
                            throw error;
                        }
                        throw new CropcastException(TrackingErrorCode.INTERNAL_ERROR, "sync failed: " + e.getCause(), e.getCause());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new CropcastException(TrackingErrorCode.INTERNAL_ERROR, "sync interrupted", e);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private RunSyncResult syncOne(Session session, int index, Run run) {
        listener.runStarted(index, run);
        RunSyncResult result;
        try {
            result = session.syncRun(run);
        } catch (CropcastException e) {
            String message = Redactor.truncateForMessage(Redactor.redact(e.getMessage()));
            LOG.warn("run {} failed to sync: {}", run.id(), message);
            result = new RunSyncResult(run.id(), session.experimentName(run.info().experimentId()), run.info().runName(),
                    Outcome.FAILED, Optional.ofNullable(session.mapped.get(run.id())), 0, 0, 0, 0, 0, 0, 0, 0, 0,
                    session.isStale(run), false, List.of(message));
        }
        listener.runFinished(result);
        return result;
    }

    // ---- selection ----

    private List<Run> select(SyncRequest request, LineageSync lineage) {
        Map<RunId, Run> selected = new LinkedHashMap<>();
        for (RunId id : request.runs()) {
            Run run = source.runs().getRun(id).orElseThrow(() -> new CropcastException(TrackingErrorCode.RUN_NOT_FOUND,
                    "run " + id + " does not exist at the source " + source.display()));
            selected.put(run.id(), run);
        }
        List<Experiment> experiments = new ArrayList<>();
        for (String name : request.experiments()) {
            Experiment experiment = source.runs().findExperiment(name)
                    .filter(e -> e.lifecycleStage() == LifecycleStage.ACTIVE)
                    .orElseThrow(() -> new CropcastException(TrackingErrorCode.EXPERIMENT_NOT_FOUND,
                            "experiment '" + Redactor.truncateForMessage(name) + "' does not exist at the source " + source.display()));
            experiments.add(experiment);
        }
        if (request.experiments().isEmpty() && request.runs().isEmpty()) {
            experiments.addAll(source.runs().listExperiments());
        }
        for (Experiment experiment : experiments) {
            List<Run> found = source.runs().searchRuns(new RunSearch(experiment.id(), Optional.empty(), RunSearch.MAX_RESULTS_LIMIT));
            if (found.size() == RunSearch.MAX_RESULTS_LIMIT) {
                throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT, "experiment '" + experiment.name() + "' has "
                        + RunSearch.MAX_RESULTS_LIMIT + " runs or more, more than one search returns: select runs with --run");
            }
            // oldest first, so a listing of the destination reads in the order the runs were made
            for (int i = found.size() - 1; i >= 0; i--) {
                selected.putIfAbsent(found.get(i).id(), found.get(i));
            }
        }
        // parents first, pulled in when not selected
        List<Run> ordered = new ArrayList<>();
        Set<RunId> placed = new HashSet<>();
        for (Run run : List.copyOf(selected.values())) {
            place(run, selected, ordered, placed, new HashSet<>(), lineage);
        }
        return ordered;
    }

    /**
     * The source runs a run's copy needs first: its parent (for {@code mlflow.parentRunId}) and the
     * producers of the logged models it read (for its model inputs).
     */
    private static List<RunId> dependencies(Run run, LineageSync lineage) {
        List<RunId> dependencies = new ArrayList<>();
        String parent = run.data().tags().get(SyncTags.PARENT_RUN_ID);
        if (parent != null) {
            parseRunId(parent).filter(id -> !id.equals(run.id())).ifPresent(dependencies::add);
        }
        dependencies.addAll(lineage.dependencies(run));
        return dependencies;
    }

    private void place(Run run, Map<RunId, Run> selected, List<Run> ordered, Set<RunId> placed, Set<RunId> path, LineageSync lineage) {
        if (placed.contains(run.id()) || !path.add(run.id())) {
            return;
        }
        for (RunId dependency : dependencies(run, lineage)) {
            Optional<Run> needed = Optional.ofNullable(selected.get(dependency)).or(() -> source.runs().getRun(dependency));
            needed.ifPresent(p -> {
                selected.putIfAbsent(p.id(), p);
                place(p, selected, ordered, placed, path, lineage);
            });
        }
        if (placed.add(run.id())) {
            ordered.add(run);
        }
    }

    private static Optional<RunId> parseRunId(String text) {
        try {
            return Optional.of(RunId.of(text.strip()));
        } catch (CropcastException e) {
            return Optional.empty();
        }
    }

    // ---- one sync ----

    /** State kept across the runs of one sync. */
    private final class Session {
        private final SyncRequest request;
        private final Map<ExperimentId, String> experimentNames = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<String, Optional<Experiment>> destinationExperiments = new java.util.concurrent.ConcurrentHashMap<>();
        /** Per destination experiment name: source run id to its copy. */
        private final Map<String, Map<String, Run>> copiesByExperiment = new java.util.concurrent.ConcurrentHashMap<>();
        /** Source run to destination run, for the runs of this sync. */
        private final Map<RunId, RunId> mapped = new java.util.concurrent.ConcurrentHashMap<>();
        /** Source runs a dry run would create. */
        private final Set<RunId> wouldCreate = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private final LineageSync lineage;

        Session(SyncRequest request, LineageSync lineage) {
            this.request = request;
            this.lineage = lineage;
        }

        String experimentName(ExperimentId id) {
            return experimentNames.computeIfAbsent(id, key -> source.runs().getExperiment(key).map(Experiment::name)
                    .orElseThrow(() -> new CropcastException(TrackingErrorCode.EXPERIMENT_NOT_FOUND,
                            "experiment " + key + " of the source " + source.display() + " does not exist")));
        }

        boolean isStale(Run run) {
            return RunHealth.of(run, clock.instant(), request.staleAfter()) == RunHealth.STALE;
        }

        RunSyncResult syncRun(Run selected) {
            boolean dryRun = request.dryRun();
            boolean stale = isStale(selected);
            boolean finalized = stale && request.finalizeStale();
            Run run = finalized ? finalizeStale(selected) : selected;
            String experimentName = experimentName(run.info().experimentId());
            Snapshot snapshot = snapshot(run, lineage);
            Optional<Run> existing = findCopy(run, experimentName);
            if (existing.isPresent() && existing.get().info().lifecycleStage() == LifecycleStage.DELETED
                    && run.info().lifecycleStage() != LifecycleStage.DELETED) {
                throw new CropcastException(TrackingErrorCode.INVALID_RUN_STATE, "its copy " + existing.get().id() + " at "
                        + destination.display() + " is deleted; restore it there (mlflow runs restore) to sync it again");
            }
            if (existing.isEmpty() && run.info().lifecycleStage() == LifecycleStage.DELETED) {
                throw new CropcastException(TrackingErrorCode.INVALID_RUN_STATE, "it is deleted at the source and was never synced;"
                        + " restore it there (mlflow runs restore) to sync it");
            }
            if (existing.isPresent() && snapshot.digest().equals(existing.get().data().tags().get(SyncTags.SOURCE_DIGEST))
                    && !statusDiffers(run.info(), existing.get().info())
                    && run.info().lifecycleStage() == existing.get().info().lifecycleStage()) {
                Run copy = existing.get();
                mapped.put(run.id(), copy.id());
                List<String> problems = new ArrayList<>();
                if (!dryRun) {
                    recordOnSource(run, copy.id(), problems);
                }
                return new RunSyncResult(run.id(), experimentName, run.info().runName(), Outcome.UNCHANGED, Optional.of(copy.id()),
                        0, 0, 0, 0, 0, 0, 0, 0, 0, stale, finalized, problems);
            }

            List<String> problems = new ArrayList<>();
            boolean conflict = false;
            Map<String, String> copyParams = existing.map(c -> c.data().params()).orElse(Map.of());
            Map<String, String> copyTags = existing.map(c -> c.data().tags()).orElse(Map.of());

            List<Param> params = new ArrayList<>();
            for (Map.Entry<String, String> param : new TreeMap<>(run.data().params()).entrySet()) {
                String value = Redactor.redact(param.getValue());
                String there = copyParams.get(param.getKey());
                if (there == null) {
                    params.add(new Param(param.getKey(), value));
                } else if (!Redactor.redact(there).equals(value)) {
                    conflict = true;
                    problems.add("param '" + param.getKey() + "' conflicts: source '" + Redactor.truncateForMessage(value)
                            + "', destination '" + Redactor.truncateForMessage(there) + "'; not changed");
                }
            }
            List<Tag> tags = new ArrayList<>();
            for (Map.Entry<String, String> tag : new TreeMap<>(run.data().tags()).entrySet()) {
                if (!SyncTags.isCopied(tag.getKey())) {
                    continue;
                }
                String value = Redactor.redact(tag.getValue());
                if (tag.getKey().equals(SyncTags.PARENT_RUN_ID)) {
                    Optional<String> parent = mapParent(value, problems);
                    if (parent.isEmpty()) {
                        continue;
                    }
                    value = parent.get();
                }
                String there = copyTags.get(tag.getKey());
                if (there == null || !Redactor.redact(there).equals(value)) {
                    tags.add(new Tag(tag.getKey(), value));
                }
            }
            Map<String, List<Metric>> copyHistories = existing.isPresent()
                    ? destination.runs().getMetricHistories(existing.get().id()) : Map.of();
            // read after the sizes were digested: a row logged in between is copied, and the next sync
            // (its sizes no longer matching the digest) finds nothing missing and writes the new digest
            List<Metric> metrics = missingMetrics(source.runs().getMetricHistories(run.id()), copyHistories);
            Map<String, Long> copyFiles = existing.isPresent() ? listFiles(destination, existing.get().info().artifactUri()) : Map.of();
            List<ArtifactEntry> files = new ArrayList<>();
            long bytes = 0;
            for (ArtifactEntry file : snapshot.files()) {
                Long there = copyFiles.get(file.path());
                if (there == null || !there.equals(file.sizeBytes().orElse(-1L))) {
                    files.add(file);
                    bytes += file.sizeBytes().orElse(0L);
                }
            }

            if (dryRun) {
                existing.ifPresentOrElse(c -> mapped.put(run.id(), c.id()), () -> wouldCreate.add(run.id()));
                listener.metricPoints(run.id(), metrics.size());
                listener.bytes(run.id(), bytes);
                LineageSync.Counts models = lineage.apply(run, existing.map(Run::id).orElse(null), existing.isPresent(),
                        id -> Optional.ofNullable(mapped.get(id)), true, problems);
                Outcome outcome = conflict ? Outcome.CONFLICT : existing.isEmpty() ? Outcome.CREATED
                        : params.isEmpty() && tags.isEmpty() && metrics.isEmpty() && files.isEmpty() && models.datasets() == 0
                                && models.models() == 0 && !statusDiffers(run.info(), existing.get().info()) ? Outcome.UNCHANGED : Outcome.UPDATED;
                return new RunSyncResult(run.id(), experimentName, run.info().runName(), outcome, existing.map(Run::id),
                        metrics.size(), params.size(), tags.size(), files.size() + models.files(), bytes + models.bytes(), 0,
                        models.datasets(), models.models(), models.versions(), stale, finalized, problems);
            }

            long modelBytes = existing.isPresent() ? 0 : lineage.lineage(run).models().stream().flatMap(m -> m.files().stream())
                    .mapToLong(f -> f.sizeBytes().orElse(0L)).sum();
            int modelFiles = existing.isPresent() ? 0 : lineage.lineage(run).models().stream().mapToInt(m -> m.files().size()).sum();
            listener.runPlanned(run.id(), metrics.size(), files.size() + modelFiles, bytes + modelBytes);
            Run copy = existing.isPresent() ? existing.get() : create(run, experimentName);
            RunId copyId = copy.id();
            mapped.put(run.id(), copyId);
            if (existing.isPresent() && !sourceFingerprint.equals(copyTags.get(SyncTags.SOURCE_BACKEND))
                    && run.id().value().equals(copyTags.get(SyncTags.SOURCE_RUN_ID))) {
                tags.add(new Tag(SyncTags.SOURCE_BACKEND, sourceFingerprint));
                tags.add(new Tag(SyncTags.SOURCE_URI, source.display()));
            }
            if (!files.isEmpty()) {
                destination.artifacts().discardIncompleteUploads(copy.info().artifactUri());
            }
            int copiedInStorage = 0;
            for (ArtifactEntry file : files) {
                copiedInStorage += copyFile(run.id(), run.info().artifactUri(), copy.info().artifactUri(), file) ? 1 : 0;
            }
            LineageSync.Counts models = lineage.apply(run, copyId, existing.isPresent(), id -> Optional.ofNullable(mapped.get(id)),
                    false, problems);
            conflict |= models.conflict();
            RunInfo from = run.info();
            RunInfo target = copy.info();
            if (from.status() == RunStatus.SCHEDULED) {
                problems.add("the source run is SCHEDULED; its copy is RUNNING (a run store cannot set SCHEDULED)");
            }
            // params and tags ride with the first metrics, the digest with the last: as few requests as
            // MLflow's log_batch limits allow. The digest is written after every file and model, in the
            // last batch; a sync killed before the end status is written finds the status differing.
            boolean digest = !conflict && problems.isEmpty() && !snapshot.digest().equals(copyTags.get(SyncTags.SOURCE_DIGEST));
            for (Batch batch : batches(params, tags, metrics, digest ? Optional.of(new Tag(SyncTags.SOURCE_DIGEST, snapshot.digest()))
                    : Optional.empty())) {
                destination.runs().logBatch(copyId, batch.metrics(), batch.params(), batch.tags());
                listener.metricPoints(run.id(), batch.metrics().size());
            }
            if (from.status().isTerminal() && statusDiffers(from, target)) {
                destination.runs().endRun(copyId, from.status(), from.endTimeMillis().orElse(from.startTimeMillis()));
            } else if (from.status() == RunStatus.RUNNING && target.status().isTerminal()) {
                destination.runs().reopenRun(copyId);
            }
            if (from.lifecycleStage() == LifecycleStage.DELETED && target.lifecycleStage() != LifecycleStage.DELETED) {
                destination.runs().deleteRun(copyId);
            }
            recordOnSource(run, copyId, problems);
            Outcome outcome = conflict ? Outcome.CONFLICT : existing.isPresent() ? Outcome.UPDATED : Outcome.CREATED;
            return new RunSyncResult(run.id(), experimentName, run.info().runName(), outcome, Optional.of(copyId),
                    metrics.size(), params.size(), tags.size(), files.size() + models.files(), bytes + models.bytes(),
                    copiedInStorage + models.filesInStorage(), models.datasets(), models.models(), models.versions(), stale, finalized,
                    problems);
        }

        /** Ends a stale source run KILLED at its last heartbeat, and reads it again. */
        private Run finalizeStale(Run run) {
            long end = Math.max(Long.parseLong(run.data().tags().get(RunTags.HEARTBEAT).strip()), run.info().startTimeMillis());
            LOG.info("run {} is stale (last heartbeat {}): ending it KILLED", run.id(), end);
            source.runs().endRun(run.id(), RunStatus.KILLED, end);
            return source.runs().getRun(run.id()).orElseThrow(() -> RunStores.runNotFound(run.id()));
        }

        private Run create(Run run, String experimentName) {
            Experiment experiment = destinationExperiments.compute(experimentName, (name, known) -> known != null && known.isPresent()
                    ? known : Optional.of(destination.runs().getOrCreateExperiment(name))).orElseThrow();
            RunInfo info = run.info();
            List<Tag> identity = List.of(
                    new Tag(SyncTags.SOURCE_BACKEND, sourceFingerprint),
                    new Tag(SyncTags.SOURCE_RUN_ID, run.id().value()),
                    new Tag(SyncTags.SOURCE_URI, source.display()));
            CreateRunRequest request = new CreateRunRequest(experiment.id(), info.runName(), info.userId(), info.startTimeMillis(), identity);
            RunInfo created = destination.runs().createRun(request);
            // what the new run holds, without reading it back
            Map<String, String> tags = new HashMap<>();
            RunStores.creationTags(request).forEach(tag -> tags.put(tag.key(), tag.value()));
            Run copy = new Run(created, new org.cropcast.tracking.RunData(Map.of(), tags, Map.of()));
            copies(experimentName).put(run.id().value(), copy);
            return copy;
        }

        private Optional<String> mapParent(String parent, List<String> problems) {
            Optional<RunId> parentId = parseRunId(parent);
            if (parentId.isPresent() && mapped.containsKey(parentId.get())) {
                return Optional.of(mapped.get(parentId.get()).value());
            }
            if (parentId.isPresent() && request.dryRun() && wouldCreate.contains(parentId.get())) {
                return Optional.of(parent);
            }
            problems.add("parent run " + Redactor.truncateForMessage(parent) + " has no copy at the destination; "
                    + SyncTags.PARENT_RUN_ID + " not set");
            return Optional.empty();
        }

        /** Where the run's copy is, if it exists (active or deleted). */
        private Optional<Run> findCopy(Run run, String experimentName) {
            Map<String, String> tags = run.data().tags();
            // the source run is itself a copy of a destination run: sync back into the original
            if (destinationFingerprint.equals(tags.get(SyncTags.SOURCE_BACKEND)) && tags.containsKey(SyncTags.SOURCE_RUN_ID)) {
                Optional<Run> original = parseRunId(tags.get(SyncTags.SOURCE_RUN_ID)).flatMap(destination.runs()::getRun);
                if (original.isPresent()) {
                    return original;
                }
            }
            Run inExperiment = copies(experimentName).get(run.id().value());
            if (inExperiment != null) {
                return Optional.of(inExperiment);
            }
            String recorded = tags.get(SyncTags.syncedTo(destinationFingerprint));
            if (recorded != null) {
                Optional<Run> copy = parseRunId(recorded.split(" ", 2)[0]).flatMap(destination.runs()::getRun)
                        .filter(c -> run.id().value().equals(c.data().tags().get(SyncTags.SOURCE_RUN_ID)));
                if (copy.isPresent()) {
                    return copy;
                }
            }
            return Optional.empty();
        }

        /** Active destination runs of the experiment that are copies, by source run id (read once per sync). */
        private Map<String, Run> copies(String experimentName) {
            return copiesByExperiment.computeIfAbsent(experimentName, name -> {
                Map<String, Run> byId = new java.util.concurrent.ConcurrentHashMap<>();
                Optional<Experiment> experiment = destinationExperiments.computeIfAbsent(name, destination.runs()::findExperiment);
                experiment.filter(e -> e.lifecycleStage() == LifecycleStage.ACTIVE).ifPresent(e -> {
                    for (Run run : destination.runs().searchRuns(new RunSearch(e.id(), Optional.empty(), RunSearch.MAX_RESULTS_LIMIT))) {
                        String sourceRun = run.data().tags().get(SyncTags.SOURCE_RUN_ID);
                        if (sourceRun != null) {
                            byId.putIfAbsent(sourceRun, run);
                        }
                    }
                });
                return byId;
            });
        }

        /** Tags the source run with where its copy is; a failure (a read-only source) is reported, not fatal. */
        private void recordOnSource(Run run, RunId copyId, List<String> problems) {
            if (run.info().lifecycleStage() == LifecycleStage.DELETED) {
                return;
            }
            String key = SyncTags.syncedTo(destinationFingerprint);
            String value = SyncTags.syncedToValue(copyId.value(), destination.display());
            if (value.equals(run.data().tags().get(key))) {
                return;
            }
            try {
                source.runs().logBatch(run.id(), List.of(), List.of(), List.of(new Tag(key, value)));
            } catch (CropcastException e) {
                problems.add("cannot record the copy on the source run: " + Redactor.truncateForMessage(Redactor.redact(e.getMessage())));
            }
        }
    }

    /** One log_batch request. */
    private record Batch(List<Metric> metrics, List<Param> params, List<Tag> tags) {}

    /**
     * The writes of params, tags and metrics in as few log_batch requests as MLflow's limits allow
     * (params and tags with the first metrics), {@code last} in the final one.
     */
    static List<Batch> batches(List<Param> params, List<Tag> tags, List<Metric> metrics, Optional<Tag> last) {
        List<Batch> batches = new ArrayList<>();
        for (int p = 0, t = 0, m = 0; p < params.size() || t < tags.size() || m < metrics.size(); ) {
            List<Param> batchParams = params.subList(p, Math.min(params.size(), p + PARAM_BATCH));
            List<Tag> batchTags = tags.subList(t, Math.min(tags.size(), t + TAG_BATCH));
            int room = METRIC_BATCH - batchParams.size() - batchTags.size();
            List<Metric> batchMetrics = metrics.subList(m, Math.min(metrics.size(), m + room));
            batches.add(new Batch(batchMetrics, batchParams, batchTags));
            p += batchParams.size();
            t += batchTags.size();
            m += batchMetrics.size();
        }
        if (last.isPresent()) {
            Batch end = batches.isEmpty() ? null : batches.get(batches.size() - 1);
            if (end != null && end.tags().size() < TAG_BATCH && end.metrics().size() + end.params().size() + end.tags().size() < METRIC_BATCH) {
                List<Tag> withLast = new ArrayList<>(end.tags());
                withLast.add(last.get());
                batches.set(batches.size() - 1, new Batch(end.metrics(), end.params(), withLast));
            } else {
                batches.add(new Batch(List.of(), List.of(), List.of(last.get())));
            }
        }
        return batches;
    }

    private static boolean statusDiffers(RunInfo source, RunInfo target) {
        return source.status() != target.status() || !source.endTimeMillis().equals(target.endTimeMillis());
    }

    // ---- metrics ----

    /** A metric row as MLflow keys it: (key, step, timestamp, value), NaN folded to one value. */
    private record Row(String key, long step, long timestamp, long valueBits) {
        static Row of(Metric metric) {
            return new Row(metric.key(), metric.step(), metric.timestampMillis(), Double.doubleToLongBits(metric.value()));
        }
    }

    private static List<Metric> missingMetrics(Map<String, List<Metric>> source, Map<String, List<Metric>> copy) {
        List<Metric> missing = new ArrayList<>();
        for (Map.Entry<String, List<Metric>> history : source.entrySet()) {
            List<Metric> there = copy.getOrDefault(history.getKey(), List.of());
            Set<Row> present = new HashSet<>(there.size() * 2);
            there.forEach(metric -> present.add(Row.of(metric)));
            for (Metric metric : history.getValue()) {
                if (present.add(Row.of(metric))) {
                    missing.add(metric);
                }
            }
        }
        return missing;
    }

    // ---- artifacts ----

    /** Every file under an artifact root, by path, with its size. */
    private static Map<String, Long> listFiles(SyncEndpoint side, String artifactUri) {
        Map<String, Long> files = new TreeMap<>();
        for (ArtifactEntry entry : walk(side, artifactUri)) {
            files.put(entry.path(), entry.sizeBytes().orElse(-1L));
        }
        return files;
    }

    private static List<ArtifactEntry> walk(SyncEndpoint side, String artifactUri) {
        List<ArtifactEntry> files = new ArrayList<>();
        List<String> directories = new ArrayList<>(List.of(""));
        while (!directories.isEmpty()) {
            String directory = directories.remove(directories.size() - 1);
            for (ArtifactEntry entry : side.artifacts().list(artifactUri, directory)) {
                if (entry.directory()) {
                    directories.add(entry.path());
                } else {
                    files.add(entry);
                }
            }
        }
        files.sort(java.util.Comparator.comparing(ArtifactEntry::path));
        return files;
    }

    /** Copies one file of a run (or of a model it produced); true if it was copied inside the storage service. */
    private boolean copyFile(RunId run, String sourceRoot, String targetRoot, ArtifactEntry file) {
        Optional<Location> direct = directSource(sourceRoot, file.path())
                .filter(location -> destination.artifacts().canCopyDirectly(location, targetRoot));
        if (direct.isPresent()) {
            int slash = file.path().lastIndexOf('/');
            destination.artifacts().copyDirectly(direct.get(), targetRoot, slash < 0 ? "" : file.path().substring(0, slash));
            listener.bytes(run, file.sizeBytes().orElse(0L));
            return true;
        }
        try (InputStream in = new ReportingInputStream(source.artifacts().open(sourceRoot, file.path()), run)) {
            destination.artifacts().upload(targetRoot, file.path(), in);
            return false;
        } catch (IOException e) {
            throw new CropcastException(TrackingErrorCode.STORAGE_FAILURE,
                    "cannot copy artifact '" + file.path() + "': " + e.getMessage(), e);
        }
    }

    /** Reports the bytes read through it to the listener, in steps of at least 64 KiB (and the rest on close). */
    private final class ReportingInputStream extends org.cropcast.tracking.ReadCountingInputStream {
        private static final int STEP = 64 * 1024;
        private final RunId run;
        private final long[] unreported;

        ReportingInputStream(InputStream in, RunId run) {
            this(in, run, new long[1]);
        }

        private ReportingInputStream(InputStream in, RunId run, long[] unreported) {
            super(in, n -> {
                unreported[0] += n;
                if (unreported[0] >= STEP) {
                    listener.bytes(run, unreported[0]);
                    unreported[0] = 0;
                }
            });
            this.run = run;
            this.unreported = unreported;
        }

        @Override
        public void close() throws IOException {
            if (unreported[0] > 0) {
                listener.bytes(run, unreported[0]);
                unreported[0] = 0;
            }
            super.close();
        }
    }

    /** The source file as a storage location, when its root is one (object stores; never local files). */
    private static Optional<Location> directSource(String sourceRoot, String path) {
        try {
            Location root = Location.of(sourceRoot);
            return root.isLocal() ? Optional.empty() : Optional.of(root.resolve(path));
        } catch (CropcastException e) {
            return Optional.empty();
        }
    }

    // ---- the source's state ----

    /**
     * What the sync reads of a source run first: the sizes of its histories, its files and their
     * digest. The histories themselves are read only when the run is not unchanged.
     */
    private record Snapshot(SortedMap<String, Long> historySizes, List<ArtifactEntry> files, String digest) {}

    private Snapshot snapshot(Run run, LineageSync lineage) {
        SortedMap<String, Long> sizes = source.runs().getMetricHistorySizes(run.id());
        List<ArtifactEntry> files = walk(source, run.info().artifactUri());
        return new Snapshot(sizes, files, digest(run, sizes, files, lineage.lineage(run)));
    }

    /**
     * SHA-256 of everything a sync copies of the run (info, params, copied tags, the size of every
     * metric history, artifact paths and sizes, the lineage), in a fixed order: equal digests mean
     * nothing to copy. A history is digested by its size because histories only grow
     * ({@link org.cropcast.tracking.RunStore#getMetricHistorySizes}): a row added anywhere changes it.
     */
    static String digest(Run run, SortedMap<String, Long> historySizes, List<ArtifactEntry> files, LineageSync.Lineage lineage) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (DataOutputStream out = new DataOutputStream(new DigestOutputStream(OutputStream.nullOutputStream(), sha))) {
                RunInfo info = run.info();
                out.writeInt(DIGEST_FORMAT);
                writeLongString(out, info.runName());
                writeLongString(out, info.userId());
                out.writeUTF(info.status().name());
                out.writeLong(info.startTimeMillis());
                out.writeLong(info.endTimeMillis().orElse(Long.MIN_VALUE));
                out.writeUTF(info.lifecycleStage().name());
                writeMap(out, run.data().params(), key -> true);
                writeMap(out, run.data().tags(), SyncTags::isCopied);
                out.writeInt(historySizes.size());
                for (Map.Entry<String, Long> history : historySizes.entrySet()) {
                    writeLongString(out, history.getKey());
                    out.writeLong(history.getValue());
                }
                out.writeInt(files.size());
                for (ArtifactEntry file : files) {
                    writeLongString(out, file.path());
                    out.writeLong(file.sizeBytes().orElse(-1L));
                }
                LineageSync.digest(out, lineage);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new CropcastException(TrackingErrorCode.INTERNAL_ERROR, "cannot digest run " + run.id(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new CropcastException(TrackingErrorCode.INTERNAL_ERROR, "SHA-256 is not available", e);
        }
    }

    private static void writeMap(DataOutputStream out, Map<String, String> map, java.util.function.Predicate<String> keep)
            throws IOException {
        TreeMap<String, String> sorted = new TreeMap<>();
        map.forEach((key, value) -> {
            if (keep.test(key)) {
                sorted.put(key, value);
            }
        });
        out.writeInt(sorted.size());
        for (Map.Entry<String, String> entry : sorted.entrySet()) {
            writeLongString(out, entry.getKey());
            writeLongString(out, entry.getValue());
        }
    }

    /** Strings of any length (writeUTF stops at 64 KB). */
    private static void writeLongString(DataOutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }
}
