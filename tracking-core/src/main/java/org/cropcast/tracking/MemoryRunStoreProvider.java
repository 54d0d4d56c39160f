package org.cropcast.tracking;

import java.util.Set;

/**
 * Registers {@code memory:} tracking URIs ({@link MemoryRunStoreFactory}) with {@link Tracking}.
 * The runs live as long as the {@link Tracking} that opened them.
 */
public final class MemoryRunStoreProvider implements RunStoreProvider {
    @Override
    public Set<String> schemes() {
        return Set.of("memory");
    }

    @Override
    public RunStoreFactory create(TrackingContext context) {
        return new MemoryRunStoreFactory(context.clock(), context.random(), context.artifactRoot());
    }

    @Override
    public java.util.Optional<ModelStoreFactory> modelStores(TrackingContext context) {
        return java.util.Optional.of(new MemoryModelStoreFactory(context.clock(), context.random()));
    }
}
