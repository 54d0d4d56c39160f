package org.cropcast.pipeline.proof;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cropcast.tracking.ObjectStaging;

/**
 * A throw-away PostgreSQL cluster from Debian's {@code postgresql} package: {@code initdb} in a
 * temporary directory, {@code pg_ctl start} on a free loopback port (socket directory inside it,
 * trust authentication for loopback only), one database. PostgreSQL refuses to run as root, so
 * when the tests run as root (as CI does) the cluster belongs to the package's {@code postgres}
 * user and every server command runs through {@code runuser}.
 */
final class PostgresCluster implements AutoCloseable {
    static final String USER = "cropcast";
    static final String DATABASE = "mlflow";

    private final Path bin;
    private final Path dir;
    private final Optional<String> runAs;
    private final int port;

    private PostgresCluster(Path bin, Path dir, Optional<String> runAs, int port) {
        this.bin = bin;
        this.dir = dir;
        this.runAs = runAs;
        this.port = port;
    }

    /** Starts a new cluster; throws with the reason (missing package, failed initdb or start) if it cannot. */
    static PostgresCluster start() throws IOException, InterruptedException {
        Path bin = binaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        Optional<String> runAs = root ? Optional.of("postgres") : Optional.empty();
        Path dir = Files.createTempDirectory("cropcast-pg-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        if (runAs.isPresent()) {
            UserPrincipal owner = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(runAs.get());
            Files.setOwner(dir, owner);
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        PostgresCluster cluster = new PostgresCluster(bin, dir, runAs, port);
        try {
            cluster.exec(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER,
                    "--auth=trust", "-E", "UTF8", "--no-sync"));
            cluster.exec(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l", dir.resolve("server.log").toString(),
                    "-w", "-t", "120", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                            + " -c synchronous_commit=off -c max_connections=300", "start"));
            cluster.exec(List.of(bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", USER, DATABASE));
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** {@code postgresql+psycopg2://cropcast@127.0.0.1:<port>/mlflow}: SQLAlchemy with psycopg2, which the MLflow venv has (plain {@code postgresql://} asks for psycopg 3). */
    String uri() {
        return "postgresql+psycopg2://" + USER + "@127.0.0.1:" + port + "/" + DATABASE;
    }

    /** Runs one query through {@code psql} and returns its unaligned rows ({@code a|b} per line). */
    List<String> query(String sql) throws IOException, InterruptedException {
        String out = exec(List.of(bin.resolve("psql").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", USER, "-d", DATABASE,
                "-tA", "-v", "ON_ERROR_STOP=1", "-c", sql));
        return out.lines().filter(l -> !l.isBlank()).toList();
    }

    @Override
    public void close() throws InterruptedException {
        try {
            if (Files.exists(dir.resolve("data/postmaster.pid"))) {
                exec(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"));
            }
        } catch (IOException | RuntimeException e) {
            // best effort: the directory goes anyway
        } finally {
            ObjectStaging.deleteRecursively(dir);
        }
    }

    private String exec(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        runAs.ifPresent(user -> full.addAll(List.of("runuser", "-u", user, "--")));
        full.addAll(command);
        Process process = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", full));
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            String log = Files.exists(dir.resolve("server.log")) ? Files.readString(dir.resolve("server.log")) : "";
            throw new IOException(String.join(" ", full) + " exited " + process.exitValue() + ":\n" + text + log);
        }
        return text;
    }

    /** The newest {@code /usr/lib/postgresql/<version>/bin} (Debian's layout), else {@code initdb}'s directory on the PATH. */
    private static Path binaries() throws IOException {
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Optional<Path> newest = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                        .max(Comparator.comparing(b -> versionOf(b.getParent().getFileName().toString())));
                if (newest.isPresent()) {
                    return newest.get();
                }
            }
        }
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(entry).resolve("initdb");
            if (!entry.isEmpty() && Files.isExecutable(candidate)) {
                return candidate.toRealPath().getParent();
            }
        }
        throw new IOException("PostgreSQL is not installed: no /usr/lib/postgresql/<version>/bin/initdb and no initdb on the PATH"
                + " (Debian: apt-get install postgresql)");
    }

    private static int versionOf(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
