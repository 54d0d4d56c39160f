package org.cropcast.tracking;

import java.nio.file.Path;
import java.util.Optional;
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
    default Optional<ModelStoreFactory> modelStores(TrackingContext context) {
        return Optional.empty();
    }

    /**
     * A tracking URI of {@link #schemes()} that names a local file by a relative path, with that
     * path resolved against {@code directory} (the SQLite store: {@code sqlite:///mlruns.db} becomes
     * {@code sqlite:////directory/mlruns.db}); empty when the URI names no relative path (absolute,
     * remote, in memory) and is used as it is. The adapter parses the URI, the one parser of its
     * kind, and refuses a malformed one as its stores would. Used by {@link TrackingUris#anchor}.
     */
    default Optional<String> anchor(String trackingUri, Path directory) {
        return Optional.empty();
    }

    /**
     * The local database file a tracking URI of {@link #schemes()} keeps its runs in, absolute (a
     * relative path resolved against the working directory, as the stores resolve it); empty for a
     * backend that is not a local file. Lets a caller refuse to read a database that does not exist
     * rather than create an empty one.
     */
    default Optional<Path> databaseFile(String trackingUri) {
        return Optional.empty();
    }
}
