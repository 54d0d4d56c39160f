package org.cropcast.tracking.mlflow;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One plain {@code mlflow server} (SQLite backend, {@code --serve-artifacts}) shared by the test
 * classes of one JVM, since start-up takes seconds; stopped by a shutdown hook when the test JVM
 * exits. Tests that stop, restart or reconfigure a server start their own {@link MlflowServerProcess}.
 */
final class SharedMlflowServer {
    private static MlflowServerProcess server;

    private SharedMlflowServer() {}

    static synchronized MlflowServerProcess get() {
        if (server == null || !server.isRunning()) {
            try {
                Path dir = Files.createTempDirectory("cropcast-mlflow-server-");
                server = MlflowServerProcess.builder(dir).workers(2).start();
                MlflowServerProcess started = server;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        started.stop();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the shared mlflow server: " + e.getMessage(), e);
            }
        }
        return server;
    }
}
