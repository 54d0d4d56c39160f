package org.cropcast.pipeline.runs;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.cropcast.pipeline.config.ConfigDocuments;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.pipeline.config.PipelineSettings;
import org.cropcast.pipeline.errors.AppErrorCode;
import org.cropcast.pipeline.report.Markdown;
import org.cropcast.pipeline.stages.ProgressListener;
import org.cropcast.pipeline.stages.Stage;
import org.cropcast.pipeline.stages.StageCheck;
import org.cropcast.pipeline.stages.StageContext;
import org.cropcast.pipeline.stages.StageModels;
import org.cropcast.pipeline.stages.StageResult;
import org.cropcast.tracking.ArtifactStore;
import org.cropcast.tracking.BoundedParams;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.DocumentWriter;
import org.cropcast.tracking.GitInfo;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.LoggedModel;
import org.cropcast.tracking.ModelId;
import org.cropcast.tracking.ModelRegistries;
import org.cropcast.tracking.ModelStore;
import org.cropcast.tracking.ModelStoreFactory;
import org.cropcast.tracking.RunHealth;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunMode;
import org.cropcast.tracking.RunRequest;
import org.cropcast.tracking.RunScope;
import org.cropcast.tracking.RunScopeSettings;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.RunStoreFactory;
import org.cropcast.tracking.Storage;
import org.cropcast.tracking.TrackingErrorCode;
import org.cropcast.tracking.TrackingAdapters;

/**
 * Runs one stage as one MLflow run: chooses the run directory and mode ({@link RunDirectories}),
 * checks the input files exist before any run is created, opens the run through core's
 * {@link RunScope} (tags, bounded params, {@code config_resolved.yaml}, {@code metadata.yaml},
 * {@code metadata_<stage>.yaml}, heartbeat, KILLED on SIGINT/SIGTERM), calls the stage, and ends
 * the run FINISHED, or FAILED with the error as a tag.
 */
