package org.cropcast.pipeline.runs;

import java.util.Optional;
import org.cropcast.pipeline.config.ConfigDefaults;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.pipeline.config.PipelineSettings;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.Redactor;
import org.cropcast.tracking.TrackingUris;
import org.cropcast.tracking.UriSchemes;
import org.cropcast.tracking.mlflow.SqliteTrackingUri;

/**
 * The tracking URI a command uses, anchored by core's {@link TrackingUris} (the only place that
 * resolves a relative SQLite URI).
 *
 * @param uri the anchored URI, possibly with credentials (never print it: use {@link #display()})
 */
public record TrackingTarget(String uri) {
    /** For {@code run}: the configuration's URI anchored at its data root. */
    public static TrackingTarget of(PipelineConfig config) {
        return new TrackingTarget(TrackingUris.anchor(Optional.of(config.mlflowTrackingUri()), PipelineSettings.dataRoot(config)));
    }

    /**
     * For {@code runs}: an explicit URI, else the configuration's, else {@code MLFLOW_TRACKING_URI},
     * else the default; anchored at the configuration's data root, else {@code INPUT_DATA_DIR}, else
     * the working directory.
     */
    public static TrackingTarget resolve(Optional<String> explicit, Optional<PipelineConfig> config, java.util.Map<String, String> environment) {
        Optional<String> configured = explicit
                .or(() -> config.map(PipelineConfig::mlflowTrackingUri))
                .or(() -> Optional.ofNullable(environment.get(ConfigDefaults.MLFLOW_TRACKING_URI)).filter(s -> !s.isBlank()));
        Location dataRoot = config.map(PipelineSettings::dataRoot)
                .or(() -> Optional.ofNullable(environment.get(ConfigDefaults.INPUT_DATA_DIR)).filter(s -> !s.isBlank()).map(Location::of))
                .orElseGet(() -> Location.local(java.nio.file.Path.of("")));
        return new TrackingTarget(TrackingUris.anchor(configured, dataRoot));
    }

    /** The URI with credentials masked. */
    public String display() {
        return Redactor.redact(uri);
    }

    /**
     * The database file of an embedded SQLite store (parsed by the SQLite adapter's
     * {@link SqliteTrackingUri}, the one parser of SQLite URIs); empty for other schemes.
     */
    public Optional<java.nio.file.Path> sqliteDatabase() {
        if (UriSchemes.of(uri).filter(SqliteTrackingUri.SCHEME::equals).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(SqliteTrackingUri.parse(uri).database());
    }

    /** The {@code mlflow ui} command for an embedded SQLite store. */
    public Optional<String> mlflowUiCommand() {
        return sqliteDatabase().map(file -> "mlflow ui --backend-store-uri sqlite:///" + file.toAbsolutePath());
    }
}
