package org.cropcast.tracking.mlflow;

import java.nio.file.Path;
import org.cropcast.tracking.AbstractRunSearchContractTest;
import org.cropcast.tracking.RunStore;
import org.junit.jupiter.api.io.TempDir;

/** Core's search contract against the embedded SQLite store (a fresh database per test). */
class SqliteRunSearchContractTest extends AbstractRunSearchContractTest {
    @TempDir
    Path dir;

    @Override
    protected RunStore createStore() {
        return new SqliteRunStoreFactory().create("sqlite:///" + dir.resolve("mlruns.db"));
    }
}
