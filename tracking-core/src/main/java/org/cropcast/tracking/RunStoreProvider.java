package org.cropcast.tracking;

import java.util.Set;

/**
 * A service that {@link Tracking} discovers through {@link java.util.ServiceLoader}, as JDBC
 * finds its drivers: each adapter module lists its implementations in
 * {@code META-INF/services/org.cropcast.tracking.RunStoreProvider}. An implementation has a
 * public no-argument constructor and is cheap to construct; the work happens in {@link #create}.
 */
public interface RunStoreProvider {
    /** The tracking URI schemes served, lower case (for example {@code sqlite}). Known before {@link #create}. */
    Set<String> schemes();

    /** The factory of run stores for URIs of {@link #schemes()}, built from the context. */
    RunStoreFactory create(TrackingContext context);

    /**
     * The factory of the model stores (logged models, the registry, run inputs and outputs) of the
     * same URIs, if the backend has them; built from the context, and cheap until used.
     */
    default java.util.Optional<ModelStoreFactory> modelStores(TrackingContext context) {
        return java.util.Optional.empty();
    }
}
