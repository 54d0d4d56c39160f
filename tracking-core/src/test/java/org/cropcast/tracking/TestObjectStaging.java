package org.cropcast.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestObjectStaging {
    @TempDir
    Path tempRoot;

    private final MemoryStorage memory = new MemoryStorage();

    private void write(String location, String text) throws IOException {
        memory.write(Location.of(location), out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    private long entriesUnderTempRoot() throws IOException {
        try (Stream<Path> entries = Files.list(tempRoot)) {
            return entries.count();
        }
    }

    @Test
    void failureMidwayRemovesWhatWasStaged() throws IOException {
        for (int i = 0; i < 5; i++) {
            write("memory://b/prefix/f" + i + ".txt", "content " + i);
        }
        AtomicInteger reads = new AtomicInteger();
        Storage failing = new RecordingStorage(memory) {
            @Override
            public InputStream newInputStream(Location location) {
                if (reads.incrementAndGet() == 3) {
                    throw new CropcastException(TrackingErrorCode.STORAGE_FAILURE, "connection reset reading " + location);
                }
                return super.newInputStream(location);
            }
        };
        assertThatThrownBy(() -> ObjectStaging.stage(failing, Location.of("memory://b/prefix"), tempRoot))
                .isInstanceOfSatisfying(CropcastException.class, e -> assertThat(e.getMessage()).contains("connection reset"));
        assertThat(reads).hasValue(3);
        assertThat(entriesUnderTempRoot()).isZero();
    }

    @Test
    void closeRemovesTheDirectory() throws IOException {
        write("memory://b/one.csv", "x");
        StagedPath staged = ObjectStaging.stage(memory, Location.of("memory://b/one.csv"), tempRoot);
        assertThat(entriesUnderTempRoot()).isEqualTo(1);
        assertThat(Files.readString(staged.path())).isEqualTo("x");
        staged.close();
        assertThat(entriesUnderTempRoot()).isZero();
    }

    @Test
    void missingLocationCreatesNothing() throws IOException {
        assertThatThrownBy(() -> ObjectStaging.stage(memory, Location.of("memory://b/none"), tempRoot))
                .isInstanceOfSatisfying(CropcastException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.LOCATION_NOT_FOUND));
        assertThat(entriesUnderTempRoot()).isZero();
    }
}
