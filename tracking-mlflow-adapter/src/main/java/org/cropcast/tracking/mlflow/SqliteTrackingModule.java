package org.cropcast.tracking.mlflow;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.multibindings.Multibinder;
import org.cropcast.tracking.ArtifactStore;
import org.cropcast.tracking.RunStoreFactory;

/**
 * Guice wiring of the embedded SQLite store: the {@code sqlite} entry of the
 * {@code Map<String, RunStoreFactory>} (by URI scheme) and the local-file artifact store in the
 * {@code Set<ArtifactStore>}. Binds only this adapter's classes.
 */
public final class SqliteTrackingModule extends AbstractModule {
    private final SqliteRunStoreFactory factory;

    public SqliteTrackingModule() {
        this(new SqliteRunStoreFactory());
    }

    /** With a factory configured by the caller (artifact root, lock timeout, clock). */
    public SqliteTrackingModule(SqliteRunStoreFactory factory) {
        this.factory = requireNonNull(factory, "factory is null");
    }

    @Override
    protected void configure() {
        MapBinder.newMapBinder(binder(), String.class, RunStoreFactory.class)
                .addBinding(SqliteTrackingUri.SCHEME).toInstance(factory);
        Multibinder.newSetBinder(binder(), ArtifactStore.class).addBinding().to(SqliteArtifactStore.class);
    }
}
