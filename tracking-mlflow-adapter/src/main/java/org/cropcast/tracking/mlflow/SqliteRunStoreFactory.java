package org.cropcast.tracking.mlflow;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.RunStoreFactory;

/**
 * Creates {@link SqliteRunStore}s for {@code sqlite:} tracking URIs
 * ({@code sqlite:////abs/mlruns.db}; a relative {@code sqlite:///mlruns.db} is resolved against
 * the working directory, so callers anchor it first).
 */
public final class SqliteRunStoreFactory implements RunStoreFactory {
    /** How long a write waits, in total, while other processes hold the database's write lock. */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(60);

    private final Optional<String> artifactRoot;
    private final Duration lockTimeout;
    private final Clock clock;
    private final RandomGenerator random;

    /** Artifacts in {@code mlartifacts/} beside the database, the system clock, secure random run ids. */
    public SqliteRunStoreFactory() {
        this(Optional.empty(), DEFAULT_LOCK_TIMEOUT, Clock.systemUTC(), new SecureRandom());
    }

    /**
     * @param artifactRoot the artifact root of new experiments (for example {@code s3://bucket/mlartifacts});
     *     empty for {@code mlartifacts/} beside the database
     */
    public SqliteRunStoreFactory(Optional<String> artifactRoot, Duration lockTimeout, Clock clock, RandomGenerator random) {
        this.artifactRoot = requireNonNull(artifactRoot, "artifactRoot is null");
        this.lockTimeout = requireNonNull(lockTimeout, "lockTimeout is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.random = requireNonNull(random, "random is null");
    }

    @Override
    public Set<String> schemes() {
        return Set.of(SqliteTrackingUri.SCHEME);
    }

    @Override
    public RunStore create(String trackingUri) {
        return SqliteRunStore.open(SqliteTrackingUri.parse(trackingUri), artifactRoot, lockTimeout, clock, random);
    }
}
