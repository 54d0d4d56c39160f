package org.cropcast.tracking.mlflow;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL server for team-scale tests: Debian's PostgreSQL binaries
 * ({@code apt-get install postgresql}; found under {@code /usr/lib/postgresql/<version>/bin}), a
 * cluster initialised in a work directory with trust authentication, listening on 127.0.0.1 on a
 * free port. PostgreSQL refuses to run as root, so as root the server runs as the {@code postgres}
 * user (which the Debian package creates). {@link #mlflowBackendUri()} is the URI for
 * {@code mlflow server --backend-store-uri}.
 */
public final class PostgresProcess implements AutoCloseable {
    private final Path bin;
    private final Path data;
    private final Path log;
    private final int port;
    private final boolean asPostgresUser;

    private PostgresProcess(Path bin, Path data, Path log, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.data = data;
        this.log = log;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    public static PostgresProcess start(Path workDir) throws IOException, InterruptedException {
        Path bin = findBinaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        Files.createDirectories(workDir);
        Path dir = Files.createTempDirectory(workDir, "pg-");
        // the postgres user must reach the cluster directory
        for (Path p = dir; p != null && root; p = p.getParent()) {
            if (Files.getOwner(p).getName().equals("root") && !Files.getPosixFilePermissions(p).contains(
                    java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        Path data = dir.resolve("data");
        Path log = dir.resolve("postgres.log");
        if (root) {
            run(List.of("chown", "postgres:postgres", dir.toString()), dir);
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        PostgresProcess postgres = new PostgresProcess(bin, data, log, port, root);
        postgres.command(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", "postgres",
                "--no-sync", "-E", "UTF8"), dir);
        postgres.command(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", log.toString(), "-w", "-t", "60",
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off", "start"), dir);
        return postgres;
    }

    /** {@code postgresql+psycopg2://postgres@127.0.0.1:<port>/postgres} (the venv has psycopg2; SQLAlchemy 2.1 would pick psycopg 3 for a bare postgresql://). */
    public String mlflowBackendUri() {
        return "postgresql+psycopg2://postgres@127.0.0.1:" + port + "/postgres";
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        command(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop"), data.getParent());
    }

    private void command(List<String> command, Path dir) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        run(full, dir);
    }

    private static void run(List<String> command, Path dir) throws IOException, InterruptedException {
        Path out = Files.createTempFile("cropcast-pg-", ".log");
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException("timed out: " + command);
            }
            if (process.exitValue() != 0) {
                throw new IOException(command + " exited " + process.exitValue() + ":\n" + Files.readString(out, UTF_8));
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static Path findBinaries() throws IOException {
        Path base = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(base)) {
            try (Stream<Path> versions = Files.list(base)) {
                var found = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                        .max(Comparator.comparing(Path::toString));
                if (found.isPresent()) {
                    return found.get();
                }
            }
        }
        throw new IllegalStateException("PostgreSQL server binaries not found under " + base
                + ": install Debian's postgresql package (apt-get install postgresql)");
    }
}
