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
import org.cropcast.pipeline.config.ConfigLoader;
import org.cropcast.pipeline.runs.ProcessContext;
import org.cropcast.pipeline.runs.StageRegistry;
import org.cropcast.pipeline.stages.FitProductionStage;
import org.cropcast.pipeline.stages.ForecastStage;
import org.cropcast.pipeline.stages.HindcastStage;
import org.cropcast.pipeline.stages.Stage;
import org.cropcast.pipeline.yaml.JacksonYamlDocumentWriter;
import org.cropcast.tracking.ArtifactStore;
import org.cropcast.tracking.DocumentWriter;
import org.cropcast.tracking.LocalStorage;
import org.cropcast.tracking.MemoryModelStoreFactory;
import org.cropcast.tracking.MemoryRunStoreFactory;
import org.cropcast.tracking.MemoryStorage;
import org.cropcast.tracking.ModelStoreFactory;
import org.cropcast.tracking.RunStoreFactory;
import org.cropcast.tracking.Storage;
import org.cropcast.tracking.StorageArtifactStore;
import org.cropcast.tracking.SwitchingArtifactStore;
import org.cropcast.tracking.SwitchingModelStoreFactory;
import org.cropcast.tracking.SwitchingRunStoreFactory;
import org.cropcast.tracking.SwitchingStorage;

/**
 * The composition root: what the command line uses, by scheme, in one place. It binds core's and
 * the app's classes only; each adapter's module adds its own entries to the same by-scheme maps.
 * <ul>
 *   <li>model stores (logged models, registry, run inputs/outputs) by tracking-URI scheme (core's
 *       {@link SwitchingModelStoreFactory} over a {@code Map<String, ModelStoreFactory>}), beside the run stores;</li>
 *   <li>tracking backends by tracking-URI scheme (core's {@link SwitchingRunStoreFactory} over a
 *       {@code Map<String, RunStoreFactory>}): {@code memory} here, {@code sqlite} from
 *       {@code SqliteTrackingModule}, {@code http}/{@code https} from {@code MlflowRestTrackingModule};</li>
 *   <li>storage by location scheme ({@link SwitchingStorage} over a {@code Map<String, Storage>}):
 *       {@code file} (local paths) and {@code memory} here, {@code s3} from {@code S3StorageModule};</li>
 *   <li>artifact stores by artifact-root scheme ({@link SwitchingArtifactStore} over a
 *       {@code Map<String, ArtifactStore>}): {@code file} (local artifact roots, as the embedded
 *       store records them) and {@code memory} here, {@code s3} from {@code S3StorageModule},
 *       {@code mlflow-artifacts} (a tracking server's artifact proxy) from
 *       {@code MlflowRestTrackingModule};</li>
 *   <li>the stages by name ({@link StageRegistry} over a {@code MapBinder<String, Stage>});</li>
 *   <li>the process's clock, environment and randomness ({@link ProcessContext}).</li>
 * </ul>
 * An unknown scheme is an error listing the known ones (each switch says so).
 */
public final class CropcastModule extends AbstractModule {
    private final ProcessContext context;

    public CropcastModule(ProcessContext context) {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    protected void configure() {
        bind(ProcessContext.class).toInstance(context);
        bind(Clock.class).toInstance(context.clock());
        bind(DocumentWriter.class).to(JacksonYamlDocumentWriter.class).in(Singleton.class);
        bind(LocalStorage.class).in(Singleton.class);
        bind(MemoryStorage.class).in(Singleton.class);

        MapBinder<String, RunStoreFactory> backends = MapBinder.newMapBinder(binder(), String.class, RunStoreFactory.class);
        backends.addBinding("memory").to(MemoryRunStoreFactory.class);
        MapBinder.newMapBinder(binder(), String.class, ModelStoreFactory.class).addBinding("memory").to(MemoryModelStoreFactory.class);

        MapBinder<String, Storage> storages = MapBinder.newMapBinder(binder(), String.class, Storage.class);
        storages.addBinding(LocalStorage.SCHEME).to(LocalStorage.class);
        storages.addBinding(MemoryStorage.SCHEME).to(MemoryStorage.class);

        MapBinder<String, ArtifactStore> artifactStores = MapBinder.newMapBinder(binder(), String.class, ArtifactStore.class);
        artifactStores.addBinding(LocalStorage.SCHEME).to(Key.get(ArtifactStore.class, Names.named(LocalStorage.SCHEME)));
        artifactStores.addBinding(MemoryStorage.SCHEME).to(Key.get(ArtifactStore.class, Names.named(MemoryStorage.SCHEME)));

        MapBinder<String, Stage> stages = MapBinder.newMapBinder(binder(), String.class, Stage.class);
        stages.addBinding("hindcast").to(HindcastStage.class);
        stages.addBinding("fit-production").to(FitProductionStage.class);
        stages.addBinding("forecast").to(ForecastStage.class);
    }

    @Provides
    @Singleton
    MemoryRunStoreFactory memoryRunStoreFactory(Clock clock) {
        return new MemoryRunStoreFactory(clock, context.random());
    }

    @Provides
    @Singleton
    MemoryModelStoreFactory memoryModelStoreFactory(Clock clock) {
        return new MemoryModelStoreFactory(clock, context.random());
    }

    @Provides
    @Singleton
    SwitchingRunStoreFactory runStores(Map<String, RunStoreFactory> byScheme) {
        return new SwitchingRunStoreFactory(byScheme);
    }

    @Provides
    @Singleton
    RunStoreFactory anyRunStore(SwitchingRunStoreFactory factory) {
        return factory;
    }

    @Provides
    @Singleton
    ConfigLoader configLoader() {
        return new ConfigLoader(context.environment());
    }

    @Provides
    @Singleton
    SwitchingModelStoreFactory modelStores(Map<String, ModelStoreFactory> byScheme) {
        return new SwitchingModelStoreFactory(byScheme);
    }

    @Provides
    @Singleton
    ModelStoreFactory anyModelStore(SwitchingModelStoreFactory factory) {
        return factory;
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
