package org.cropcast.storage.s3;

import com.adobe.testing.s3mock.junit5.S3MockExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3-compatible server for tests: Adobe S3Mock, in process, plain HTTP on a free loopback
 * port, objects in a temporary directory. One server per JVM ({@link #shared()}), stopped at exit;
 * tests isolate themselves with fresh buckets ({@link #createBucket}). Shipped in this module's
 * test-jar so the REST and pipeline tests can use it too: {@link #environment()} gives the
 * variables a child process (cropcast, {@code mlflow server}, boto3) needs to reach it.
 */
public final class S3MockServer {
    public static final String ACCESS_KEY = "cropcast-test-access";
    public static final String SECRET_KEY = "cropcast-test-secret";
    public static final String REGION = "us-east-1";

    private static S3MockServer shared;

    private final S3MockExtension server;
    private final Path root;
    private final AtomicInteger buckets = new AtomicInteger();
    private S3Client client;

    private S3MockServer(S3MockExtension server, Path root) {
        this.server = server;
        this.root = root;
    }

    /** The JVM's server, started on first use (about 4 s) and stopped when the JVM exits. */
    public static synchronized S3MockServer shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "s3mock-stop"));
        }
        return shared;
    }

    /** A server of its own; {@link #stop()} it. */
    public static S3MockServer start() {
        Path root;
        try {
            root = Files.createTempDirectory("cropcast-s3mock-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        S3MockExtension server = S3MockExtension.builder()
                .silent()
                .withSecureConnection(false)
                .withHttpPort(0)
                .withRootFolder(root.toString())
                .withRetainFilesOnExit(false)
                .withProperty("server.address", "127.0.0.1")
                .withProperty("server.shutdown", "immediate")
                .withProperty("spring.main.sources", LoopbackConnectorConfiguration.class.getName())
                .build();
        server.start();
        return new S3MockServer(server, root);
    }

    /** {@code http://127.0.0.1:<port>}: the server listens on the loopback interface only. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getHttpPort());
    }

    /** A raw SDK client for test set-up and assertions (not the code under test). */
    public synchronized S3Client client() {
        if (client == null) {
            client = S3Client.builder()
                    .endpointOverride(endpoint())
                    .region(Region.of(REGION))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                    .forcePathStyle(true)
                    .build();
        }
        return client;
    }

    /** Creates a fresh bucket named after the prefix and returns its name. */
    public String createBucket(String prefix) {
        String name = (prefix + "-" + buckets.incrementAndGet() + "-" + Long.toString(System.nanoTime(), 36))
                .toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        client().createBucket(b -> b.bucket(name));
        return name;
    }

    /** The environment a process needs to use this server through the SDK's (and MLflow's) own variables. */
    public Map<String, String> environment() {
        return environment(endpoint());
    }

    /** The same environment with another endpoint (for example a fault-injecting proxy in front of this server). */
    public static Map<String, String> environment(URI endpoint) {
        return Map.of(
                "AWS_ENDPOINT_URL_S3", endpoint.toString(),
                "MLFLOW_S3_ENDPOINT_URL", endpoint.toString(),
                "AWS_ACCESS_KEY_ID", ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", SECRET_KEY,
                "AWS_REGION", REGION,
                "CROPCAST_S3_PATH_STYLE", "true");
    }

    /** The adapter's configuration for this server: small retry delays so fault tests stay quick. */
    public S3StorageConfig config() {
        return S3StorageConfig.fromEnvironment(environment()).withRetries(6, Duration.ofMillis(20));
    }

    /** A storage under test, configured like production from {@link #environment()}. */
    public S3Storage storage(S3StorageConfig config) {
        return new S3StorageFactory(config, () -> S3StorageFactory.credentialsFrom(environment())).createStorage();
    }

    public S3Storage storage() {
        return storage(config());
    }

    public synchronized void stop() {
        if (client != null) {
            client.close();
            client = null;
        }
        server.stop();
        org.cropcast.tracking.ObjectStaging.deleteRecursively(root);
    }
}
