package org.cropcast.tracking.sync;

/**
 * Stands for the process dying at this point (SIGKILL): an {@link Error}, so no {@code catch} of
 * the code under test handles it and nothing after it runs. The real SIGKILL is proven by the
 * application's process tests.
 */
final class SimulatedKill extends Error {
    SimulatedKill(String where) {
        super("killed " + where);
    }
}
