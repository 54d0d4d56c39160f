package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * What the adapters discovered by {@link Tracking} are built with: the injected clock,
 * randomness and environment (credentials are read from it as MLflow reads them, for example
 * {@code MLFLOW_TRACKING_USERNAME} or {@code AWS_ACCESS_KEY_ID}), the artifact root of new
 * experiments, and a place where the adapters of one module share objects (one HTTP client per
 * tracking server for both the run store and the artifact proxy). One context per opened
 * {@link Tracking}; nothing in it is read from the process ad hoc.
 */
public final class TrackingContext {
    private final Clock clock;
    private final RandomGenerator random;
    private final Map<String, String> environment;
    private final Optional<String> artifactRoot;
    private final Map<Class<?>, Object> shared = new ConcurrentHashMap<>();

    /**
     * @param environment the process environment as the adapters may read it (normally {@code System.getenv()})
     * @param artifactRoot where new experiments keep their artifacts; empty for the backend's default
     */
    public TrackingContext(Clock clock, RandomGenerator random, Map<String, String> environment, Optional<String> artifactRoot) {
        this.clock = requireNonNull(clock, "clock is null");
        this.random = requireNonNull(random, "random is null");
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        this.artifactRoot = requireNonNull(artifactRoot, "artifactRoot is null");
    }

    public Clock clock() {
        return clock;
    }

    public RandomGenerator random() {
        return random;
    }

    /** The environment variables the adapters may read. */
    public Map<String, String> environment() {
        return environment;
    }

    /** The artifact root of new experiments, if the caller chose one. */
    public Optional<String> artifactRoot() {
        return artifactRoot;
    }

    /**
     * The one object of {@code type} in this context, created by {@code create} on first use. Lets
     * the providers of one adapter module share a connection pool without static state.
     */
    public <T> T shared(Class<T> type, Supplier<? extends T> create) {
        requireNonNull(type, "type is null");
        requireNonNull(create, "create is null");
        return type.cast(shared.computeIfAbsent(type, t -> requireNonNull(create.get(), "created object is null")));
    }

    @Override
    public String toString() {
        return "TrackingContext[artifactRoot=" + artifactRoot.map(Redactor::redact).orElse("(backend default)")
                + ", environment=" + environment.size() + " variables]";
    }
}
