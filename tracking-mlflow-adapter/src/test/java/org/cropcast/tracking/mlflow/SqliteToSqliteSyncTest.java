package org.cropcast.tracking.mlflow;

import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import org.cropcast.tracking.LocalStorage;
import org.cropcast.tracking.StorageArtifactStore;
import org.cropcast.tracking.sync.SyncEndpoint;

/**
 * Core's sync contract between two embedded SQLite databases, each with its artifacts beside it
 * ({@code mlartifacts/}, local files): the "several nodes' databases into one" case.
 */
class SqliteToSqliteSyncTest extends AbstractSqliteSourceSyncTest {
    @Override
    protected SyncEndpoint newSource() {
        return sqlite("node-a", 11);
    }

    @Override
    protected SyncEndpoint newDestination() {
        return sqlite("merged", 12);
    }

    private SyncEndpoint sqlite(String name, long seed) {
        String uri = "sqlite:///" + work.resolve(name).resolve("mlruns.db");
        SqliteRunStore store = SqliteRunStore.open(SqliteTrackingUri.parse(uri), Optional.empty(), Duration.ofSeconds(30), clock,
                new SplittableRandom(seed));
        return new SyncEndpoint(uri, store, new StorageArtifactStore(new LocalStorage()),
                SqliteModelStore.beside(store, clock, new SplittableRandom(seed + 100)));
    }
}
