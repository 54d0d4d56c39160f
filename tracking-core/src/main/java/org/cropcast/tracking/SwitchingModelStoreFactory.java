package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@link ModelStoreFactory} that hands each tracking URI to the factory registered for its
 * scheme, beside {@link SwitchingRunStoreFactory}. A scheme without a model store is
 * {@link TrackingErrorCode#UNKNOWN_SCHEME}, naming the URI (redacted) and the schemes that have one.
 */
public final class SwitchingModelStoreFactory implements ModelStoreFactory {
    private final Map<String, ModelStoreFactory> byScheme;

    /** @param byScheme the factory of each scheme (lower case) */
    public SwitchingModelStoreFactory(Map<String, ? extends ModelStoreFactory> byScheme) {
        this.byScheme = Collections.unmodifiableMap(new TreeMap<>(requireNonNull(byScheme, "byScheme is null")));
    }

    @Override
    public Set<String> schemes() {
        return byScheme.keySet();
    }

    @Override
    public ModelStore create(String trackingUri, RunStore runs) {
        requireNonNull(trackingUri, "trackingUri is null");
        requireNonNull(runs, "runs is null");
        Optional<String> scheme = UriSchemes.of(trackingUri);
        ModelStoreFactory factory = scheme.map(byScheme::get).orElse(null);
        if (factory == null) {
            throw new CropcastException(TrackingErrorCode.UNKNOWN_SCHEME, "tracking URI '"
                    + Redactor.truncateForMessage(Redactor.redact(trackingUri)) + "' has no model registry here; schemes with one: "
                    + String.join(", ", byScheme.keySet()));
        }
        return factory.create(trackingUri, runs);
    }
}
