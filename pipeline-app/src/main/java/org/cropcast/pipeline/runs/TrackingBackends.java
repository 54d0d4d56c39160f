package org.cropcast.pipeline.runs;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.Redactor;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.RunStoreFactory;
import org.cropcast.tracking.TrackingErrorCode;

/**
 * Picks the {@link RunStoreFactory} for a tracking URI by its scheme ({@code sqlite}, {@code http},
 * {@code https}, {@code memory}, as many as the installed modules register). An unknown or missing
 * scheme is {@link TrackingErrorCode#UNKNOWN_SCHEME}, naming the URI (redacted) and the known schemes.
 */
public final class TrackingBackends {
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");

    private final Map<String, RunStoreFactory> factories;

    @Inject
    public TrackingBackends(Map<String, RunStoreFactory> factories) {
        this.factories = new TreeMap<>(requireNonNull(factories, "factories is null"));
    }

    /** The tracking URI schemes served, in order. */
    public java.util.Set<String> schemes() {
        return factories.keySet();
    }

    /** Opens the run store for an (already anchored) tracking URI; the caller closes it. */
    public RunStore open(String trackingUri) {
        return factoryFor(trackingUri).create(trackingUri);
    }

    public RunStoreFactory factoryFor(String trackingUri) {
        requireNonNull(trackingUri, "trackingUri is null");
        String scheme = schemeOf(trackingUri);
        RunStoreFactory factory = scheme.isEmpty() ? null : factories.get(scheme);
        if (factory == null) {
            String what = scheme.isEmpty() ? "has no scheme" : "has the unknown scheme '" + scheme + "'";
            throw new CropcastException(TrackingErrorCode.UNKNOWN_SCHEME, "tracking URI '"
                    + Redactor.truncateForMessage(Redactor.redact(trackingUri)) + "' " + what
                    + "; known schemes: " + String.join(", ", factories.keySet())
                    + " (for example sqlite:///mlruns.db, http://localhost:5000, memory:)");
        }
        return factory;
    }

    static String schemeOf(String uri) {
        int colon = uri.indexOf(':');
        if (colon < 1 || !SCHEME.matcher(uri.substring(0, colon)).matches()) {
            return "";
        }
        return uri.substring(0, colon).toLowerCase(Locale.ROOT);
    }
}
