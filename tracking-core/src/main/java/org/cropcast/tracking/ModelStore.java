package org.cropcast.tracking;

/**
 * Everything a backend records about models and lineage: logged models, the registry, the inputs
 * and outputs of runs. Implementations are named {@code <Technology>ModelStore} and work beside the
 * {@link RunStore} of the same tracking URI.
 */
public interface ModelStore extends LoggedModelStore, ModelRegistry, RunLineageStore, AutoCloseable {
    @Override
    default void close() {}
}
