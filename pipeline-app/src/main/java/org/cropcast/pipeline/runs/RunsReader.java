package org.cropcast.pipeline.runs;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cropcast.pipeline.config.ConfigLoader;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.pipeline.config.Suggestions;
import org.cropcast.pipeline.errors.AppErrorCode;
import org.cropcast.tracking.ArtifactEntry;
import org.cropcast.tracking.ArtifactStore;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.Experiment;
import org.cropcast.tracking.ExperimentId;
import org.cropcast.tracking.Run;
import org.cropcast.tracking.RunFilter;
import org.cropcast.tracking.RunHealth;
import org.cropcast.tracking.RunId;
import org.cropcast.tracking.RunMatcher;
import org.cropcast.tracking.RunOrder;
import org.cropcast.tracking.RunSearch;
import org.cropcast.tracking.RunStatus;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.RunStoreFactory;
import org.cropcast.tracking.TrackingErrorCode;
import org.cropcast.tracking.TrackingAdapters;

/** Reads runs for the {@code runs} commands: from the configured backend, without Python. */
public final class RunsReader {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RunsReader.class);
    /** At most this many artifact entries are listed by {@code runs show}. */
    public static final int MAX_ARTIFACTS = 500;

    private final RunStoreFactory backends;
    private final TrackingAdapters adapters;
    private final ArtifactStore artifacts;
    private final ProcessContext context;
    private final ConfigLoader loader;
    private final Clock clock;

    @Inject
    public RunsReader(RunStoreFactory backends, ArtifactStore artifacts, ProcessContext context, ConfigLoader loader, Clock clock,
            TrackingAdapters adapters) {
        this.backends = requireNonNull(backends, "backends is null");
        this.adapters = requireNonNull(adapters, "adapters is null");
        this.artifacts = requireNonNull(artifacts, "artifacts is null");
        this.context = requireNonNull(context, "context is null");
        this.loader = requireNonNull(loader, "loader is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** A run with its experiment's name and its health (a RUNNING run whose heartbeat stopped is STALE). */
    public record RunView(Run run, String experimentName, RunHealth health) {
        public boolean stale() {
            return health == RunHealth.STALE;
        }
    }

    /** An open backend; close it when done. */
    public final class Session implements AutoCloseable {
        private final TrackingTarget target;
        private final RunStore store;
        private final Map<ExperimentId, String> experimentNames = new HashMap<>();

        private Session(TrackingTarget target, RunStore store) {
            this.target = target;
            this.store = store;
        }

        public TrackingTarget target() {
            return target;
        }

        /** Active runs, newest first: of one experiment (by name) or of all. */
        public List<RunView> list(Optional<String> experimentName, Optional<RunStatus> status, int max, Duration staleAfter) {
            return list(experimentName, status, RunFilter.NONE, List.of(), max, staleAfter);
        }

        /**
         * Active runs that satisfy an MLflow search filter, in MLflow's order for the order-by
         * clauses (newest first without): of one experiment (by name) or of all, merged in that order.
         */
        public List<RunView> list(Optional<String> experimentName, Optional<RunStatus> status, RunFilter filter,
                List<RunOrder> orderBy, int max, Duration staleAfter) {
            List<Experiment> experiments;
            if (experimentName.isPresent()) {
                Experiment experiment = store.findExperiment(experimentName.get()).orElseThrow(() -> {
                    List<String> known = store.listExperiments().stream().map(Experiment::name).toList();
                    return new CropcastException(TrackingErrorCode.EXPERIMENT_NOT_FOUND, "experiment '" + experimentName.get()
                            + "' not found in " + target.display() + Suggestions.didYouMean(experimentName.get(), known)
                            + "; known experiments: " + (known.isEmpty() ? "none" : String.join(", ", known)));
                });
                experiments = List.of(experiment);
            } else {
                experiments = store.listExperiments();
            }
            List<RunView> views = new ArrayList<>();
            for (Experiment experiment : experiments) {
                experimentNames.put(experiment.id(), experiment.name());
                RunSearch search = new RunSearch(experiment.id(), status, Math.min(max, RunSearch.MAX_RESULTS_LIMIT), filter, orderBy);
                for (Run run : store.searchRuns(search)) {
                    views.add(view(run, staleAfter));
                }
            }
            views.sort(Comparator.comparing(RunView::run, RunMatcher.order(orderBy)));
            return views.size() > max ? views.subList(0, max) : views;
        }

        public RunView get(String runId) {
            RunId id = RunId.of(runId);
            Run run = store.getRun(id).orElseThrow(() -> new CropcastException(TrackingErrorCode.RUN_NOT_FOUND,
                    "run " + id + " not found in " + target.display()));
            return view(run, RunHealth.DEFAULT_STALE_AFTER);
        }

        /** Every value of one metric of the run (all steps). */
        public List<org.cropcast.tracking.Metric> metricHistory(Run run, String key) {
            return store.getMetricHistory(run.id(), key);
        }

        /** The run's artifacts, recursively, files and directories, at most {@link #MAX_ARTIFACTS}. */
        public List<ArtifactEntry> artifacts(Run run) {
            List<ArtifactEntry> out = new ArrayList<>();
            if (run.info().artifactUri().isBlank()) {
                // another tool wrote the run without an artifact root: it has no artifacts to show, said out loud
                LOG.warn("run {} has no artifact URI recorded; no artifacts to list", run.info().runId());
                return out;
            }
            walk(run.info().artifactUri(), "", out);
            return out;
        }

        private void walk(String root, String path, List<ArtifactEntry> out) {
            for (ArtifactEntry entry : artifacts.list(root, path)) {
                if (out.size() >= MAX_ARTIFACTS) {
                    return;
                }
                out.add(entry);
                if (entry.directory()) {
                    walk(root, entry.path(), out);
                }
            }
        }

        private RunView view(Run run, Duration staleAfter) {
            String name = experimentNames.computeIfAbsent(run.info().experimentId(),
                    id -> store.getExperiment(id).map(Experiment::name).orElse(id.value()));
            return new RunView(run, name, RunHealth.of(run, clock.instant(), staleAfter));
        }

        @Override
        public void close() {
            store.close();
        }
    }

    /** Opens the backend named by the options (see {@link TrackingTarget#resolve}). */
    public Session open(Optional<String> trackingUri, Optional<Path> configFile) {
        TrackingTarget target = existingTarget(trackingUri, configFile, loader, adapters, context);
        LOG.debug("reading runs from {}", target.display());
        return new Session(target, backends.create(target.uri()));
    }

    /**
     * The tracking target named by the options ({@link TrackingTarget#resolve}); an SQLite database
     * that does not exist is {@link AppErrorCode#TRACKING_STORE_NOT_FOUND}, since reading must not create one.
     * {@code configFile} is read with the injected {@code loader}.
     */
    static TrackingTarget existingTarget(Optional<String> trackingUri, Optional<Path> configFile, ConfigLoader loader,
            TrackingAdapters adapters, ProcessContext context) {
        Optional<PipelineConfig> config = configFile.map(file -> loader.load(file, List.of()));
        TrackingTarget target = TrackingTarget.resolve(trackingUri, config, context.environment(), adapters);
        target.databaseFile().filter(file -> !java.nio.file.Files.exists(file)).ifPresent(file -> {
            // reading must not create an empty database as a side effect
            throw new CropcastException(AppErrorCode.TRACKING_STORE_NOT_FOUND, "no tracking database at " + file
                    + " (nothing was tracked there yet); pass --tracking-uri URI or --config FILE");
        });
        return target;
    }
}
