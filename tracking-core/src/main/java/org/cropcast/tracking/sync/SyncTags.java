package org.cropcast.tracking.sync;

import java.util.Set;

/**
 * The tags a sync sets. None of them is copied by a later sync: every key under {@link #PREFIX}
 * belongs to the backend that holds it.
 *
 * <p>On the destination run (set when the run is created, in the same request, so a sync killed
 * right after creating it finds it again): {@link #SOURCE_BACKEND}, {@link #SOURCE_RUN_ID},
 * {@link #SOURCE_URI}; and, once everything of the run has been copied, {@link #SOURCE_DIGEST}.
 * On the source run: {@code cropcast.sync.to.<destination fingerprint>} =
 * {@code <destination run id> <destination URI>}.
 */
public final class SyncTags {
    public static final String PREFIX = "cropcast.sync.";
    /** Fingerprint of the source backend ({@link SyncEndpoint#fingerprint()}). */
    public static final String SOURCE_BACKEND = PREFIX + "source_backend";
    /** The source run's id. */
    public static final String SOURCE_RUN_ID = PREFIX + "source_run_id";
    /** The source backend's URI, credentials masked. */
    public static final String SOURCE_URI = PREFIX + "source_uri";
    /** On a copied logged model: the source model's id (with {@link #SOURCE_BACKEND} and {@link #SOURCE_URI}). */
    public static final String SOURCE_MODEL_ID = PREFIX + "source_model_id";
    /** SHA-256 of everything copied from the source run, written last: the copy is complete as of that state. */
    public static final String SOURCE_DIGEST = PREFIX + "source_digest";
    /** Prefix of the source run's tags naming its copies, one per destination fingerprint. */
    public static final String SYNCED_TO_PREFIX = PREFIX + "to.";
    /** MLflow's tag naming a child run's parent. */
    public static final String PARENT_RUN_ID = "mlflow.parentRunId";

    /**
     * Tags a backend adapter sets for its own bookkeeping that must not be carried to another
     * backend: the MLflow REST adapter's create-request id (its retry logic searches for it).
     */
    static final Set<String> NOT_COPIED = Set.of("cropcast.create_request_id");

    private SyncTags() {}

    /** True if a sync copies this tag key from a source run. */
    public static boolean isCopied(String key) {
        return !key.startsWith(PREFIX) && !NOT_COPIED.contains(key);
    }

    /** The source run's tag key naming its copy at the destination with this fingerprint. */
    public static String syncedTo(String destinationFingerprint) {
        return SYNCED_TO_PREFIX + destinationFingerprint;
    }

    /** The value of a {@link #syncedTo} tag. */
    public static String syncedToValue(String runId, String destinationDisplay) {
        return runId + " " + destinationDisplay;
    }
}
