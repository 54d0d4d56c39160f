package org.cropcast.tracking;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class TestLocalStorage extends AbstractStorageContractTest {
    @TempDir
    Path directory;

    @Override
    protected Storage createStorage() {
        return new LocalStorage();
    }

    @Override
    protected Location newRoot() {
        return Location.local(directory.resolve("root"));
    }

    @Override
    protected boolean stageCopies() {
        return false;
    }
}
