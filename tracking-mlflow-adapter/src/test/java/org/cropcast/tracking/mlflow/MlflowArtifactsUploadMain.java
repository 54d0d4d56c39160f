package org.cropcast.tracking.mlflow;

import java.nio.file.Path;
import java.util.Map;

/**
 * Uploads one file through the artifact proxy, in a JVM of its own so a test (or the benchmark)
 * can bound its heap: {@code MlflowArtifactsUploadMain TRACKING_URI ARTIFACT_URI FILE ARTIFACT_PATH}.
 * Prints {@code uploaded BYTES MILLIS}.
 */
public final class MlflowArtifactsUploadMain {
    private MlflowArtifactsUploadMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: MlflowArtifactsUploadMain TRACKING_URI ARTIFACT_URI FILE ARTIFACT_PATH");
            System.exit(2);
        }
        MlflowRestConnections connections = new MlflowRestConnections(MlflowRestSettings.fromEnvironment(Map.copyOf(System.getenv())));
        new MlflowRestRunStoreFactory(connections).create(args[0]);
        Path file = Path.of(args[2]);
        long start = System.nanoTime();
        new MlflowArtifactsArtifactStore(connections).logFile(args[1], file, args[3]);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("uploaded " + java.nio.file.Files.size(file) + " " + millis + " maxHeap=" + Runtime.getRuntime().maxMemory());
    }
}
