package org.cropcast.tracking;

import java.util.Set;

/**
 * Creates the {@link ModelStore} of a tracking URI, beside the {@link RunStore} already open on the
 * same URI (so both share one connection, client or memory). The URI is anchored (see {@code TrackingUris}).
 */
public interface ModelStoreFactory {
    /** The URI schemes served, lower case. */
    Set<String> schemes();

    ModelStore create(String trackingUri, RunStore runs);
}
