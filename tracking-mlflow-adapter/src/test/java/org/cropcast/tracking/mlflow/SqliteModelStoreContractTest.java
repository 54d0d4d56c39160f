package org.cropcast.tracking.mlflow;

import java.nio.file.Path;
import org.cropcast.tracking.AbstractModelStoreContractTest;
import org.cropcast.tracking.ModelStore;
import org.cropcast.tracking.RunStore;
import org.junit.jupiter.api.io.TempDir;

/** Core's model-store contract against the embedded SQLite store (a fresh database per test). */
class SqliteModelStoreContractTest extends AbstractModelStoreContractTest {
    @TempDir
    Path dir;

    @Override
    protected RunStore createRunStore() {
        return new SqliteRunStoreFactory().create("sqlite:///" + dir.resolve("mlruns.db"));
    }

    @Override
    protected ModelStore createModelStore(RunStore runs) {
        return new SqliteModelStoreFactory().create("sqlite:///" + dir.resolve("mlruns.db"), runs);
    }
}
