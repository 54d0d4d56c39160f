package org.cropcast.tracking.mlflow;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import java.time.Clock;
import java.util.Map;
import org.cropcast.tracking.ArtifactStore;
import org.cropcast.tracking.ModelStoreFactory;
import org.cropcast.tracking.RunStoreFactory;

/**
 * Guice wiring of the MLflow tracking-server adapter: the {@code http} and {@code https} entries
 * of the {@code Map<String, RunStoreFactory>} and {@code Map<String, ModelStoreFactory>} (by tracking-URI scheme) and the
 * {@code mlflow-artifacts} entry of the {@code Map<String, ArtifactStore>} (by artifact-root
 * scheme: the server's artifact proxy). Binds only this adapter's classes. The environment
 * ({@code MLFLOW_TRACKING_USERNAME}, ... see {@link MlflowRestSettings}) is passed in by the
 * composition root, normally {@code System.getenv()}.
 */
public final class MlflowRestTrackingModule extends AbstractModule {
    private final MlflowRestConnections connections;
    private final Clock clock;

    /** With the system clock. */
    public MlflowRestTrackingModule(Map<String, String> environment) {
        this(environment, Clock.systemUTC());
    }

    public MlflowRestTrackingModule(Map<String, String> environment, Clock clock) {
        this(new MlflowRestConnections(MlflowRestSettings.fromEnvironment(requireNonNull(environment, "environment is null"))), clock);
    }

    public MlflowRestTrackingModule(MlflowRestConnections connections, Clock clock) {
        this.connections = requireNonNull(connections, "connections is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    protected void configure() {
        MlflowRestRunStoreFactory factory = new MlflowRestRunStoreFactory(connections, clock);
        MapBinder<String, RunStoreFactory> factories = MapBinder.newMapBinder(binder(), String.class, RunStoreFactory.class);
        for (String scheme : factory.schemes()) {
            factories.addBinding(scheme).toInstance(factory);
        }
        MlflowRestModelStoreFactory models = new MlflowRestModelStoreFactory(connections);
        MapBinder<String, ModelStoreFactory> modelFactories = MapBinder.newMapBinder(binder(), String.class, ModelStoreFactory.class);
        for (String scheme : models.schemes()) {
            modelFactories.addBinding(scheme).toInstance(models);
        }
        MapBinder.newMapBinder(binder(), String.class, ArtifactStore.class)
                .addBinding(MlflowArtifactsArtifactStore.SCHEME).toInstance(new MlflowArtifactsArtifactStore(connections));
    }
}
