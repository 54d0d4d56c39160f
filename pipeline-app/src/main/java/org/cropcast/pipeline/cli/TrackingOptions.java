package org.cropcast.pipeline.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where the {@code runs} commands read: {@code --tracking-uri}, else the config's, else the default. */
public final class TrackingOptions {
    @Option(names = "--tracking-uri", paramLabel = "URI",
            description = "Tracking backend: sqlite:///path.db, http(s)://host:port or memory:. "
                    + "Default: the --config file's mlflow_tracking_uri, else MLFLOW_TRACKING_URI, else sqlite:///mlruns.db "
                    + "in the data root (INPUT_DATA_DIR, else the working directory).")
    String trackingUri;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Take the tracking URI (and data root) from this experiment configuration.")
    Path config;

    public Optional<String> trackingUri() {
        return Optional.ofNullable(trackingUri);
    }

    public Optional<Path> config() {
        return Optional.ofNullable(config);
    }
}