public final class StageLauncher {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StageLauncher.class);
    /** Overrides the heartbeat interval (seconds); for tests of stale-run detection. */
    public static final String HEARTBEAT_SECONDS = "CROPCAST_HEARTBEAT_SECONDS";

    private final StageRegistry stages;
    private final RunStoreFactory backends;
    private final TrackingAdapters adapters;
    private final ModelStoreFactory modelStores;
    private final ArtifactStore artifacts;
    private final Storage storage;
    private final DocumentWriter documents;
    private final Clock clock;
    private final ProcessContext context;

    @Inject
    public StageLauncher(StageRegistry stages, RunStoreFactory backends, ModelStoreFactory modelStores, ArtifactStore artifacts,
            Storage storage, DocumentWriter documents, Clock clock, ProcessContext context, TrackingAdapters adapters) {
        this.stages = requireNonNull(stages, "stages is null");
        this.adapters = requireNonNull(adapters, "adapters is null");
        this.backends = requireNonNull(backends, "backends is null");
        this.modelStores = requireNonNull(modelStores, "modelStores is null");
        this.artifacts = requireNonNull(artifacts, "artifacts is null");
        this.storage = requireNonNull(storage, "storage is null");
        this.documents = requireNonNull(documents, "documents is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.context = requireNonNull(context, "context is null");
    }

    /** What to run. */
    public record Launch(
            String stage,
            PipelineConfig config,
            String configPath,
            Optional<Path> configDirectory,
            Optional<String> runDirectory,
            boolean resume,
            Optional<LocalDate> initDate,
            ProgressListener progress,
            Optional<RunId> parentRunId,
            /** forecast only: the registered or logged model to forecast with (else the run directory's model). */
            Optional<ModelId> model,
            /** forecast only: accept a year without feature values (the trend alone; --allow-trend-only). */
            boolean allowTrendOnly) {
        public Launch {
            requireNonNull(parentRunId, "parentRunId is null");
            requireNonNull(model, "model is null");
        }

        /** A launch of a run without a parent. */
        public Launch(String stage, PipelineConfig config, String configPath, Optional<Path> configDirectory,
                Optional<String> runDirectory, boolean resume, Optional<LocalDate> initDate, ProgressListener progress) {
            this(stage, config, configPath, configDirectory, runDirectory, resume, initDate, progress, Optional.empty());
        }

        /** A launch with the run directory's model (or none). */
        public Launch(String stage, PipelineConfig config, String configPath, Optional<Path> configDirectory,
                Optional<String> runDirectory, boolean resume, Optional<LocalDate> initDate, ProgressListener progress,
                Optional<RunId> parentRunId) {
            this(stage, config, configPath, configDirectory, runDirectory, resume, initDate, progress, parentRunId, Optional.empty());
        }

        /** A launch of a run without a parent, forecasting with {@code model} (or the run directory's). */
        public Launch(String stage, PipelineConfig config, String configPath, Optional<Path> configDirectory,
                Optional<String> runDirectory, boolean resume, Optional<LocalDate> initDate, ProgressListener progress,
                Optional<RunId> parentRunId, Optional<ModelId> model) {
            this(stage, config, configPath, configDirectory, runDirectory, resume, initDate, progress, parentRunId, model, false);
        }
    }

    /** What happened. */
    public record Outcome(RunId runId, Location runDirectory, RunMode mode, TrackingTarget tracking, StageResult result) {}

    public RunDirectories runDirectories() {
        return new RunDirectories(storage, documents, clock, context.random());
    }

    public Outcome launch(Launch launch, Consumer<RunId> onOpen) {
        Stage stage = stages.stage(launch.stage()).orElseThrow(() ->
                new CropcastException(AppErrorCode.INTERNAL_ERROR, "no stage named " + launch.stage() + " is wired"));
        PipelineConfig config = launch.config();
        PipelineSettings settings = PipelineSettings.of(config);
        List<Location> dataFiles = InputFiles.of(launch.configPath(), config, settings.dataRoot(), storage);
        // validate the tracking URI before a run directory is claimed: bad input must leave nothing behind
        TrackingTarget tracking = TrackingTarget.of(config, adapters);
        RunDirectories directories = runDirectories();
        RunDirectories.Choice choice = launch.model().isPresent() && launch.runDirectory().isEmpty()
                ? directories.choose(config, launch.stage(), Optional.empty(), false)
                : choose(launch.stage(), config, launch.runDirectory(), launch.resume());
        LOG.debug("{}: run directory {} ({} mode), tracking {}, {} input files", launch.stage(), choice.directory(),
                choice.mode(), tracking.display(), dataFiles.size());
        // from here until a run exists in the directory, a signal or an error releases the claim
        java.util.concurrent.atomic.AtomicBoolean runMade = new java.util.concurrent.atomic.AtomicBoolean();
        Optional<Thread> releaseOnSignal = releaseOnSignal(directories, choice, runMade);
        // the directory is this process's until the run has ended: a second process is refused before it touches anything
        try (RunDirectoryLock held = RunDirectoryLock.acquire(choice.directory()).orElse(null);
                RunStore store = backends.create(tracking.uri()); ModelStore models = modelStores.create(tracking.uri(), store)) {
            Optional<LoggedModel> forecastModel = launch.model().map(id -> models.getLoggedModel(id)
                    .orElseThrow(() -> ModelRegistries.modelNotFound(id)));
            stage.check(new StageCheck(config, settings, storage, choice.directory(), new StageModels(models, artifacts, forecastModel),
                    launch.initDate()));
            RunScope scope = runScope(store, tracking, launch.configDirectory());
            RunRequest plain = runRequest(launch.stage(), config, launch.configPath(), choice, dataFiles, storage);
            RunRequest request = launch.parentRunId().map(plain::withParent).orElse(plain);
            Path work = createWorkDirectory(launch.stage());
            try {
                RunId[] id = new RunId[1];
                StageResult result = scope.run(request, made -> runMade.set(true), run -> {
                    id[0] = run.runId();
                    LOG.debug("{}: run {} open", launch.stage(), run.runId());
                    onOpen.accept(run.runId());
                    StageResult stageResult = stage.run(new StageContext(config, settings, run, storage, choice.directory(), work,
                            launch.initDate(), clock, launch.progress(), new StageModels(models, artifacts, forecastModel),
                            launch.allowTrendOnly()));
                    run.setTags(Map.of(NOTE_TAG, note(launch.stage(), stageResult)));
                    // the report reads the run back from the store, as `cropcast runs report` does
                    Optional<Location> report = new RunReports(storage, artifacts).afterStage(store, run, choice.directory());
                    if (report.isEmpty()) {
                        return stageResult;
                    }
                    List<String> lines = new ArrayList<>(stageResult.summaryLines());
                    lines.add("report: " + report.get());
                    return new StageResult(lines, stageResult.markdown());
                });
                return new Outcome(id[0], choice.directory(), choice.mode(), tracking, result);
            } finally {
                // the run has ended in scope.run; the scope closes before the store all the same (heartbeats first)
                scope.close();
                deleteRecursively(work);
            }
        } catch (RuntimeException | Error e) {
            // an Error too (OutOfMemoryError): a claimed directory no run was made in must not stay
            // behind; the run, if made, has been ended FAILED by the run scope where the store allowed
            if (!runMade.get()) {
                directories.release(choice);
            }
            throw e;
        } finally {
            releaseOnSignal.ifPresent(StageLauncher::removeHook);
        }
    }

    /**
     * In a real process, a shutdown hook that releases the claimed run directory if a signal
     * arrives before a run was made in it (a run made there keeps its directory: it is resumed there).
     */
    private Optional<Thread> releaseOnSignal(RunDirectories directories, RunDirectories.Choice choice,
            java.util.concurrent.atomic.AtomicBoolean runMade) {
        if (!context.handleSignals() || (choice.created().isEmpty() && choice.claim().isEmpty())) {
            return Optional.empty();
        }
        Thread hook = new Thread(() -> {
            if (!runMade.get()) {
                directories.release(choice);
            }
        }, "cropcast-release-" + choice.directory().fileName());
        Runtime.getRuntime().addShutdownHook(hook);
        return Optional.of(hook);
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs and finds a run made
        }
    }

    /** MLflow's run description (shown on the run page). */
    public static final String NOTE_TAG = "mlflow.note.content";

    /**
     * The stage's summary as the run's Markdown description: a heading, then the stage's Markdown
     * (skill tables and the forecast as pipe tables), or its summary lines as a list when it has none.
     */
    static String note(String stage, StageResult result) {
        StringBuilder text = new StringBuilder("### cropcast " + stage + "\n\n");
        List<String> body = result.markdown().isEmpty()
                ? result.summaryLines().stream().filter(line -> !line.isBlank()).map(line -> "- " + Markdown.text(line)).toList()
                : result.markdown();
        body.forEach(line -> text.append(line).append('\n'));
        return org.cropcast.tracking.TrackingLimits.truncateTagValue(text.toString());
    }

    /**
     * The run directory and mode of a stage invocation: for hindcast and fit-production as
     * {@link RunDirectories#choose} says; a forecast needs an existing run directory and resumes the
     * forecast run recorded there, if any.
     */
    public RunDirectories.Choice choose(String stage, PipelineConfig config, Optional<String> runDirectory, boolean resume) {
        if (!stage.equals("forecast")) {
            return runDirectories().choose(config, stage, runDirectory, resume);
        }
        Location directory = runDirectories().existing(runDirectory.orElseThrow(() ->
                new CropcastException(AppErrorCode.INVALID_ARGUMENT, "a forecast needs --run-dir")));
        boolean recorded = storage.exists(directory.resolve(org.cropcast.tracking.RunRecord.fileName("forecast")));
        return new RunDirectories.Choice(directory, recorded ? RunMode.RESUME : RunMode.CREATE);
    }

    /**
     * The run scope {@link #launch} opens its run with, over {@code store} (which the caller closes):
     * this launcher's artifact store, storage, document writer and clock; user, heartbeat, signal
     * handling, environment and git state as the command line records them. Public so that code
     * calling a stage directly (tests, embedding) gets the same run lifecycle.
     */
    public RunScope runScope(RunStore store, TrackingTarget tracking, Optional<Path> configDirectory) {
        return runScope(store, tracking, configDirectory, context.handleSignals());
    }

    /**
     * As {@link #runScope(RunStore, TrackingTarget, Optional)}, choosing whether the run's own
     * shutdown hook ends it KILLED on a signal: a sweep ends its parent run itself, after its children.
     */
    public RunScope runScope(RunStore store, TrackingTarget tracking, Optional<Path> configDirectory, boolean handleSignals) {
        return new RunScope(store, artifacts, storage, documents, clock, settings(tracking, configDirectory, handleSignals));
    }

    /** The run request of a stage invocation: the resolved configuration, the bounded params, the chosen directory and mode. */
    public static RunRequest runRequest(String stage, PipelineConfig config, String configPath, RunDirectories.Choice choice,
            List<Location> dataFiles) {
        return runRequest(stage, config, configPath, choice, dataFiles, null);
    }

    /** As above, with the input files' digests among the model params when {@code storage} is given. */
    static RunRequest runRequest(String stage, PipelineConfig config, String configPath, RunDirectories.Choice choice,
            List<Location> dataFiles, Storage storage) {
        return RunRequest.of(stage, config.experimentName(), choice.directory(), configPath, ConfigDocuments.toDocument(config),
                boundedParams(config), choice.mode(), dataFiles)
                .withStageParams(ModelParams.of(stage, config, dataFiles, storage));
    }

    private RunScopeSettings settings(TrackingTarget tracking, Optional<Path> configDirectory, boolean handleSignals) {
        java.time.Duration heartbeat = new org.cropcast.tracking.EnvironmentVariables(context.environment(),
                org.cropcast.pipeline.errors.AppErrorCode.INVALID_ENVIRONMENT_VARIABLE).seconds(HEARTBEAT_SECONDS,
                java.time.Duration.ofMillis(10), java.time.Duration.ofHours(1), RunHealth.DEFAULT_HEARTBEAT_INTERVAL);
        GitInfo git = configDirectory.map(GitInfo::probe).orElseGet(GitInfo::unknown);
        return new RunScopeSettings(context.user(), tracking.display(), heartbeat, handleSignals, LibraryVersions.environment(), git);
    }

    static BoundedParams boundedParams(PipelineConfig c) {
        return new BoundedParams(c.randomSeed(), c.dataRoot(), c.featureStartYear(), c.featureEndYear(), c.experimentName(),
                c.experimentKey(), c.detrend(), c.regression(), c.productionCumulativeThreshold());
    }

    private static Path createWorkDirectory(String stage) {
        try {
            return Files.createTempDirectory("cropcast-" + stage + "-");
        } catch (IOException e) {
            throw new CropcastException(TrackingErrorCode.STORAGE_FAILURE, "cannot create a scratch directory: " + e.getMessage(), e);
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            List<Path> all = new ArrayList<>(paths.sorted(Comparator.reverseOrder()).toList());
            for (Path path : all) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(StageLauncher.class).warn("could not remove scratch directory {}: {}", directory, e.getMessage());
        }
    }
}
