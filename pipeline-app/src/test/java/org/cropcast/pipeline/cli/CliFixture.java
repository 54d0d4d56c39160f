package org.cropcast.pipeline.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A data root with placeholder input files and a valid configuration for the test stages. */
public final class CliFixture {
    static final String CONFIG = """
            experiment_name: Test corn
            feature_start_year: 2001
            feature_end_year: 2005
            min_train_years: 2
            mlflow_tracking_uri: %s
            target:
              path: target.csv
            features:
              path: features.csv
              variables: [t2m]
            """;

    private CliFixture() {}

    /** Writes {@code dataRoot/experiment.yaml} (data_root is its own directory) and the input files it names. */
    public static Path write(Path dataRoot, String trackingUri) throws IOException {
        Files.createDirectories(dataRoot);
        Files.writeString(dataRoot.resolve("target.csv"), "region,year,yield\nA,2001,1.0\n");
        Files.writeString(dataRoot.resolve("features.csv"), "region,year,t2m\nA,2001,20.0\n");
        Path config = dataRoot.resolve("experiment.yaml");
        Files.writeString(config, "data_root: .\n" + CONFIG.formatted(trackingUri));
        return config;
    }
}
