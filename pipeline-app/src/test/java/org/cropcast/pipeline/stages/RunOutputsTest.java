package org.cropcast.pipeline.stages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.cropcast.pipeline.demo.DemoDataGenerator;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.FileEntry;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.MemoryStorage;
import org.cropcast.tracking.SwitchingStorage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stage output whose writer fails midway is neither published nor logged, and the file it was
 * to replace (a resumed run's earlier output) stays as it was: on an object store (memory://,
 * standing in for s3://) and on local disk.
 */
class RunOutputsTest {
    private static final String TABLE = "reports/skill_table.csv";

    @TempDir
    Path temp;

    private final MemoryStorage memory = new MemoryStorage();
    private final SwitchingStorage storage = SwitchingStorage.localAndMemory(memory);
    private StageHarness harness;

    @BeforeEach
    void harness() {
        harness = new StageHarness(temp.resolve("h"));
    }

    @Test
    void failingWriterOnAnObjectStoreKeepsThePreviousFileAndLogsNothingNew() throws IOException {
        failingWriterKeepsThePreviousFile(Location.of("memory://bucket/runs/r1"));
    }

    @Test
    void failingWriterOnLocalDiskKeepsThePreviousFileAndLeavesNoTemporaryFile() throws IOException {
        Location runDirectory = Location.local(temp.resolve("runs/r1"));
        failingWriterKeepsThePreviousFile(runDirectory);
        try (var files = Files.walk(runDirectory.localPath())) {
            assertThat(files.filter(Files::isRegularFile).map(p -> runDirectory.localPath().relativize(p).toString()))
                    .containsExactly(TABLE);
        }
    }

    @Test
    void writerIoFailureIsAnOutputFailureNamingTheFileWithNothingWritten() throws IOException {
        Location runDirectory = Location.of("memory://bucket/runs/r2");
        StoreBackedActiveRun run = StoreBackedActiveRun.open(temp.resolve("artifacts"), runDirectory, "hindcast", storage);
        RunOutputs outputs = new RunOutputs(context(run, runDirectory));
        assertThatThrownBy(() -> outputs.write("datasets/pred.parquet", out -> {
            out.write(new byte[100_000]);
            throw new IOException("disk full");
        })).isInstanceOfSatisfying(CropcastException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(PipelineErrorCode.OUTPUT_FAILURE);
            assertThat(e.getMessage()).contains(runDirectory.resolve("datasets/pred.parquet").toString()).contains("disk full");
        });
        assertThat(memory.list(runDirectory)).isEmpty();
        assertThat(run.artifact("datasets/pred.parquet")).doesNotExist();
    }

    private void failingWriterKeepsThePreviousFile(Location runDirectory) throws IOException {
        StoreBackedActiveRun run = StoreBackedActiveRun.open(temp.resolve("artifacts"), runDirectory, "hindcast", storage);
        RunOutputs outputs = new RunOutputs(context(run, runDirectory));
        outputs.write(TABLE, out -> out.write("source,rmse\nmodel,0.5\n".getBytes(StandardCharsets.UTF_8)));

        IllegalStateException failure = new IllegalStateException("fold 2019 failed");
        assertThatThrownBy(() -> outputs.write(TABLE, out -> {
            out.write("source,rmse\nmodel,".getBytes(StandardCharsets.UTF_8));
            throw failure;
        })).isSameAs(failure);

        assertThat(read(runDirectory.resolve(TABLE))).isEqualTo("source,rmse\nmodel,0.5\n");
        assertThat(storage.list(runDirectory)).extracting(FileEntry::location).containsExactly(runDirectory.resolve(TABLE));
        assertThat(run.artifact(TABLE)).hasContent("source,rmse\nmodel,0.5");
    }

    private StageContext context(StoreBackedActiveRun run, Location runDirectory) throws IOException {
        Path config = DemoDataGenerator.write(temp.resolve("demo"), 5);
        Path work = Files.createTempDirectory(temp, "work");
        return new StageContext(harness.config(config), run, storage, Location.local(temp.resolve("demo")), runDirectory, work,
                Optional.empty(), 1, ProgressListener.NONE);
    }

    private String read(Location file) throws IOException {
        try (InputStream in = storage.newInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
