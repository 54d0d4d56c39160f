package org.cropcast.tracking.mlflow;

import java.nio.file.Path;
import org.cropcast.tracking.AbstractRunStoreContractTest;
import org.cropcast.tracking.RunStore;
import org.junit.jupiter.api.io.TempDir;

/** Core's run-store contract against the embedded SQLite store (a fresh database per test). */
class SqliteRunStoreContractTest extends AbstractRunStoreContractTest {
    @TempDir
    Path dir;

    @Override
    protected RunStore createStore() {
        return new SqliteRunStoreFactory().create("sqlite:///" + dir.resolve("mlruns.db"));
    }

    /** A second connection to the same file, as another process would have. */
    @Override
    protected RunStore openSecondStore() {
        return new SqliteRunStoreFactory().create("sqlite:///" + dir.resolve("mlruns.db"));
    }
}
