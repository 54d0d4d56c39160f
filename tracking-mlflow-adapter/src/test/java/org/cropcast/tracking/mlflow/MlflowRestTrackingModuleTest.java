package org.cropcast.tracking.mlflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import java.util.Map;
import org.cropcast.tracking.ArtifactStore;
import org.cropcast.tracking.RunStoreFactory;
import org.junit.jupiter.api.Test;

class MlflowRestTrackingModuleTest {
    @Test
    void bindsHttpAndHttpsFactoriesAndTheProxyArtifactStore() {
        Injector injector = Guice.createInjector(new MlflowRestTrackingModule(Map.of("MLFLOW_TRACKING_TOKEN", "t0ken")));
        Map<String, RunStoreFactory> factories = injector.getInstance(Key.get(new TypeLiteral<Map<String, RunStoreFactory>>() {}));
        assertThat(factories).containsOnlyKeys("http", "https");
        assertThat(factories.get("http")).isInstanceOf(MlflowRestRunStoreFactory.class);
        Map<String, ArtifactStore> stores = injector.getInstance(Key.get(new TypeLiteral<Map<String, ArtifactStore>>() {}));
        assertThat(stores).containsOnlyKeys("mlflow-artifacts");
        assertThat(stores.get("mlflow-artifacts")).satisfies(s -> {
            assertThat(s.supports("mlflow-artifacts:/1/abc/artifacts")).isTrue();
            assertThat(s.supports("s3://bucket/key")).isFalse();
        });
    }
}
