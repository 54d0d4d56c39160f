package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the one MLflow run of a pipeline invocation. Plain constructor, no container needed:
 *
 * <pre>{@code
 * RunScope scope = new RunScope(runStore, artifactStore, storage, documentWriter, clock, settings);
 * // callback form: FINISHED on return, FAILED (and rethrown unchanged) on an exception
 * StageResult result = scope.run(request, run -> stage.run(contextFor(run)));
 * // try-with-resources form: finish() marks success; leaving the block without it ends FAILED
 * try (TrackedRun run = scope.open(request)) {
 *     stage.run(contextFor(run));
 *     run.finish();
 * }
 * }</pre>
 *
 * <p>Opening a run: gets or creates the experiment; in {@link RunMode#CREATE} creates a run, in
 * {@link RunMode#RESUME} reopens the run named by {@code metadata_<stage>.yaml} after checking
 * every bounded param against the stored ones (a changed value fails with
 * {@link TrackingErrorCode#PARAM_CONFLICT} before anything is written); sets the tags
 * ({@link RunTags}); logs the bounded params; records the run in {@code metadata_<stage>.yaml};
 * writes {@code config_resolved.yaml} and {@code metadata.yaml} into the run directory and uploads
 * both to the artifact root; starts the heartbeat; installs a shutdown hook that ends the run
 * KILLED on SIGINT/SIGTERM. If any step after the run exists fails, the run ends FAILED.
 *
 * <p>The scope's open runs share one heartbeat thread and one shutdown hook ({@link LiveRuns}),
 * which go when its last open run ends. Close the scope before the run store
 * ({@code try (RunStore store = ...; RunScope scope = ...)}): {@link #close()} stops the heartbeats
 * of runs left open on purpose (a sweep's parent under {@code --print-commands}) or by a failure,
 * so that none reaches a closed store.
 */
public final class RunScope implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunScope.class);
    public static final String CONFIG_FILE = "config_resolved.yaml";
    public static final String METADATA_FILE = "metadata.yaml";

    final RunStore runStore;
    final ArtifactStore artifactStore;
    final Storage storage;
    final DocumentWriter documents;
    final Clock clock;
    final RunScopeSettings settings;
    final LiveRuns live;

    public RunScope(RunStore runStore, ArtifactStore artifactStore, Storage storage, DocumentWriter documents,
            Clock clock, RunScopeSettings settings) {
        this.runStore = requireNonNull(runStore, "runStore is null");
        this.artifactStore = requireNonNull(artifactStore, "artifactStore is null");
        this.storage = requireNonNull(storage, "storage is null");
        this.documents = requireNonNull(documents, "documents is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.live = new LiveRuns(settings.heartbeatInterval(), settings.endOnShutdown(), true);
    }

    /**
     * Stops the heartbeats of the runs still open (none is written after this returns) and removes
     * the shutdown hook; those runs stay RUNNING and go stale, as when their process ends. Later
     * {@link #open} calls fail with {@link TrackingErrorCode#INVALID_RUN_STATE}. Idempotent. Call it
     * before closing the run store.
     */
    @Override
    public void close() {
        live.close();
    }

    /** The body of a run in the callback form. */
    @FunctionalInterface
    public interface RunBody<T, E extends Exception> {
        T run(TrackedRun run) throws E;
    }

    /**
     * Opens a run, calls {@code body}, and ends the run FINISHED when it returns, or FAILED when it
     * throws; the exception propagates unchanged (a failure to end the run is added as suppressed).
     */
    public <T, E extends Exception> T run(RunRequest request, RunBody<T, E> body) throws E {
        return run(request, made -> { }, body);
    }

    /**
     * As {@link #run(RunRequest, RunBody)}; {@code onMade} is told the run's id as soon as the
     * run exists in the store (created or reopened), before anything else is written: from then on
     * the run directory belongs to a run, even if the process dies before the body starts.
     */
    public <T, E extends Exception> T run(RunRequest request, java.util.function.Consumer<RunId> onMade, RunBody<T, E> body) throws E {
        TrackedRun run = open(request, onMade);
        T result;
        try {
            result = body.run(run);
        } catch (Throwable t) {
            failKeepingCause(run, t);
            throw t;
        }
        run.finish();
        return result;
    }

    /** Opens a run; close it (after {@link TrackedRun#finish()} on success) in a try-with-resources. */
    public TrackedRun open(RunRequest request) {
        return open(request, made -> { });
    }

    /** As {@link #open(RunRequest)}, telling {@code onMade} the run's id as soon as the run exists in the store. */
    public TrackedRun open(RunRequest request, java.util.function.Consumer<RunId> onMade) {
        requireNonNull(request, "request is null");
        requireNonNull(onMade, "onMade is null");
        live.requireOpen();
        List<Param> params = request.allParams();
        TrackingLimits.validateBatch(List.of(), params, List.of());
        RunInfo info = request.mode() == RunMode.CREATE ? create(request) : resume(request, params);
        onMade.accept(info.runId());
        TrackedRun run = new TrackedRun(this, info, request);
        try {
            run.start();
            runStore.logBatch(info.runId(), List.of(), params, tags(request, info));
            new RunRecord(request.stage(), info.runId(), info.experimentId(), settings.trackingUri(),
                    Instant.now(clock).toString()).write(storage, documents, request.runDirectory());
            writeAndUpload(run, CONFIG_FILE, request.configDocument());
            writeAndUpload(run, METADATA_FILE, metadata(request, info));
        } catch (Throwable t) {
            failKeepingCause(run, t);
            throw t;
        }
        return run;
    }

    /**
     * Ends the run FAILED; a failure to do so is attached to {@code cause}, which the caller
     * rethrows, as {@link TrackingErrorCode#RUN_NOT_ENDED} saying that the run stays RUNNING (the
     * command line adds it to the error line: it never claims a FAILED run it could not record).
     */
    private static void failKeepingCause(TrackedRun run, Throwable cause) {
        try {
            run.fail(cause);
        } catch (RuntimeException e) {
            cause.addSuppressed(notEnded(run.runId(), RunStatus.FAILED, e));
        }
    }

    /** The failure to end {@code runId} with {@code status}, as one line saying what becomes of the run. */
    static CropcastException notEnded(RunId runId, RunStatus status, RuntimeException e) {
        return new CropcastException(TrackingErrorCode.RUN_NOT_ENDED, "run " + runId + " could not be marked " + status + " ("
                + Redactor.truncateForMessage(Redactor.redact(String.valueOf(e.getMessage()))) + "): it stays RUNNING and"
                + " `cropcast runs list` shows it stale once its heartbeat is older than --stale-after", e);
    }

    private RunInfo create(RunRequest request) {
        Experiment experiment = runStore.getOrCreateExperiment(request.experimentName());
        // the heartbeat and the run directory go in with the run itself (one call, one transaction): a
        // process killed right after creating its run leaves a run that goes stale like any other, and
        // that a resume of its directory finds without metadata_<stage>.yaml
        List<Tag> initial = new ArrayList<>(List.of(new Tag(RunTags.STAGE, request.stage()),
                new Tag(RunTags.RUN_DIR, recordedRunDirectory(request)), new Tag(RunTags.HEARTBEAT, Long.toString(clock.millis()))));
        request.parentRunId().ifPresent(parent -> {
            checkParent(parent, experiment);
            initial.add(new Tag(RunTags.PARENT_RUN_ID, parent.value()));
        });
        return runStore.createRun(new CreateRunRequest(experiment.id(), request.effectiveRunName(), settings.userName(),
                clock.millis(), initial));
    }

    /** A parent must be an active run of the child's experiment (the MLflow UI nests only within one experiment). */
    private void checkParent(RunId parent, Experiment experiment) {
        Run run = runStore.getRun(parent).orElseThrow(() -> new CropcastException(TrackingErrorCode.RUN_NOT_FOUND,
                "parent run " + parent + " not found in " + Redactor.redact(settings.trackingUri())));
        if (run.info().lifecycleStage() != LifecycleStage.ACTIVE) {
            throw new CropcastException(TrackingErrorCode.INVALID_RUN_STATE, "parent run " + parent + " is deleted");
        }
        if (!run.info().experimentId().equals(experiment.id())) {
            throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT, "parent run " + parent + " belongs to experiment "
                    + run.info().experimentId() + ", not to '" + experiment.name() + "' (" + experiment.id() + ")");
        }
    }

    /** The run directory as its {@value RunTags#RUN_DIR} tag records it (redacted, bounded): the directory's identity. */
    private static String recordedRunDirectory(RunRequest request) {
        return TrackingLimits.truncateTagValue(Redactor.redact(request.runDirectory().toString()));
    }

    private RunInfo resume(RunRequest request, List<Param> params) {
        String recordStage = request.recordStage();
        RunRecord record = RunRecord.read(storage, documents, request.runDirectory(), recordStage)
                .or(() -> orphanRecord(request))
                .orElseThrow(() -> new CropcastException(TrackingErrorCode.INVALID_RUN_DIRECTORY,
                        "cannot resume: " + request.runDirectory().resolve(RunRecord.fileName(recordStage))
                                + " does not exist and no RUNNING " + recordStage + " run of experiment '" + request.experimentName()
                                + "' was made in this directory (run the " + recordStage + " stage in create mode first)"));
        checkSameConfiguration(request, record);
        Run stored = runStore.getRun(record.runId()).orElseThrow(() -> new CropcastException(TrackingErrorCode.RUN_NOT_FOUND,
                "cannot resume run " + record.runId() + " recorded in " + RunRecord.fileName(recordStage)
                        + ": the tracking store " + Redactor.redact(settings.trackingUri()) + " does not have it"));
        if (stored.info().lifecycleStage() != LifecycleStage.ACTIVE) {
            throw RunStores.runNotActive(record.runId());
        }
        checkRecordMatches(request, record, stored);
        Optional<Experiment> named = runStore.findExperiment(request.experimentName());
        if (named.isPresent() && !named.get().id().equals(stored.info().experimentId())) {
            throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT, "cannot resume run " + record.runId()
                    + ": it belongs to experiment " + stored.info().experimentId() + ", not to '"
                    + request.experimentName() + "' (" + named.get().id() + ")");
        }
        RunStores.checkParamConflicts(record.runId(), stored.data().params(), params);
        // the run's earlier process may have been killed mid-write: its leftovers must not surface
        // as artifacts (MLflow lists an artifact directory as it is) or linger in the run directory
        int leftovers = artifactStore.discardIncompleteUploads(stored.info().artifactUri())
                + storage.discardIncompleteWrites(request.runDirectory());
        if (leftovers > 0) {
            LOG.info("resuming run {}: removed {} unfinished write(s) left by its earlier process", record.runId(), leftovers);
        }
        return runStore.reopenRun(record.runId());
    }

    /**
     * The record of a run whose process was killed after creating it but before writing
     * {@code metadata_<stage>.yaml}: the one RUNNING run of the experiment whose
     * {@value RunTags#RUN_DIR} tag is this directory and whose {@value RunTags#STAGE} tag is the
     * stage (both written with the run itself). Two such runs are ambiguous and refused.
     */
    private Optional<RunRecord> orphanRecord(RunRequest request) {
        Optional<Experiment> experiment = runStore.findExperiment(request.experimentName());
        if (experiment.isEmpty()) {
            return Optional.empty();
        }
        String here = recordedRunDirectory(request);
        List<Run> made = runStore.searchRuns(new RunSearch(experiment.get().id(), Optional.of(RunStatus.RUNNING), RunSearch.MAX_RESULTS_LIMIT))
                .stream()
                .filter(run -> here.equals(run.data().tags().get(RunTags.RUN_DIR))
                        && request.recordStage().equals(run.data().tags().get(RunTags.STAGE)))
                .toList();
        if (made.size() > 1) {
            throw new CropcastException(TrackingErrorCode.INVALID_RUN_DIRECTORY, "cannot resume: " + request.runDirectory()
                    + " has no " + RunRecord.fileName(request.recordStage()) + " and " + made.size() + " RUNNING "
                    + request.recordStage() + " runs were made in it (" + made.get(0).info().runId() + ", " + made.get(1).info().runId()
                    + "); which to resume is ambiguous: start a new run directory instead");
        }
        return made.stream().findFirst().map(run -> {
            LOG.info("resuming run {}: its process ended before writing {}; found by its {} tag", run.info().runId(),
                    RunRecord.fileName(request.recordStage()), RunTags.RUN_DIR);
            return new RunRecord(request.recordStage(), run.info().runId(), run.info().experimentId(), settings.trackingUri(),
                    Instant.ofEpochMilli(run.info().startTimeMillis()).toString());
        });
    }

    /**
     * A resume must run the configuration the run was started with: the request's resolved
     * configuration is compared with the run directory's {@value #CONFIG_FILE} before anything is
     * written, and the first difference is named with both values.
     */
    private void checkSameConfiguration(RunRequest request, RunRecord record) {
        Location file = request.runDirectory().resolve(CONFIG_FILE);
        if (!storage.exists(file)) {
            return;
        }
        Map<String, Object> recorded;
        try (java.io.InputStream in = storage.newInputStream(file)) {
            recorded = documents.read(in);
        } catch (java.io.IOException e) {
            throw new CropcastException(TrackingErrorCode.STORAGE_FAILURE, "cannot read " + file + ": " + e.getMessage(), e);
        }
        // the file holds the redacted document: compare like with like
        ConfigDifference.first(recorded, RunRecord.Documents.redact(request.configDocument())).ifPresent(d -> {
            throw new CropcastException(TrackingErrorCode.CONFIG_CHANGED, "cannot resume run " + record.runId()
                    + ": the configuration differs from the run's " + file + " at '" + d.key() + "': "
                    + d.recorded() + " in the run, " + d.requested() + " now (start a new run directory instead)");
        });
    }

    /**
     * The run record is not trusted blindly: the record must be of its file's stage, the run it
     * names must be of this stage (its {@code cropcast.stage} tag), and the run must have been made
     * in this very directory (its {@code cropcast.run_dir} tag, the directory's recorded identity):
     * an edited {@code metadata_hindcast.yaml} naming the fit-production run, or a copy of a run
     * directory, would otherwise resume (hijack) another run and re-point its tags.
     */
    private static void checkRecordMatches(RunRequest request, RunRecord record, Run stored) {
        String file = RunRecord.fileName(request.recordStage());
        if (!record.stage().equals(request.recordStage())) {
            throw new CropcastException(TrackingErrorCode.INVALID_RUN_DIRECTORY, request.runDirectory().resolve(file)
                    + " records stage '" + record.stage() + "', not '" + request.recordStage() + "'; refusing to resume run " + record.runId());
        }
        String stage = stored.data().tags().get(RunTags.STAGE);
        if (stage != null && !stage.equals(request.recordStage())) {
            throw new CropcastException(TrackingErrorCode.INVALID_RUN_DIRECTORY, "cannot resume run " + record.runId() + " recorded in "
                    + request.runDirectory().resolve(file) + ": it is a " + stage + " run, not a " + request.recordStage() + " run");
        }
        String directory = stored.data().tags().get(RunTags.RUN_DIR);
        // compared as the tag was written (redacted, bounded)
        String here = recordedRunDirectory(request);
        if (directory != null && !directory.equals(here)) {
            throw new CropcastException(TrackingErrorCode.INVALID_RUN_DIRECTORY, "cannot resume run " + record.runId() + " from "
                    + request.runDirectory() + ": the run was made in " + directory
                    + " (this directory is a copy or was moved); resume it there, or start a new run here");
        }
    }

    private List<Tag> tags(RunRequest request, RunInfo info) {
        EnvironmentInfo env = settings.environment();
        GitInfo git = settings.git();
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(RunTags.STAGE, request.stage());
        tags.put(RunTags.RUN_DIR, request.runDirectory().toString());
        tags.put(RunTags.CONFIG_PATH, request.configPath());
        tags.put(RunTags.GIT_COMMIT, git.commit());
        // what MLflow's UI shows as the run's source (Python sets these from sys.argv[0] and the git checkout)
        tags.put(RunTags.MLFLOW_SOURCE_NAME, "cropcast run " + request.stage());
        tags.put(RunTags.MLFLOW_SOURCE_TYPE, "LOCAL");
        if (!git.commit().equals(GitInfo.UNKNOWN)) {
            tags.put(RunTags.MLFLOW_SOURCE_GIT_COMMIT, git.commit());
        }
        tags.put(RunTags.GIT_SHORT, git.shortCommit());
        tags.put(RunTags.GIT_DIRTY, git.dirty());
        tags.put(RunTags.JAVA_VERSION, env.javaVersion());
        tags.put(RunTags.JAVA_VENDOR, env.javaVendor());
        tags.put(RunTags.OS_NAME, env.osName());
        tags.put(RunTags.OS_ARCH, env.osArch());
        env.libraries().forEach((name, version) -> tags.put(RunTags.LIBRARY_PREFIX + name, version));
        tags.put(RunTags.HEARTBEAT, Long.toString(clock.millis()));
        request.parentRunId().ifPresent(parent -> tags.put(RunTags.PARENT_RUN_ID, parent.value()));
        List<Tag> list = new ArrayList<>();
        tags.forEach((k, v) -> list.add(new Tag(k, TrackingLimits.truncateTagValue(Redactor.redact(v)))));
        return list;
    }

    private Map<String, Object> metadata(RunRequest request, RunInfo info) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("stage", request.stage());
        doc.put("mode", request.mode().name().toLowerCase(java.util.Locale.ROOT));
        doc.put("mlflow_run_id", info.runId().value());
        doc.put("experiment_id", info.experimentId().value());
        doc.put("experiment_name", request.experimentName());
        doc.put("tracking_uri", settings.trackingUri());
        doc.put("run_dir", request.runDirectory().toString());
        doc.put("config_path", request.configPath());
        doc.put("seed", request.params().randomSeed());
        doc.put("created_at", Instant.now(clock).toString());
        doc.put("run_started_at", Instant.ofEpochMilli(info.startTimeMillis()).toString());
        request.parentRunId().ifPresent(parent -> doc.put("parent_run_id", parent.value()));
        Map<String, Object> git = new LinkedHashMap<>();
        git.put("commit", settings.git().commit());
        git.put("short", settings.git().shortCommit());
        git.put("dirty", settings.git().dirty());
        doc.put("git", git);
        EnvironmentInfo env = settings.environment();
        Map<String, Object> environment = new LinkedHashMap<>();
        environment.put("java_version", env.javaVersion());
        environment.put("java_vendor", env.javaVendor());
        environment.put("os_name", env.osName());
        environment.put("os_arch", env.osArch());
        environment.put("libraries", new LinkedHashMap<>(env.libraries()));
        doc.put("environment", environment);
        List<Object> files = new ArrayList<>();
        for (Location file : request.dataFiles()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("location", file.toString());
            entry.put("sha256_prefix", Fingerprints.sha256Prefix(storage, file));
            files.add(entry);
        }
        doc.put("data_files", files);
        return doc;
    }

    private void writeAndUpload(TrackedRun run, String fileName, Map<String, ?> document) {
        Location file = run.runDirectory().resolve(fileName);
        RunRecord.Documents.write(storage, documents, file, document);
        run.logArtifact(file, "");
    }
}
