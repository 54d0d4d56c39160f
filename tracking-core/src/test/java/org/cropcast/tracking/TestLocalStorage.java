package org.cropcast.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
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

    /** {@link Storage#list} hides temporary files; this looks at the disk itself. */
    @Test
    void failedWriterLeavesNoTemporaryFileOnDisk() throws IOException {
        Location file = root.resolve("dir/out.parquet");
        write(file, "previous");
        assertThatThrownBy(() -> storage.write(file, out -> {
            out.write("partial".getBytes(StandardCharsets.UTF_8));
            throw new IllegalStateException("failed midway");
        })).hasMessage("failed midway");
        assertThatThrownBy(() -> storage.write(file, out -> {
            out.write("partial".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        })).isInstanceOf(CropcastException.class);
        try (Stream<Path> files = Files.walk(root.localPath())) {
            assertThat(files.filter(Files::isRegularFile)).containsExactly(file.localPath());
        }
        assertThat(Files.readString(file.localPath())).isEqualTo("previous");
    }
}
