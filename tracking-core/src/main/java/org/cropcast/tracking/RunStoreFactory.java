package org.cropcast.tracking;

import java.util.Set;

/**
 * Creates the {@link RunStore} for a tracking URI of the schemes it serves ({@code sqlite},
 * {@code http}/{@code https}, {@code memory}). The application keeps one factory per scheme and
 * lists the known schemes when it meets an unknown one. The URI given is already anchored
 * (see {@code TrackingUris}).
 */
public interface RunStoreFactory {
    /** The URI schemes served, lower case. */
    Set<String> schemes();

    RunStore create(String trackingUri);
}
