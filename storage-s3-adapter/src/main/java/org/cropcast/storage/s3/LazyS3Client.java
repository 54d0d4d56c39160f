package org.cropcast.storage.s3;

import static java.util.Objects.requireNonNull;

import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3Client;

/** Builds the SDK client on first use, once, and closes it if it was built. */
final class LazyS3Client implements Supplier<S3Client>, AutoCloseable {
    private final Supplier<S3Client> factory;
    private S3Client client;
    private boolean closed;

    LazyS3Client(Supplier<S3Client> factory) {
        this.factory = requireNonNull(factory, "factory is null");
    }

    static LazyS3Client of(S3Client client) {
        requireNonNull(client, "client is null");
        return new LazyS3Client(() -> client);
    }

    @Override
    public synchronized S3Client get() {
        if (closed) {
            throw new IllegalStateException("the S3 storage is closed");
        }
        if (client == null) {
            client = factory.get();
        }
        return client;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
