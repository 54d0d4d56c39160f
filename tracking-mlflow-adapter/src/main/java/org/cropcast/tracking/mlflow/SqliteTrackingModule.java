package org.cropcast.tracking.mlflow;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import org.cropcast.tracking.ModelStoreFactory;
import org.cropcast.tracking.RunStoreFactory;

/**
 * Guice wiring of the embedded SQLite store: the {@code sqlite} entries of the
 * {@code Map<String, RunStoreFactory>} and {@code Map<String, ModelStoreFactory>} (by URI scheme). Binds only this adapter's classes: the
 * embedded store's artifacts ({@code file:} roots, {@code mlartifacts/} beside the database) are
 * served by core's {@code StorageArtifactStore} over {@code LocalStorage}, which the application
 * binds.
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
        MapBinder.newMapBinder(binder(), String.class, ModelStoreFactory.class)
                .addBinding(SqliteTrackingUri.SCHEME).toInstance(new SqliteModelStoreFactory());
    }
}
