package org.cropcast.pipeline.wiring;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.MapBinder;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
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
import org.cropcast.tracking.ModelStoreFactory;
import org.cropcast.tracking.RunStoreFactory;
import org.cropcast.tracking.Storage;
import org.cropcast.tracking.SwitchingArtifactStore;
import org.cropcast.tracking.SwitchingModelStoreFactory;
import org.cropcast.tracking.SwitchingRunStoreFactory;
import org.cropcast.tracking.SwitchingStorage;
import org.cropcast.tracking.Tracking;
import org.cropcast.tracking.TrackingAdapters;
import org.cropcast.tracking.TrackingContext;

/**
 * The composition root. Tracking is opened as core's {@link Tracking} entry point opens it: the
 * adapters on the class path, found through {@link java.util.ServiceLoader}
 * ({@link TrackingAdapters}), built once from the process's clock, randomness and environment
 * into core's switching implementations, which are bound here:
 * <ul>
 *   <li>run stores by tracking-URI scheme ({@link SwitchingRunStoreFactory}: {@code memory} from
 *       core, {@code sqlite}, {@code http} and {@code https} from tracking-mlflow-adapter), and the
 *       model stores beside them ({@link SwitchingModelStoreFactory});</li>
 *   <li>storage by location scheme ({@link SwitchingStorage}: {@code file} and {@code memory} from
 *       core, {@code s3} from storage-s3-adapter);</li>
 *   <li>artifact stores by artifact-root scheme ({@link SwitchingArtifactStore}: every storage
 *       scheme, and {@code mlflow-artifacts}, a tracking server's artifact proxy);</li>
 *   <li>the stages by name ({@link StageRegistry} over a {@code MapBinder<String, Stage>});</li>
 *   <li>the process's clock, environment and randomness ({@link ProcessContext}).</li>
 * </ul>
 * An unknown scheme is an error listing the known ones (each switch says so). A test replaces an
 * adapter by overriding the {@link TrackingAdapters} binding ({@link TrackingAdapters#replacing}).
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
        bind(RunStoreFactory.class).to(SwitchingRunStoreFactory.class);
        bind(ModelStoreFactory.class).to(SwitchingModelStoreFactory.class);
        bind(Storage.class).to(SwitchingStorage.class);
        bind(ArtifactStore.class).to(SwitchingArtifactStore.class);

        MapBinder<String, Stage> stages = MapBinder.newMapBinder(binder(), String.class, Stage.class);
        stages.addBinding("hindcast").to(HindcastStage.class);
        stages.addBinding("fit-production").to(FitProductionStage.class);
        stages.addBinding("forecast").to(ForecastStage.class);
    }

    /** The adapters on the class path, as {@link Tracking} finds them. */
    @Provides
    @Singleton
    TrackingAdapters adapters() {
        return TrackingAdapters.discover(CropcastModule.class.getClassLoader());
    }

    /**
     * The one mechanism behind the four by-scheme switches: core builds them, each adapter from the
     * same context (new experiments keep the backend's artifact root, as before).
     */
    @Provides
    @Singleton
    TrackingAdapters.Components tracking(TrackingAdapters adapters) {
        return adapters.create(new TrackingContext(context.clock(), context.random(), context.environment(), Optional.empty()));
    }

    @Provides
    SwitchingRunStoreFactory runStores(TrackingAdapters.Components tracking) {
        return tracking.runStores();
    }

    @Provides
    @Singleton
    SwitchingModelStoreFactory modelStores(TrackingAdapters.Components tracking) {
        return new SwitchingModelStoreFactory(tracking.modelStores());
    }

    @Provides
    SwitchingStorage storage(TrackingAdapters.Components tracking) {
        return tracking.storage();
    }

    @Provides
    SwitchingArtifactStore artifactStore(TrackingAdapters.Components tracking) {
        return tracking.artifactStore();
    }

    @Provides
    @Singleton
    ConfigLoader configLoader() {
        return new ConfigLoader(context.environment());
    }

    @Provides
    @Singleton
    StageRegistry stages(Map<String, Stage> stages) {
        return new StageRegistry(stages);
    }

    @Provides
    RandomGenerator random() {
        return context.random();
    }
}
