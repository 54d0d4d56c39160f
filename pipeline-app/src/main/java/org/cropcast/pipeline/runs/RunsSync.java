package org.cropcast.pipeline.runs;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.cropcast.pipeline.config.ConfigLoader;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.pipeline.errors.AppErrorCode;
import org.cropcast.tracking.RunStoreFactory;
import org.cropcast.tracking.ArtifactStore;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.MemoryModelStore;
import org.cropcast.tracking.MemoryRunStore;
import org.cropcast.tracking.ModelStore;
import org.cropcast.tracking.ModelStoreFactory;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.sync.RunSync;
import org.cropcast.tracking.sync.SyncEndpoint;
import org.cropcast.tracking.sync.SyncListener;
import org.cropcast.tracking.sync.SyncReport;
import org.cropcast.tracking.sync.SyncRequest;
import org.cropcast.tracking.TrackingAdapters;

/**
 * {@code runs sync}: copies runs from one tracking backend to another with core's {@link RunSync}.
 * The source is {@code --from}, else the configured tracking URI (as {@code runs list} reads it);
 * the destination is {@code --to}, a relative SQLite path anchored at the data root
 * ({@code INPUT_DATA_DIR}, else the working directory). A missing source database is an error; a
 * missing destination database is created. Artifacts of both sides go through the application's
 * artifact store, by the scheme of each run's artifact root; a server's proxied
 * ({@code mlflow-artifacts:/}) roots are bound to that server ({@link EndpointArtifactStore}).
 */
public final class RunsSync {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RunsSync.class);
    private final RunStoreFactory backends;
    private final TrackingAdapters adapters;
    private final ModelStoreFactory modelStores;
    private final ArtifactStore artifacts;
    private final ProcessContext context;
    private final ConfigLoader loader;
    private final Clock clock;

    @Inject
    public RunsSync(RunStoreFactory backends, ModelStoreFactory modelStores, ArtifactStore artifacts, ProcessContext context,
            ConfigLoader loader, Clock clock, TrackingAdapters adapters) {
        this.backends = requireNonNull(backends, "backends is null");
        this.modelStores = requireNonNull(modelStores, "modelStores is null");
        this.adapters = requireNonNull(adapters, "adapters is null");
        this.artifacts = requireNonNull(artifacts, "artifacts is null");
        this.context = requireNonNull(context, "context is null");
        this.loader = requireNonNull(loader, "loader is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Syncs; bad options fail before either backend is written. */
    public SyncReport sync(Optional<String> from, Optional<Path> configFile, String to, SyncRequest request, SyncListener listener) {
        requireNonNull(to, "to is null");
        Optional<PipelineConfig> config = configFile.map(file -> loader.load(file, List.of()));
        TrackingTarget source = TrackingTarget.resolve(from, config, context.environment(), adapters);
        TrackingTarget destination = TrackingTarget.resolve(Optional.of(to), Optional.empty(), context.environment(), adapters);
        source.databaseFile().filter(file -> !Files.exists(file)).ifPresent(file -> {
            throw new CropcastException(AppErrorCode.TRACKING_STORE_NOT_FOUND, "no tracking database at " + file
                    + " to sync from; pass --from URI or --config FILE");
        });
        boolean absent = destination.databaseFile().filter(file -> !Files.exists(file)).isPresent();
        if (absent && request.dryRun()) {
            // opening it would create it: a dry run reads an empty store in its place instead
            LOG.info("the destination database {} does not exist yet: every run would be created", destination.display());
        }
        try (RunStore sourceRuns = backends.create(source.uri());
                RunStore destinationRuns = absent && request.dryRun()
                        ? new MemoryRunStore(clock, context.random()) : backends.create(destination.uri());
                ModelStore sourceModels = modelStores.create(source.uri(), sourceRuns);
                ModelStore destinationModels = absent && request.dryRun()
                        ? new MemoryModelStore(destinationRuns, clock, context.random()) : modelStores.create(destination.uri(), destinationRuns)) {
            RunSync sync = new RunSync(
                    new SyncEndpoint(source.uri(), sourceRuns, EndpointArtifactStore.of(artifacts, source.uri()), sourceModels),
                    new SyncEndpoint(destination.uri(), destinationRuns, EndpointArtifactStore.of(artifacts, destination.uri()),
                            destinationModels),
                    clock, listener);
            return sync.sync(request);
        }
    }
}
