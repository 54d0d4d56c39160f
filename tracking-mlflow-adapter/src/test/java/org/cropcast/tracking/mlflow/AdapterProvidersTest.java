package org.cropcast.tracking.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.TrackingAdapters;
import org.cropcast.tracking.TrackingContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * This module's providers as a composition root gets them from core ({@link TrackingAdapters},
 * found through ServiceLoader): what each serves by scheme, built from the context it is given.
 */
class AdapterProvidersTest {
    @TempDir
    Path dir;

    private static TrackingAdapters.Components components(TrackingAdapters adapters, Map<String, String> environment) {
        return adapters.create(new TrackingContext(Clock.systemUTC(), new SplittableRandom(1), environment, Optional.empty()));
    }

    @Test
    void theSqliteProviderOpensTheEmbeddedStore() {
        TrackingAdapters.Components components = components(TrackingAdapters.discover(getClass().getClassLoader()), Map.of());
        assertThat(components.runStores().factoryFor("sqlite:///x.db")).isInstanceOf(SqliteRunStoreFactory.class);
        assertThat(components.modelStores().get("sqlite")).isInstanceOf(SqliteModelStoreFactory.class);
        try (RunStore store = components.runStores().create("sqlite:///" + dir.resolve("mlruns.db"))) {
            assertThat(store).isInstanceOf(SqliteRunStore.class);
            assertThat(store.listExperiments()).extracting(e -> e.name()).containsExactly("Default");
        }
    }

    @Test
    void aReplacedSqliteProviderServesTheSchemeInsteadOfTheFoundOne() {
        SqliteRunStoreProvider shortLock = new SqliteRunStoreProvider(Duration.ofMillis(1500));
        TrackingAdapters adapters = TrackingAdapters.discover(getClass().getClassLoader()).replacing(shortLock);
        assertThat(adapters.trackingSchemes()).containsExactly("http", "https", "memory", "sqlite");
        try (RunStore store = components(adapters, Map.of()).runStores().create("sqlite:///" + dir.resolve("mlruns.db"))) {
            assertThat(store).isInstanceOf(SqliteRunStore.class);
        }
    }

    @Test
    void theRestProviderServesHttpAndHttpsAndTheArtifactProxy() {
        TrackingAdapters.Components components = components(TrackingAdapters.discover(getClass().getClassLoader()), Map.of());
        assertThat(components.runStores().factoryFor("http://127.0.0.1:5000").schemes()).containsExactlyInAnyOrder("http", "https");
        assertThat(components.runStores().factoryFor("https://mlflow.example.org")).isSameAs(components.runStores().factoryFor("http://x"));
        assertThat(components.modelStores()).containsKeys("http", "https");
        assertThat(components.artifactStore().forUri("mlflow-artifacts:/1/abc/artifacts")).isInstanceOf(MlflowArtifactsArtifactStore.class);
        assertThat(components.artifactStore().supports("mlflow-artifacts:/1/abc/artifacts")).isTrue();
    }

    /** A malformed HTTP setting is refused when tracking opens, naming the variable, whatever URI is used later. */
    @Test
    void aMalformedHttpSettingIsRefusedWhenTheAdaptersAreBuilt() {
        TrackingAdapters adapters = TrackingAdapters.discover(getClass().getClassLoader());
        assertThatThrownBy(() -> components(adapters, Map.of("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "-1")))
                .isInstanceOf(CropcastException.class)
                .hasMessageContaining("environment variable MLFLOW_HTTP_REQUEST_MAX_RETRIES");
    }
}
