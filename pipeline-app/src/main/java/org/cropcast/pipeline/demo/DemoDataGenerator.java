package org.cropcast.pipeline.demo;

import java.nio.file.Path;

/**
 * Writes a self-contained, deterministic demo data root (synthetic but realistic region x year
 * panel, features, a reference spec) with its config. Skeleton: implemented under issue 7.
 */
public final class DemoDataGenerator {
    private DemoDataGenerator() {}

    /** Writes the data root into {@code directory} and returns the path of its config file. */
    public static Path write(Path directory, long seed) {
        throw new UnsupportedOperationException("demo data: not implemented yet");
    }
}
