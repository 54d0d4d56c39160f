package org.cropcast.tracking.sync;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import org.cropcast.tracking.ArtifactStore;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.ModelStore;
import org.cropcast.tracking.Redactor;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.TrackingErrorCode;

/**
 * One side of a sync: a tracking backend's run store and the artifact store that serves its runs'
 * artifact roots.
 *
 * @param models the backend's model store; absent, lineage is not synced
 * @param uri the backend's tracking URI ({@code sqlite:///...}, {@code http(s)://...},
 *     {@code memory:...}); it may hold credentials, which never leave this record unmasked:
 *     {@link #display()} and {@link #fingerprint()} are computed from the redacted form
 */
public record SyncEndpoint(String uri, RunStore runs, ArtifactStore artifacts, Optional<ModelStore> models) {
    /** Hex characters of the fingerprint: 64 bits, enough to tell backends apart. */
    public static final int FINGERPRINT_LENGTH = 16;

    public SyncEndpoint {
        requireNonNull(uri, "uri is null");
        requireNonNull(runs, "runs is null");
        requireNonNull(artifacts, "artifacts is null");
        requireNonNull(models, "models is null");
    }

    /** A backend with its model store (dataset inputs, logged models, the registry): what a complete sync needs. */
    public SyncEndpoint(String uri, RunStore runs, ArtifactStore artifacts, ModelStore models) {
        this(uri, runs, artifacts, Optional.of(models));
    }

    /**
     * A backend without a model store: its runs' dataset inputs, logged models and registered
     * versions are not synced (the sync says so in its log and in each run's problems).
     */
    public SyncEndpoint(String uri, RunStore runs, ArtifactStore artifacts) {
        this(uri, runs, artifacts, Optional.empty());
    }

    /** The same backend seen through other stores (a test counting writes). */
    public SyncEndpoint with(RunStore newRuns, ArtifactStore newArtifacts, Optional<ModelStore> newModels) {
        return new SyncEndpoint(uri, newRuns, newArtifacts, newModels);
    }

    /** The URI with credentials masked: what tags, logs and reports show. */
    public String display() {
        String redacted = Redactor.redact(uri);
        while (redacted.endsWith("/") && !redacted.endsWith(":///")) {
            redacted = redacted.substring(0, redacted.length() - 1);
        }
        int colon = redacted.indexOf(':');
        return colon > 0 ? redacted.substring(0, colon).toLowerCase(Locale.ROOT) + redacted.substring(colon) : redacted;
    }

    /**
     * A short, stable identity of the backend: the first {@value #FINGERPRINT_LENGTH} hex
     * characters of the SHA-256 of {@link #display()} (so a changed password does not change it).
     */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(display().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, FINGERPRINT_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new CropcastException(TrackingErrorCode.INTERNAL_ERROR, "SHA-256 is not available", e);
        }
    }
}
