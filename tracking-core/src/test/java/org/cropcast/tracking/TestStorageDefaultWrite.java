package org.cropcast.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@link Storage#write}'s and {@link Storage#createIfAbsent}'s defaults, for a storage that
 * implements only the stream methods (as one written before they existed would).
 */
class TestStorageDefaultWrite {
    private final MemoryStorage memory = new MemoryStorage();
    private final Storage streamsOnly = new StreamsOnlyStorage(memory);
    private final Location file = Location.of("memory://bucket/dir/file.txt");

    @Test
    void writerThatFailsPublishesNothingAndKeepsThePreviousFile() {
        streamsOnly.write(file, out -> out.write("previous".getBytes(StandardCharsets.UTF_8)));
        IllegalStateException failure = new IllegalStateException("failed midway");
        assertThatThrownBy(() -> streamsOnly.write(file, out -> {
            out.write("partial".getBytes(StandardCharsets.UTF_8));
            throw failure;
        })).isSameAs(failure);
        assertThat(read(file)).isEqualTo("previous");
        assertThat(memory.list(Location.of("memory://bucket/dir"))).extracting(FileEntry::location).containsExactly(file);
    }

    @Test
    void writerThatSucceedsReplacesTheFile() {
        streamsOnly.write(file, out -> out.write("first version".getBytes(StandardCharsets.UTF_8)));
        streamsOnly.write(file, out -> out.write("second".getBytes(StandardCharsets.UTF_8)));
        assertThat(read(file)).isEqualTo("second");
    }

    @Test
    void createIfAbsentIsRefusedRatherThanFaked() {
        assertThatThrownBy(() -> streamsOnly.createIfAbsent(file, new byte[] {1}))
                .isInstanceOfSatisfying(CropcastException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.ATOMIC_CREATE_UNSUPPORTED))
                .hasMessageContaining("no atomic create");
        assertThat(memory.exists(file)).isFalse();
    }

    private String read(Location location) {
        try (InputStream in = memory.newInputStream(location)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
