package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@link RunStoreFactory} that hands each tracking URI to the factory registered for its scheme
 * ({@code sqlite}, {@code http}, {@code https}, {@code memory}, as many as are registered), beside
 * {@link SwitchingStorage} and {@link SwitchingArtifactStore}. An unknown or missing scheme is
 * {@link TrackingErrorCode#UNKNOWN_SCHEME}, naming the URI (redacted) and the known schemes.
 */
public final class SwitchingRunStoreFactory implements RunStoreFactory {
    private final Map<String, RunStoreFactory> byScheme;

    /** @param byScheme the factory of each scheme (lower case) */
    public SwitchingRunStoreFactory(Map<String, ? extends RunStoreFactory> byScheme) {
        this.byScheme = Collections.unmodifiableMap(new TreeMap<>(requireNonNull(byScheme, "byScheme is null")));
    }

    /**
     * Registers each factory under every scheme it {@linkplain RunStoreFactory#schemes() serves}.
     * Two factories claiming one scheme is {@link TrackingErrorCode#INVALID_ARGUMENT}, naming both.
     */
    public static SwitchingRunStoreFactory of(Collection<? extends RunStoreFactory> factories) {
        Map<String, RunStoreFactory> byScheme = new TreeMap<>();
        for (RunStoreFactory factory : requireNonNull(factories, "factories is null")) {
            for (String scheme : factory.schemes()) {
                RunStoreFactory previous = byScheme.putIfAbsent(scheme, factory);
                if (previous != null && previous != factory) {
                    throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT, "two run-store factories serve the tracking URI scheme '"
                            + scheme + "': " + previous.getClass().getName() + " and " + factory.getClass().getName());
                }
            }
        }
        return new SwitchingRunStoreFactory(byScheme);
    }

    /** The tracking URI schemes served, in order. */
    @Override
    public Set<String> schemes() {
        return byScheme.keySet();
    }

    /** Opens the run store for an (already anchored) tracking URI; the caller closes it. */
    @Override
    public RunStore create(String trackingUri) {
        return factoryFor(trackingUri).create(trackingUri);
    }

    /** The factory serving this URI's scheme. */
    public RunStoreFactory factoryFor(String trackingUri) {
        requireNonNull(trackingUri, "trackingUri is null");
        Optional<String> scheme = UriSchemes.of(trackingUri);
        RunStoreFactory factory = scheme.map(byScheme::get).orElse(null);
        if (factory == null) {
            String what = scheme.map(s -> "has the unknown scheme '" + s + "'").orElse("has no scheme");
            throw new CropcastException(TrackingErrorCode.UNKNOWN_SCHEME, "tracking URI '"
                    + Redactor.truncateForMessage(Redactor.redact(trackingUri)) + "' " + what
                    + "; known schemes: " + String.join(", ", byScheme.keySet())
                    + " (for example sqlite:///mlruns.db, http://localhost:5000, memory:)");
        }
        return factory;
    }
}
