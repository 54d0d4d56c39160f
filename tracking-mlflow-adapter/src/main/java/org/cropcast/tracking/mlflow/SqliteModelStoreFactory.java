package org.cropcast.tracking.mlflow;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.ModelStore;
import org.cropcast.tracking.ModelStoreFactory;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.TrackingErrorCode;

/** Creates {@link SqliteModelStore}s on the connection of the {@link SqliteRunStore} of a {@code sqlite:} URI. */
public final class SqliteModelStoreFactory implements ModelStoreFactory {
    private final Clock clock;
    private final RandomGenerator random;

    public SqliteModelStoreFactory() {
        this(Clock.systemUTC(), new SecureRandom());
    }

    public SqliteModelStoreFactory(Clock clock, RandomGenerator random) {
        this.clock = requireNonNull(clock, "clock is null");
        this.random = requireNonNull(random, "random is null");
    }

    @Override
    public Set<String> schemes() {
        return Set.of(SqliteTrackingUri.SCHEME);
    }

    @Override
    public ModelStore create(String trackingUri, RunStore runs) {
        if (runs instanceof SqliteRunStore sqlite) {
            return SqliteModelStore.beside(sqlite, clock, random);
        }
        throw new CropcastException(TrackingErrorCode.INTERNAL_ERROR, "the SQLite model store needs the SQLite run store of "
                + "the same URI, not " + runs.getClass().getSimpleName());
    }
}
