package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The one entry point for a JVM tool that records MLflow runs: opens tracking from a tracking URI
 * and an optional artifact root, with the adapters found on the class path
 * ({@link TrackingAdapters}, through {@link java.util.ServiceLoader}).
 *
 * <pre>{@code
 * try (Tracking tracking = Tracking.open("sqlite:////tmp/mlruns.db");
 *      EmbeddedRun run = tracking.startRun("my-experiment", "first-try")) {
 *     run.logParam("alpha", "0.5");
 *     run.logMetric("rmse", 0.27, 1);
 *     run.logArtifact(Path.of("report.html"));
 *     run.finish();
 * }
 * }</pre>
 *
 * <ul>
 *   <li>Tracking URIs: {@code sqlite:///relative.db} (relative to the working directory, as in
 *       MLflow), {@code sqlite:////absolute.db}, {@code http(s)://host:port} (an MLflow tracking
 *       server) and {@code memory:} (this process only), as far as their adapters are on the class
 *       path; an unknown scheme is {@link TrackingErrorCode#UNKNOWN_SCHEME} listing the schemes found.</li>
 *   <li>Artifact roots ({@link Builder#artifactRoot}): {@code file:}/a plain path, {@code s3://},
 *       {@code memory://}, where new experiments keep their artifacts; by default the backend's
 *       ({@code mlartifacts/} beside a SQLite database, the server's own root for HTTP).</li>
 *   <li>Credentials are read from the environment as MLflow reads them
 *       ({@code MLFLOW_TRACKING_USERNAME}/{@code MLFLOW_TRACKING_PASSWORD}, {@code MLFLOW_TRACKING_TOKEN},
 *       {@code AWS_ACCESS_KEY_ID}, ...); the environment, clock and user are options of the
 *       {@link Builder}, read once when it is made.</li>
 * </ul>
 * One daemon thread refreshes the heartbeats of all its open runs and one JVM shutdown hook ends
 * them KILLED on SIGINT/SIGTERM (if {@link Builder#endRunsOnShutdown}); both are made with the first
 * run and kept until the {@code Tracking} is closed, so starting a run costs no thread and no hook.
 * Closing a {@code Tracking} stops the heartbeat first, ends the runs it opened that are still open
 * (FAILED) and then releases the store, its connections and clients. Thread-safe.
 */
public final class Tracking implements AutoCloseable {
    /** The tracking URI Python MLflow 3 uses when {@code MLFLOW_TRACKING_URI} is not set. */
    public static final String MLFLOW_DEFAULT_TRACKING_URI = "sqlite:///mlflow.db";
    /** The environment variable Python MLflow and the official Java client read the tracking URI from. */
    public static final String TRACKING_URI_VARIABLE = "MLFLOW_TRACKING_URI";

    private final String trackingUri;
    private final RunStore runStore;
    private ModelStore modelStore;
    private final TrackingAdapters.Components components;
    private final Clock clock;
    private final String user;
    /** The open runs: one heartbeat thread and one shutdown hook for all of them, made with the first run. */
    final LiveRuns live;

    private Tracking(Builder builder, TrackingAdapters.Components components, RunStore runStore) {
        this.trackingUri = builder.trackingUri;
        this.components = components;
        this.runStore = runStore;
        this.clock = builder.clock;
        this.user = builder.user.orElseGet(() -> defaultUser(builder.environment));
        this.live = new LiveRuns(builder.heartbeat, builder.endRunsOnShutdown, false);
    }

    /** Opens tracking with every option at its default ({@link Builder}). */
    public static Tracking open(String trackingUri) {
        return builder(trackingUri).open();
    }

    /** A builder for this tracking URI. */
    public static Builder builder(String trackingUri) {
        return new Builder(trackingUri);
    }

    /**
     * A builder for the tracking URI in {@code MLFLOW_TRACKING_URI} of {@code environment}, else
     * {@value #MLFLOW_DEFAULT_TRACKING_URI} (Python MLflow 3's default), with that environment.
     */
    public static Builder fromEnvironment(Map<String, String> environment) {
        requireNonNull(environment, "environment is null");
        String uri = Optional.ofNullable(environment.get(TRACKING_URI_VARIABLE)).map(String::strip).filter(s -> !s.isEmpty())
                .orElse(MLFLOW_DEFAULT_TRACKING_URI);
        return new Builder(uri).environment(environment);
    }

    /** The tracking URI as given (it may hold credentials: print {@link #toString()} instead). */
    public String trackingUri() {
        return trackingUri;
    }

    /** The run store of the tracking URI, for reads and calls the run API does not cover. */
    public RunStore runStore() {
        return runStore;
    }

    /** The artifact store of every artifact-root scheme found on the class path. */
    public ArtifactStore artifactStore() {
        return components.artifactStore();
    }

    /** The storage of every location scheme found on the class path. */
    public Storage storage() {
        return components.storage();
    }

    /**
     * The models and lineage of the tracking URI (MLflow 3's logged models, the model registry, the
     * datasets and models runs use and produce), opened on first use beside the run store.
     * {@link TrackingErrorCode#UNKNOWN_SCHEME} when the backend on the class path has none.
     */
    public synchronized ModelStore modelStore() {
        if (modelStore == null) {
            String scheme = UriSchemes.of(trackingUri).orElse("");
            ModelStoreFactory factory = components.modelStores().get(scheme);
            if (factory == null) {
                throw new CropcastException(TrackingErrorCode.UNKNOWN_SCHEME, "the tracking URI '" + Redactor.redact(trackingUri)
                        + "' has no model store on the class path; schemes with one: " + String.join(", ",
                                new java.util.TreeSet<>(components.modelStores().keySet())));
            }
            modelStore = factory.create(trackingUri, runStore);
        }
        return modelStore;
    }

    /** The user recorded on new runs ({@code mlflow.user}). */
    public String user() {
        return user;
    }

    /** Starts a run in {@code experimentName} (created on first use), named by the store as MLflow names it. */
    public EmbeddedRun startRun(String experimentName) {
        return startRun(experimentName, Optional.empty(), Map.of());
    }

    /** Starts a run named {@code runName} in {@code experimentName} (created on first use). */
    public EmbeddedRun startRun(String experimentName, String runName) {
        return startRun(experimentName, Optional.of(requireNonNull(runName, "runName is null")), Map.of());
    }

    /**
     * Starts a run in {@code experimentName} (created on first use) with these tags (values
     * redacted); without a name the store generates one as MLflow does.
     */
    public EmbeddedRun startRun(String experimentName, Optional<String> runName, Map<String, String> tags) {
        requireNonNull(experimentName, "experimentName is null");
        requireNonNull(runName, "runName is null");
        requireNonNull(tags, "tags is null");
        live.requireOpen();
        runName.ifPresent(TrackingLimits::validateRunName);
        // the caller's tags checked before anything is created; the heartbeat, which this class makes, needs no check
        // (nor redaction: it is a number), and a caller's heartbeat tag gives way to it
        List<Tag> initial = new ArrayList<>(tags.size() + 1);
        tags.forEach((k, v) -> {
            if (!RunTags.HEARTBEAT.equals(k)) {
                initial.add(new Tag(k, Redactor.redact(requireNonNull(v, "tag value is null"))));
            }
        });
        TrackingLimits.validateBatch(List.of(), List.of(), initial);
        initial.add(new Tag(RunTags.HEARTBEAT, Long.toString(clock.millis())));
        Experiment experiment = runStore.getOrCreateExperiment(experimentName);
        RunInfo info = runStore.createRun(new CreateRunRequest(experiment.id(), runName.orElse(""), user, clock.millis(), initial));
        return started(info);
    }

    /**
     * Resumes a run (MLflow's {@code start_run(run_id=...)}): status back to RUNNING, what it has
     * logged kept. Unfinished uploads its earlier process left in the artifact root are removed
     * first. {@link TrackingErrorCode#RUN_NOT_FOUND} if the store does not have it,
     * {@link TrackingErrorCode#INVALID_RUN_STATE} if it is deleted.
     */
    public EmbeddedRun resumeRun(RunId runId) {
        requireNonNull(runId, "runId is null");
        live.requireOpen();
        Run stored = runStore.getRun(runId).orElseThrow(() -> new CropcastException(TrackingErrorCode.RUN_NOT_FOUND,
                "cannot resume run " + runId + ": the tracking store " + Redactor.redact(trackingUri) + " does not have it"));
        if (stored.info().lifecycleStage() != LifecycleStage.ACTIVE) {
            throw RunStores.runNotActive(runId);
        }
        artifactStore().discardIncompleteUploads(stored.info().artifactUri());
        return started(runStore.reopenRun(runId));
    }

    /** The body of a run in the callback form ({@link #withRun}). */
    @FunctionalInterface
    public interface RunBody<T, E extends Exception> {
        T run(EmbeddedRun run) throws E;
    }

    /**
     * Starts a run, calls {@code body}, and ends the run FINISHED when it returns or FAILED when it
     * throws (the exception propagates unchanged), as Python's {@code with mlflow.start_run():} does.
     */
    public <T, E extends Exception> T withRun(String experimentName, Optional<String> runName, RunBody<T, E> body) throws E {
        requireNonNull(body, "body is null");
        EmbeddedRun run = startRun(experimentName, runName, Map.of());
        T result;
        try {
            result = body.run(run);
        } catch (Throwable t) {
            try {
                run.fail(t);
            } catch (RuntimeException e) {
                t.addSuppressed(e);
            }
            throw t;
        }
        run.finish();
        return result;
    }

    private EmbeddedRun started(RunInfo info) {
        EmbeddedRun run = new EmbeddedRun(info, runStore, components.artifactStore(), this::modelStore, clock);
        run.start(live);
        return run;
    }

    /**
     * Closes in order: stops the heartbeats first (none is written once this has begun, so none
     * reaches the closed store) and removes the shutdown hook, ends the runs still open (FAILED),
     * then closes the model store, the run store and the adapters' clients.
     */
    @Override
    public void close() {
        RuntimeException failure = null;
        live.close();
        for (RunLifecycle run : live.open()) {
            try {
                run.end(RunStatus.FAILED, Map.of(RunTags.ERROR, "the Tracking was closed while the run was open"));
            } catch (RuntimeException e) {
                failure = add(failure, e);
            }
        }
        synchronized (this) {
            if (modelStore != null) {
                try {
                    modelStore.close();
                } catch (RuntimeException e) {
                    failure = add(failure, e);
                }
            }
        }
        try {
            runStore.close();
        } catch (RuntimeException e) {
            failure = add(failure, e);
        }
        for (AutoCloseable closeable : components.closeables()) {
            try {
                closeable.close();
            } catch (Exception e) {
                failure = add(failure, e instanceof RuntimeException r ? r
                        : new CropcastException(TrackingErrorCode.INTERNAL_ERROR, "closing " + closeable.getClass().getSimpleName()
                                + " failed: " + Redactor.redact(String.valueOf(e.getMessage())), e));
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException add(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    /** {@code MLFLOW_TRACKING_USERNAME}, else the {@code user.name} system property, else {@code unknown} (as MLflow). */
    static String defaultUser(Map<String, String> environment) {
        return Optional.ofNullable(environment.get("MLFLOW_TRACKING_USERNAME")).filter(s -> !s.isBlank())
                .or(() -> Optional.ofNullable(System.getProperty("user.name")).filter(s -> !s.isBlank()))
                .orElse("unknown");
    }

    @Override
    public String toString() {
        return "Tracking[" + Redactor.redact(trackingUri) + "]";
    }

    /**
     * The options of {@link Tracking#open}. Every option has a default; {@link #open()} checks the
     * tracking URI's and the artifact root's schemes against the adapters found before it creates
     * anything.
     */
    public static final class Builder {
        private final String trackingUri;
        private Optional<String> artifactRoot = Optional.empty();
        private Clock clock = Clock.systemUTC();
        private Optional<RandomGenerator> random = Optional.empty();
        private Optional<String> user = Optional.empty();
        private Duration heartbeat = RunHealth.DEFAULT_HEARTBEAT_INTERVAL;
        private boolean endRunsOnShutdown = true;
        private Map<String, String> environment = System.getenv();
        private Optional<TrackingAdapters> adapters = Optional.empty();
        private ClassLoader classLoader;

        private Builder(String trackingUri) {
            this.trackingUri = requireNonNull(trackingUri, "trackingUri is null").strip();
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            this.classLoader = context != null ? context : Tracking.class.getClassLoader();
        }

        /**
         * Where new experiments keep their artifacts: {@code file:///...} or a plain path (made
         * absolute), {@code s3://bucket/prefix}, {@code memory://...}. Experiments that exist keep
         * theirs, as in MLflow. Default: the backend's. A tracking server chooses its own
         * ({@code mlflow server --default-artifact-root}), so an HTTP(S) URI refuses this option.
         */
        public Builder artifactRoot(String artifactRoot) {
            requireNonNull(artifactRoot, "artifactRoot is null");
            String root = artifactRoot.strip();
            if (root.isEmpty()) {
                throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT, "the artifact root is empty");
            }
            this.artifactRoot = Optional.of(UriSchemes.hasScheme(root) ? root : Path.of(root).toAbsolutePath().normalize().toString());
            return this;
        }

        /** The clock of start and end times, metric timestamps and heartbeats. Default: the system clock (UTC). */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock is null");
            return this;
        }

        /** Where run ids and generated run names come from. Default: a {@link SecureRandom}. */
        public Builder random(RandomGenerator random) {
            this.random = Optional.of(requireNonNull(random, "random is null"));
            return this;
        }

        /**
         * The user recorded on new runs ({@code mlflow.user}). Default, as MLflow:
         * {@code MLFLOW_TRACKING_USERNAME} of the environment, else the {@code user.name} system property.
         */
        public Builder user(String user) {
            requireNonNull(user, "user is null");
            if (user.isBlank()) {
                throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT, "the user is blank");
            }
            this.user = Optional.of(user);
            return this;
        }

        /** How often an open run's {@value RunTags#HEARTBEAT} tag is refreshed. Default: 30 seconds. */
        public Builder heartbeat(Duration interval) {
            requireNonNull(interval, "interval is null");
            if (interval.isNegative() || interval.isZero()) {
                throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT, "heartbeat interval must be positive, got " + interval);
            }
            this.heartbeat = interval;
            return this;
        }

        /** If true (the default) a JVM shutdown hook ends open runs KILLED on SIGINT/SIGTERM. */
        public Builder endRunsOnShutdown(boolean endRunsOnShutdown) {
            this.endRunsOnShutdown = endRunsOnShutdown;
            return this;
        }

        /**
         * The environment the adapters read credentials and settings from. Default: {@code System.getenv()}.
         * Pass a map to keep a tool's credentials away from the process environment.
         */
        public Builder environment(Map<String, String> environment) {
            this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
            return this;
        }

        /** Where the adapters are looked for. Default: the thread's context class loader. */
        public Builder classLoader(ClassLoader classLoader) {
            this.classLoader = requireNonNull(classLoader, "classLoader is null");
            return this;
        }

        /** Exactly these adapters instead of the ones found on the class path. */
        public Builder adapters(TrackingAdapters adapters) {
            this.adapters = Optional.of(requireNonNull(adapters, "adapters is null"));
            return this;
        }

        /**
         * Opens tracking. Fails, before anything is created, with {@link TrackingErrorCode#UNKNOWN_SCHEME}
         * when no adapter on the class path serves the tracking URI's or the artifact root's scheme.
         */
        public Tracking open() {
            TrackingAdapters found = adapters.orElseGet(() -> TrackingAdapters.discover(classLoader));
            requireScheme("tracking URI", trackingUri, UriSchemes.of(trackingUri), found.trackingSchemes());
            artifactRoot.ifPresent(root -> requireScheme("artifact root", root,
                    Optional.of(SwitchingArtifactStore.schemeOf(root)), found.artifactSchemes()));
            TrackingContext context = new TrackingContext(clock, random.orElseGet(SecureRandom::new), environment, artifactRoot);
            TrackingAdapters.Components components = found.create(context);
            RunStore store;
            try {
                store = components.runStores().create(trackingUri);
            } catch (RuntimeException e) {
                closeQuietly(components, e);
                throw e;
            }
            return new Tracking(this, components, store);
        }

        private static void closeQuietly(TrackingAdapters.Components components, RuntimeException failure) {
            for (AutoCloseable closeable : components.closeables()) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    failure.addSuppressed(e);
                }
            }
        }

        private static void requireScheme(String what, String uri, Optional<String> scheme, Set<String> found) {
            if (scheme.isPresent() && found.contains(scheme.get())) {
                return;
            }
            String problem = scheme.map(s -> "has the scheme '" + s + "', which no adapter on the class path serves")
                    .orElse("has no scheme");
            throw new CropcastException(TrackingErrorCode.UNKNOWN_SCHEME, "the " + what + " '"
                    + Redactor.truncateForMessage(Redactor.redact(uri)) + "' " + problem + "; schemes found on the class path: "
                    + String.join(", ", found) + hint(scheme));
        }

        private static String hint(Optional<String> scheme) {
            return switch (scheme.orElse("")) {
                case "sqlite", "http", "https", "mlflow-artifacts" -> " (add org.cropcast:tracking-mlflow-adapter to the class path)";
                case "s3" -> " (add org.cropcast:storage-s3-adapter to the class path)";
                default -> "";
            };
        }
    }
}
