package org.cropcast.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.cropcast.tracking.ArtifactStore;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.Storage;
import org.junit.jupiter.api.Test;

class TestS3StorageModule {
    private static final S3MockServer SERVER = S3MockServer.shared();

    @Test
    void bindsS3StorageAndArtifactStoreIntoTheSetsFromTheInjectedEnvironment() throws IOException {
        Injector injector = Guice.createInjector(new S3StorageModule(SERVER.environment()));
        Set<Storage> storages = injector.getInstance(Key.get(new TypeLiteral<Set<Storage>>() {}));
        Set<ArtifactStore> artifactStores = injector.getInstance(Key.get(new TypeLiteral<Set<ArtifactStore>>() {}));
        S3Storage s3 = injector.getInstance(S3Storage.class);
        assertThat(storages).containsExactly(s3);
        assertThat(s3.config().endpoint()).contains(SERVER.endpoint());
        assertThat(s3.config().pathStyle()).isTrue();

        String bucket = SERVER.createBucket("guice");
        Location file = Location.of("s3://" + bucket + "/wired.txt");
        s3.write(file, out -> out.write("through guice".getBytes(StandardCharsets.UTF_8)));
        ArtifactStore artifacts = artifactStores.iterator().next();
        assertThat(artifacts.supports("s3://" + bucket)).isTrue();
        try (InputStream in = artifacts.open("s3://" + bucket, "wired.txt")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("through guice");
        }
        s3.close();
    }
}
