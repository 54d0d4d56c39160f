import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;
import org.cropcast.storage.s3.S3MockServer;

/**
 * The S3-compatible server of bench/rest's proxy-to-S3 upload (see run.sh): the S3 adapter's test
 * server (Adobe S3Mock, in this JVM, plain HTTP on a free loopback port), as the tests start it.
 * Creates the bucket named by the first argument and writes the environment a process needs to
 * reach the server (one {@code NAME=value} a line, the credentials of the test server only) to the
 * file named by the second argument once it is ready; then serves until the JVM is stopped.
 *
 * Usage: S3MockMain BUCKET ENV_FILE
 */
public final class S3MockMain {
    public static void main(String[] args) throws Exception {
        S3MockServer server = S3MockServer.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "s3mock-stop"));
        server.client().createBucket(b -> b.bucket(args[0]));
        StringBuilder env = new StringBuilder();
        new TreeMap<>(server.environment()).forEach((k, v) -> env.append(k).append('=').append(v).append('\n'));
        Path file = Path.of(args[1]);
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.writeString(partial, env);
        Files.move(partial, file);
        Thread.currentThread().join();
    }
}
