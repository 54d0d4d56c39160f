package org.cropcast.pipeline.runs;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.cropcast.pipeline.config.ConfigDefaults;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.pipeline.config.PipelineSettings;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.Redactor;
import org.cropcast.tracking.TrackingAdapters;
import org.cropcast.tracking.TrackingUris;

/**
 * The tracking URI a command uses, anchored by core's {@link TrackingUris} with the adapters on the
 * class path (the SQLite adapter parses and anchors {@code sqlite:} URIs, the one parser of them).
 *
 * @param uri the anchored URI, possibly with credentials (never print it: use {@link #display()})
 * @param databaseFile the local database file of an embedded store (SQLite), as its adapter names it; empty for other backends
 */
public record TrackingTarget(String uri, Optional<Path> databaseFile) {
    public TrackingTarget {
        requireNonNull(uri, "uri is null");
        requireNonNull(databaseFile, "databaseFile is null");
    }

    /** A target whose URI names no local database file ({@code memory:}, a server). */
    public TrackingTarget(String uri) {
        this(uri, Optional.empty());
    }

    /** For {@code run}: the configuration's URI anchored at its data root. */
    public static TrackingTarget of(PipelineConfig config, TrackingAdapters adapters) {
        return of(TrackingUris.anchor(Optional.of(config.mlflowTrackingUri()), PipelineSettings.dataRoot(config), adapters), adapters);
    }

    /**
     * For {@code runs}: an explicit URI, else the configuration's, else {@code MLFLOW_TRACKING_URI},
     * else the default; anchored at the configuration's data root, else {@code INPUT_DATA_DIR}, else
     * the working directory.
     */
    public static TrackingTarget resolve(Optional<String> explicit, Optional<PipelineConfig> config, Map<String, String> environment,
            TrackingAdapters adapters) {
        Optional<String> configured = explicit
                .or(() -> config.map(PipelineConfig::mlflowTrackingUri))
                .or(() -> Optional.ofNullable(environment.get(ConfigDefaults.MLFLOW_TRACKING_URI)).filter(s -> !s.isBlank()));
        Location dataRoot = config.map(PipelineSettings::dataRoot)
                .or(() -> Optional.ofNullable(environment.get(ConfigDefaults.INPUT_DATA_DIR)).filter(s -> !s.isBlank()).map(Location::of))
                .orElseGet(() -> Location.local(Path.of("")));
        return of(TrackingUris.anchor(configured, dataRoot, adapters), adapters);
    }

    private static TrackingTarget of(String anchored, TrackingAdapters adapters) {
        return new TrackingTarget(anchored, adapters.databaseFile(anchored));
    }

    /** The URI with credentials masked. */
    public String display() {
        return Redactor.redact(uri);
    }

    /** The {@code mlflow ui} command for an embedded SQLite store. */
    public Optional<String> mlflowUiCommand() {
        return databaseFile.map(file -> "mlflow ui --backend-store-uri sqlite:///" + file.toAbsolutePath());
    }
}
