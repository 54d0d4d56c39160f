package org.cropcast.pipeline.wiring;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Key;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.name.Named;
import com.google.inject.name.Names;
import java.time.Clock;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.cropcast.pipeline.cli.CliContext;
import org.cropcast.pipeline.stages.FitProductionStage;
import org.cropcast.pipeline.stages.ForecastStage;
import org.cropcast.pipeline.stages.HindcastStage;
import org.cropcast.pipeline.stages.Stage;
import org.cropcast.pipeline.yaml.JacksonYamlDocumentWriter;
import org.cropcast.tracking.ArtifactStore;
import org.cropcast.tracking.DocumentWriter;
import org.cropcast.tracking.LocalStorage;
import org.cropcast.tracking.MemoryRunStoreFactory;
import org.cropcast.tracking.MemoryStorage;
import org.cropcast.tracking.RunStoreFactory;
import org.cropcast.tracking.Storage;
import org.cropcast.tracking.StorageArtifactStore;
import org.cropcast.tracking.SwitchingArtifactStore;
import org.cropcast.tracking.SwitchingStorage;

/**
 * The composition root: everything the command line uses, in one place.
 * <ul>
 *   <li>tracking backends by tracking-URI scheme ({@link TrackingBackends} over a
 *       {@code MapBinder<String, RunStoreFactory>}): {@code memory} here, {@code sqlite} and
 *       {@code http}/{@code https} from the adapter modules;</li>
 *   <li>storage by location scheme ({@link SwitchingStorage} over a {@code MapBinder<String, Storage>}):
 *       {@code file} and {@code memory} here, {@code s3} from the S3 module;</li>
 *   <li>artifact stores by artifact-root scheme ({@link SwitchingArtifactStore} over a
 *       {@code MapBinder<String, ArtifactStore>});</li>
 *   <li>the stages by name ({@link StageRegistry} over a {@code MapBinder<String, Stage>});</li>
 *   <li>the process's clock, environment and randomness ({@link CliContext}).</li>
 * </ul>
 * Adapter modules add their own bindings to the same map binders.
 */
public final class CropcastModule extends AbstractModule {
    private final CliContext context;

    public CropcastModule(CliContext context) {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    protected void configure() {
        bind(CliContext.class).toInstance(context);
        bind(Clock.class).toInstance(context.clock());
        bind(DocumentWriter.class).to(JacksonYamlDocumentWriter.class).in(Singleton.class);
        bind(MemoryStorage.class).in(Singleton.class);
        bind(TrackingBackends.class).in(Singleton.class);

        MapBinder<String, RunStoreFactory> backends = runStoreFactories(binder());
        backends.addBinding("memory").to(MemoryRunStoreFactory.class);

        MapBinder<String, Storage> storages = storages(binder());
        bind(LocalStorage.class).in(Singleton.class);
        storages.addBinding(LocalStorage.SCHEME).to(LocalStorage.class);
        storages.addBinding(MemoryStorage.SCHEME).to(MemoryStorage.class);

        MapBinder<String, ArtifactStore> artifactStores = artifactStores(binder());
        artifactStores.addBinding(LocalStorage.SCHEME).to(Key.get(ArtifactStore.class, Names.named(LocalStorage.SCHEME)));
        artifactStores.addBinding(MemoryStorage.SCHEME).to(Key.get(ArtifactStore.class, Names.named(MemoryStorage.SCHEME)));

        MapBinder<String, Stage> stages = MapBinder.newMapBinder(binder(), String.class, Stage.class);
        stages.addBinding("hindcast").to(HindcastStage.class);
        stages.addBinding("fit-production").to(FitProductionStage.class);
        stages.addBinding("forecast").to(ForecastStage.class);
    }

    /** The map binder adapter modules add their tracking backends to, keyed by URI scheme. */
    public static MapBinder<String, RunStoreFactory> runStoreFactories(com.google.inject.Binder binder) {
        return MapBinder.newMapBinder(binder, String.class, RunStoreFactory.class);
    }

    /** The map binder adapter modules add their storages to, keyed by location scheme. */
    public static MapBinder<String, Storage> storages(com.google.inject.Binder binder) {
        return MapBinder.newMapBinder(binder, String.class, Storage.class);
    }

    /** The map binder adapter modules add their artifact stores to, keyed by artifact-root scheme. */
    public static MapBinder<String, ArtifactStore> artifactStores(com.google.inject.Binder binder) {
        return MapBinder.newMapBinder(binder, String.class, ArtifactStore.class);
    }

    @Provides
    @Singleton
    MemoryRunStoreFactory memoryRunStoreFactory(Clock clock) {
        return new MemoryRunStoreFactory(clock, context.random());
    }

    @Provides
    @Singleton
    StageRegistry stages(Map<String, Stage> stages) {
        return new StageRegistry(stages);
    }

    @Provides
    @Singleton
    SwitchingStorage storage(Map<String, Storage> byScheme) {
        return new SwitchingStorage(byScheme);
    }

    @Provides
    @Singleton
    Storage anyStorage(SwitchingStorage storage) {
        return storage;
    }

    @Provides
    @Singleton
    SwitchingArtifactStore artifactStore(Map<String, ArtifactStore> byScheme) {
        return new SwitchingArtifactStore(byScheme);
    }

    @Provides
    @Singleton
    ArtifactStore anyArtifactStore(SwitchingArtifactStore store) {
        return store;
    }

    @Provides
    RandomGenerator random() {
        return context.random();
    }

    @Provides
    @Singleton
    @Named(LocalStorage.SCHEME)
    ArtifactStore localArtifacts(LocalStorage storage) {
        return new StorageArtifactStore(storage);
    }

    @Provides
    @Singleton
    @Named(MemoryStorage.SCHEME)
    ArtifactStore memoryArtifacts(MemoryStorage storage) {
        return new StorageArtifactStore(storage);
    }
}
