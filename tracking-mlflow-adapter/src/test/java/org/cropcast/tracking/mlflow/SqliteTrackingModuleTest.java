package org.cropcast.tracking.mlflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import java.nio.file.Path;
import java.util.Map;
import org.cropcast.tracking.RunStore;
import org.cropcast.tracking.RunStoreFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteTrackingModuleTest {
    @TempDir
    Path dir;

    @Test
    void bindsTheSqliteSchemeToTheFactory() {
        Map<String, RunStoreFactory> factories = Guice.createInjector(new SqliteTrackingModule())
                .getInstance(Key.get(new TypeLiteral<Map<String, RunStoreFactory>>() {}));
        assertThat(factories).containsOnlyKeys("sqlite");
        assertThat(factories.get("sqlite").schemes()).containsExactly("sqlite");
        try (RunStore store = factories.get("sqlite").create("sqlite:///" + dir.resolve("mlruns.db"))) {
            assertThat(store).isInstanceOf(SqliteRunStore.class);
            assertThat(store.listExperiments()).extracting(e -> e.name()).containsExactly("Default");
        }
    }
}
