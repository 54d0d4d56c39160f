package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * Creates {@link MemoryRunStore}s for {@code memory:} tracking URIs ({@code memory:},
 * {@code memory:name} or {@code memory://name}). The same URI gives the same store for the life of
 * this factory, so several commands in one process see each other's runs. Artifact roots live
 * under {@code memory://mlartifacts/<name>/<experiment>/<run>/artifacts} (or under the artifact
 * root given); serve them with a {@link MemoryStorage} registered for the {@code memory} scheme.
 */
public final class MemoryRunStoreFactory implements RunStoreFactory {
    private final Clock clock;
    private final RandomGenerator random;
    private final String artifactBase;
    private final Map<String, MemoryRunStore> stores = new ConcurrentHashMap<>();

    public MemoryRunStoreFactory(Clock clock, RandomGenerator random) {
        this(clock, random, Optional.empty());
    }

    /**
     * @param artifactRoot the artifact root of new experiments (for example {@code file:///tmp/artifacts});
     *     empty for {@value MemoryRunStore#DEFAULT_ARTIFACT_BASE}
     */
    public MemoryRunStoreFactory(Clock clock, RandomGenerator random, Optional<String> artifactRoot) {
        this.clock = requireNonNull(clock, "clock is null");
        this.random = requireNonNull(random, "random is null");
        this.artifactBase = requireNonNull(artifactRoot, "artifactRoot is null").orElse(MemoryRunStore.DEFAULT_ARTIFACT_BASE);
    }

    @Override
    public Set<String> schemes() {
        return Set.of("memory");
    }

    @Override
    public RunStore create(String trackingUri) {
        String name = nameOf(trackingUri);
        return stores.computeIfAbsent(name, n -> new MemoryRunStore(clock, random,
                artifactBase + (n.isEmpty() ? "" : "/" + n)));
    }

    private static String nameOf(String uri) {
        requireNonNull(uri, "trackingUri is null");
        if (!uri.startsWith("memory:")) {
            throw new CropcastException(TrackingErrorCode.INVALID_URI,
                    "'" + Redactor.truncateForMessage(Redactor.redact(uri)) + "' is not a memory: tracking URI");
        }
        String name = uri.substring("memory:".length());
        if (name.startsWith("//")) {
            name = name.substring(2);
        }
        if (!name.matches("[A-Za-z0-9_-]*")) {
            throw new CropcastException(TrackingErrorCode.INVALID_URI,
                    "invalid memory: tracking URI '" + Redactor.truncateForMessage(Redactor.redact(uri))
                            + "': the name may only contain letters, digits, '-' and '_'");
        }
        return name;
    }
}
