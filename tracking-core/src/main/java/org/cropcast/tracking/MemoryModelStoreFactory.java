package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Creates {@link MemoryModelStore}s for {@code memory:} tracking URIs: one per run store, so every
 * command of a process that shares a {@link MemoryRunStore} also shares its models.
 */
public final class MemoryModelStoreFactory implements ModelStoreFactory {
    private final Clock clock;
    private final RandomGenerator random;
    private final Map<RunStore, MemoryModelStore> stores = Collections.synchronizedMap(new IdentityHashMap<>());

    public MemoryModelStoreFactory(Clock clock, RandomGenerator random) {
        this.clock = requireNonNull(clock, "clock is null");
        this.random = requireNonNull(random, "random is null");
    }

    @Override
    public Set<String> schemes() {
        return Set.of("memory");
    }

    @Override
    public ModelStore create(String trackingUri, RunStore runs) {
        requireNonNull(trackingUri, "trackingUri is null");
        requireNonNull(runs, "runs is null");
        return stores.computeIfAbsent(runs, r -> new MemoryModelStore(r, clock, random));
    }
}
