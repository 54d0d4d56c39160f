package org.cropcast.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.cropcast.tracking.ArtifactStore;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.Storage;
import org.junit.jupiter.api.Test;

class TestS3StorageModule {
    private static final S3MockServer SERVER = S3MockServer.shared();

    @Test
    void bindsS3StorageAndArtifactStoreIntoTheBySchemeMapsFromTheInjectedEnvironment() throws IOException {
        Injector injector = Guice.createInjector(new S3StorageModule(SERVER.environment()));
        Map<String, Storage> storages = injector.getInstance(Key.get(new TypeLiteral<Map<String, Storage>>() {}));
        Map<String, ArtifactStore> artifactStores = injector.getInstance(Key.get(new TypeLiteral<Map<String, ArtifactStore>>() {}));
        S3Storage s3 = injector.getInstance(S3Storage.class);
        assertThat(storages).containsExactly(Map.entry("s3", s3));
        assertThat(artifactStores).containsOnlyKeys("s3");
        assertThat(s3.config().endpoint()).contains(SERVER.endpoint());
        assertThat(s3.config().pathStyle()).isTrue();

        String bucket = SERVER.createBucket("guice");
        Location file = Location.of("s3://" + bucket + "/wired.txt");
        s3.write(file, out -> out.write("through guice".getBytes(StandardCharsets.UTF_8)));
        ArtifactStore artifacts = artifactStores.get("s3");
        assertThat(artifacts.supports("s3://" + bucket)).isTrue();
        try (InputStream in = artifacts.open("s3://" + bucket, "wired.txt")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("through guice");
        }
        s3.close();
    }
}
