package org.cropcast.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.SplittableRandom;
import org.cropcast.tracking.ArtifactStore;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.TrackingAdapters;
import org.cropcast.tracking.TrackingContext;
import org.junit.jupiter.api.Test;

/** The S3 adapter as a composition root gets it from core: found through ServiceLoader, built from the context's environment. */
class TestS3StorageProvider {
    private static final S3MockServer SERVER = S3MockServer.shared();

    @Test
    void servesS3LocationsAndArtifactRootsFromTheContextsEnvironment() throws IOException {
        TrackingAdapters adapters = TrackingAdapters.discover(getClass().getClassLoader());
        assertThat(adapters.storageSchemes()).contains("s3");
        TrackingAdapters.Components components = adapters.create(new TrackingContext(Clock.systemUTC(), new SplittableRandom(1),
                SERVER.environment(), Optional.empty()));
        try {
            String bucket = SERVER.createBucket("provider");
            Location file = Location.of("s3://" + bucket + "/wired.txt");
            assertThat(components.storage().forLocation(file)).isInstanceOfSatisfying(S3Storage.class, s3 -> {
                assertThat(s3.config().endpoint()).contains(SERVER.endpoint());
                assertThat(s3.config().pathStyle()).isTrue();
            });
            components.storage().write(file, out -> out.write("through the provider".getBytes(StandardCharsets.UTF_8)));
            ArtifactStore artifacts = components.artifactStore();
            assertThat(artifacts.supports("s3://" + bucket)).isTrue();
            try (InputStream in = artifacts.open("s3://" + bucket, "wired.txt")) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("through the provider");
            }
        } finally {
            for (AutoCloseable closeable : components.closeables()) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }
}
