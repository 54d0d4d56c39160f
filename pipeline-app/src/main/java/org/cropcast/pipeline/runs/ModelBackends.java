package org.cropcast.pipeline.runs;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import java.util.Map;
import java.util.TreeMap;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.ModelStore;
import org.cropcast.tracking.ModelStoreFactory;
import org.cropcast.tracking.Redactor;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.TrackingErrorCode;

/**
 * Picks the {@link ModelStoreFactory} of a tracking URI by its scheme and opens the model store
 * (logged models, registry, run inputs/outputs) beside the run store already open on that URI.
 */
public final class ModelBackends {
    private final Map<String, ModelStoreFactory> factories;

    @Inject
    public ModelBackends(Map<String, ModelStoreFactory> factories) {
        this.factories = new TreeMap<>(requireNonNull(factories, "factories is null"));
    }

    /** The model store of an (anchored) tracking URI, beside {@code runs}; the caller closes it. */
    public ModelStore open(String trackingUri, RunStore runs) {
        requireNonNull(trackingUri, "trackingUri is null");
        String scheme = TrackingBackends.schemeOf(trackingUri);
        ModelStoreFactory factory = factories.get(scheme);
        if (factory == null) {
            throw new CropcastException(TrackingErrorCode.UNKNOWN_SCHEME, "tracking URI '"
                    + Redactor.truncateForMessage(Redactor.redact(trackingUri)) + "' has no model registry here; schemes with one: "
                    + String.join(", ", factories.keySet()));
        }
        return factory.create(trackingUri, runs);
    }
}
