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

    /**
     * A writer killed between creating its temporary file and moving it into place leaves that
     * file behind; {@link Storage#discardIncompleteWrites} removes it and nothing else.
     */
    @Test
    void discardIncompleteWritesRemovesWhatAKilledWriterLeftAndNothingElse() throws IOException {
        Location file = root.resolve("dir/sub/out.parquet");
        Path dir = root.resolve("dir/sub").localPath();
        String[] temporary = new String[1];
        storage.write(file, out -> { // a real write, to learn the name its temporary file has while it runs
            try (Stream<Path> files = Files.list(dir)) {
                temporary[0] = files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("out.parquet")).findFirst().orElseThrow();
            }
            out.write("complete".getBytes(StandardCharsets.UTF_8));
        });
        assertThat(temporary[0]).startsWith(".out.parquet.");
        Path leftover = Files.writeString(dir.resolve(temporary[0]), "half"); // as a SIGKILL mid-write leaves it
        write(root.resolve("dir/other.txt"), "kept");

        assertThat(storage.list(root)).extracting(e -> e.location().key()).noneMatch(k -> k.contains(temporary[0]));
        assertThat(storage.discardIncompleteWrites(root)).isEqualTo(1);
        assertThat(leftover).doesNotExist();
        assertThat(readText(file)).isEqualTo("complete");
        assertThat(readText(root.resolve("dir/other.txt"))).isEqualTo("kept");
        assertThat(storage.discardIncompleteWrites(root)).isZero();
        assertThat(storage.discardIncompleteWrites(root.resolve("absent"))).isZero();
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
