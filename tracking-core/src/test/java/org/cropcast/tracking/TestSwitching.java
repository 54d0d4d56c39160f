package org.cropcast.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestSwitching {
    @TempDir
    Path temp;

    private final MemoryStorage memory = new MemoryStorage();
    private final SwitchingStorage storage = SwitchingStorage.localAndMemory(memory);

    @Test
    void unknownStorageSchemeListsKnownOnes() {
        assertThatThrownBy(() -> storage.exists(Location.of("gs://bucket/key")))
                .isInstanceOfSatisfying(CropcastException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.UNKNOWN_SCHEME);
                    assertThat(e.getMessage()).contains("'gs'", "[file, memory]");
                });
        assertThat(storage.supports(Location.of("gs://bucket/key"))).isFalse();
    }

    @Test
    void routesByScheme() throws Exception {
        Location local = Location.local(temp.resolve("a.txt"));
        Location object = Location.of("memory://bucket/b.txt");
        storage.write(local, out -> out.write("local".getBytes(StandardCharsets.UTF_8)));
        storage.copy(local, object);
        assertThat(memory.exists(object)).isTrue();
        assertThat(Files.readString(temp.resolve("a.txt"))).isEqualTo("local");
        Location back = Location.local(temp.resolve("back.txt"));
        storage.copy(object, back);
        assertThat(Files.readString(temp.resolve("back.txt"))).isEqualTo("local");
    }

    @Test
    void serverSideCopyOnlyWithinOneObjectStore() {
        Location a = Location.of("memory://x/a");
        Location b = Location.of("memory://y/b");
        Location local = Location.local(temp.resolve("c"));
        assertThat(storage.copiesServerSide(a, b)).isTrue();
        assertThat(storage.copiesServerSide(a, local)).isFalse();
        assertThat(storage.copiesServerSide(local, local)).isFalse();
        StorageArtifactStore artifacts = new StorageArtifactStore(storage);
        assertThat(artifacts.canCopyDirectly(a, "memory://mlartifacts/1/r/artifacts")).isTrue();
        assertThat(artifacts.canCopyDirectly(a, temp.toUri().toString())).isFalse();
        assertThat(artifacts.canCopyDirectly(local, "memory://mlartifacts/1/r/artifacts")).isFalse();
    }

    @Test
    void unknownArtifactSchemeListsKnownOnes() {
        SwitchingArtifactStore artifacts = new SwitchingArtifactStore(Map.of("file", new StorageArtifactStore(storage),
                "memory", new StorageArtifactStore(storage)));
        assertThat(artifacts.supports("/abs/mlartifacts/1/r/artifacts")).isTrue();
        assertThat(artifacts.supports("memory://mlartifacts/1")).isTrue();
        assertThat(artifacts.supports("mlflow-artifacts:/1/r/artifacts")).isFalse();
        assertThatThrownBy(() -> artifacts.list("mlflow-artifacts://user:pw@host/1", ""))
                .isInstanceOfSatisfying(CropcastException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.UNKNOWN_SCHEME);
                    assertThat(e.getMessage()).contains("'mlflow-artifacts'", "[file, memory]").doesNotContain("pw");
                });
    }

    @Test
    void schemeOfArtifactUris() {
        assertThat(SwitchingArtifactStore.schemeOf("/abs/path")).isEqualTo("file");
        assertThat(SwitchingArtifactStore.schemeOf("file:///abs/path")).isEqualTo("file");
        assertThat(SwitchingArtifactStore.schemeOf("S3://bucket/k")).isEqualTo("s3");
        assertThat(SwitchingArtifactStore.schemeOf("mlflow-artifacts:/1")).isEqualTo("mlflow-artifacts");
    }

    @Test
    void schemeRule() {
        assertThat(UriSchemes.of("SQLite:////x.db")).contains("sqlite");
        assertThat(UriSchemes.of("mlflow-artifacts:/1")).contains("mlflow-artifacts");
        assertThat(UriSchemes.of("C:\\data")).isEmpty();
        assertThat(UriSchemes.of("/abs/path:x")).isEmpty();
        assertThat(UriSchemes.of(":memory:")).isEmpty();
        assertThat(UriSchemes.hasScheme("relative/path")).isFalse();
    }

    @Test
    void runStoreFactoryRoutesByScheme() {
        MemoryRunStoreFactory memoryFactory = new MemoryRunStoreFactory(java.time.Clock.systemUTC(), new java.util.Random(1));
        SwitchingRunStoreFactory factories = SwitchingRunStoreFactory.of(java.util.List.of(memoryFactory));
        assertThat(factories.schemes()).containsExactly("memory");
        assertThat(factories.factoryFor("MEMORY:x")).isSameAs(memoryFactory);
        assertThat(factories.create("memory:a")).isSameAs(memoryFactory.create("memory:a"));
    }

    @Test
    void unknownTrackingSchemeListsKnownOnesWithoutSecrets() {
        SwitchingRunStoreFactory factories = new SwitchingRunStoreFactory(Map.of(
                "memory", new MemoryRunStoreFactory(java.time.Clock.systemUTC(), new java.util.Random(1))));
        assertThatThrownBy(() -> factories.create("postgresql://user:secret@db/mlflow"))
                .isInstanceOfSatisfying(CropcastException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.UNKNOWN_SCHEME);
                    assertThat(e.getMessage()).contains("unknown scheme 'postgresql'", "known schemes: memory")
                            .doesNotContain("secret");
                });
        assertThatThrownBy(() -> factories.create("mlruns.db"))
                .isInstanceOfSatisfying(CropcastException.class, e -> assertThat(e.getMessage()).contains("has no scheme"));
    }

    @Test
    void twoFactoriesForOneSchemeAreRefused() {
        RunStoreFactory a = new MemoryRunStoreFactory(java.time.Clock.systemUTC(), new java.util.Random(1));
        RunStoreFactory b = new MemoryRunStoreFactory(java.time.Clock.systemUTC(), new java.util.Random(2));
        assertThatThrownBy(() -> SwitchingRunStoreFactory.of(java.util.List.of(a, b)))
                .isInstanceOfSatisfying(CropcastException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("'memory'", MemoryRunStoreFactory.class.getName());
                });
    }
}
