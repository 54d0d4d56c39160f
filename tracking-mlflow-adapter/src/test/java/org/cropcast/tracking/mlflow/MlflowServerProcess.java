package org.cropcast.tracking.mlflow;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code mlflow server} of the pinned Python MLflow (see {@link MlflowPython}) for tests and
 * benchmarks: SQLite backend store and artifact destination in a work directory, bound to
 * 127.0.0.1 on a free port, {@code --serve-artifacts} by default. {@link #start()} waits for
 * {@code /health}; {@link #stop()} ends the whole process tree (the CLI starts uvicorn workers);
 * {@link #restart()} comes back on the same port with the same stores.
 *
 * <p>Hooks: {@link Builder#extraArgs} (for example {@code --no-serve-artifacts
 * --default-artifact-root s3://bucket/prefix} with {@link Builder#environment} carrying
 * {@code MLFLOW_S3_ENDPOINT_URL} and AWS credentials for an S3-compatible server), and
 * {@link Builder#basicAuth} for the server's {@code basic-auth} app.
 */
public final class MlflowServerProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Path workDir;
    private final List<String> command;
    private final Map<String, String> environment;
    private final int port;
    private final Path logFile;
    private Process process;

    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    public static final class Builder {
        private final Path workDir;
        private final List<String> extraArgs = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private boolean serveArtifacts = true;
        private int workers = 1;
        private String backendStoreUri;
        private String adminUser;
        private String adminPassword;

        private Builder(Path workDir) {
            this.workDir = requireNonNull(workDir, "workDir is null");
        }

        /** Arguments appended to the {@code mlflow server} command line. */
        public Builder extraArgs(String... args) {
            extraArgs.addAll(List.of(args));
            return this;
        }

        /** Extra environment of the server process. */
        public Builder environment(Map<String, String> env) {
            environment.putAll(env);
            return this;
        }

        /** {@code --no-serve-artifacts} when false (then give {@code --default-artifact-root} through {@link #extraArgs}). */
        public Builder serveArtifacts(boolean serve) {
            this.serveArtifacts = serve;
            return this;
        }

        public Builder workers(int count) {
            this.workers = count;
            return this;
        }

        /** Another backend store (for example {@link PostgresProcess#mlflowBackendUri()}); default SQLite in the work directory. */
        public Builder backendStoreUri(String uri) {
            this.backendStoreUri = requireNonNull(uri, "uri is null");
            return this;
        }

        /** Runs the {@code basic-auth} app with this admin user (created on first start). */
        public Builder basicAuth(String adminUser, String adminPassword) {
            this.adminUser = requireNonNull(adminUser, "adminUser is null");
            this.adminPassword = requireNonNull(adminPassword, "adminPassword is null");
            return this;
        }

        public MlflowServerProcess start() throws IOException, InterruptedException {
            Files.createDirectories(workDir);
            int port = freePort();
            List<String> command = new ArrayList<>(List.of(
                    MlflowPython.mlflowCli().toString(), "server",
                    "--backend-store-uri", backendStoreUri != null ? backendStoreUri
                            : "sqlite:///" + workDir.toAbsolutePath().resolve("mlflow.db"),
                    "--host", "127.0.0.1",
                    "--port", Integer.toString(port),
                    "--workers", Integer.toString(workers)));
            if (serveArtifacts) {
                command.addAll(List.of("--serve-artifacts", "--artifacts-destination",
                        workDir.toAbsolutePath().resolve("mlartifacts").toString()));
            } else {
                command.add("--no-serve-artifacts");
            }
            Map<String, String> env = new LinkedHashMap<>();
            // the background job runner (huey consumers) is not needed for tracking and slows start-up
            env.put("MLFLOW_SERVER_ENABLE_JOB_EXECUTION", "false");
            if (adminUser != null) {
                MlflowPython.Result check = MlflowPython.run(List.of(MlflowPython.python().toString(), "-c", "import flask_wtf"),
                        Map.of(), Duration.ofSeconds(60));
                if (check.exitCode() != 0) {
                    throw new IllegalStateException("the MLflow venv " + MlflowPython.venv()
                            + " lacks Flask-WTF, which --app-name basic-auth needs: install mlflow[auth] there (ensure-venv.sh)");
                }
                Path config = workDir.resolve("basic_auth.ini");
                Files.writeString(config, String.join("\n",
                        "[mlflow]",
                        "default_permission = READ",
                        "database_uri = sqlite:///" + workDir.toAbsolutePath().resolve("basic_auth.db"),
                        "admin_username = " + adminUser,
                        "authorization_function = mlflow.server.auth:authenticate_request_basic_auth",
                        "grant_default_workspace_access = false",
                        ""), UTF_8);
                env.put("MLFLOW_AUTH_CONFIG_PATH", config.toAbsolutePath().toString());
                env.put("MLFLOW_AUTH_ADMIN_PASSWORD", adminPassword);
                env.put("MLFLOW_FLASK_SERVER_SECRET_KEY", "cropcast-test-secret-key");
                command.addAll(List.of("--app-name", "basic-auth"));
            }
            env.putAll(environment);
            command.addAll(extraArgs);
            MlflowServerProcess server = new MlflowServerProcess(workDir, command, env, port);
            server.launch();
            return server;
        }
    }

    private MlflowServerProcess(Path workDir, List<String> command, Map<String, String> environment, int port) {
        this.workDir = workDir;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.port = port;
        this.logFile = workDir.resolve("server.log");
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String trackingUri() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path workDir() {
        return workDir;
    }

    /** Where the server keeps proxied artifacts ({@code --artifacts-destination}). */
    public Path artifactsDestination() {
        return workDir.resolve("mlartifacts");
    }

    /** The end of the server's log, for failure messages. */
    public String logTail() {
        try {
            String text = Files.exists(logFile) ? Files.readString(logFile, UTF_8) : "";
            return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Ends the server's whole process tree (SIGTERM, then SIGKILL after 10 s). */
    public void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                handle.destroyForcibly();
            }
        }
        process = null;
    }

    /** Ends the server's whole process tree at once (SIGKILL), as a crash would. */
    public void kill() throws InterruptedException {
        if (process == null) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroyForcibly);
        process.waitFor(10, TimeUnit.SECONDS);
        process = null;
    }

    /** Starts the server again on the same port with the same stores (after {@link #stop} or {@link #kill}). */
    public void startAgain() throws IOException, InterruptedException {
        if (isRunning()) {
            throw new IllegalStateException("the server is running");
        }
        launch();
    }

    public void restart() throws IOException, InterruptedException {
        stop();
        launch();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private void launch() throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().putAll(environment);
        process = builder.start();
        awaitHealthy();
    }

    private void awaitHealthy() throws InterruptedException, IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(trackingUri() + "/health")).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("mlflow server exited with " + process.exitValue() + " before it was healthy:\n" + logTail());
            }
            try {
                HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        stop();
        throw new IOException("mlflow server did not become healthy within " + START_TIMEOUT + ":\n" + logTail());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
