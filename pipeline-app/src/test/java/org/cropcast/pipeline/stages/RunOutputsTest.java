package org.cropcast.pipeline.stages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.cropcast.pipeline.config.PipelineConfig;
import org.cropcast.pipeline.demo.DemoDataGenerator;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.FileEntry;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.Storage;
import org.cropcast.tracking.TrackingErrorCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stage output whose writer fails midway is neither published nor logged, and the file it was
 * to replace (a resumed run's earlier output) stays as it was: on an object store (memory://,
 * standing in for s3://) and on local disk. The outputs are written from inside a real run (the
 * harness opens it through the launcher's run scope).
 */
class RunOutputsTest {
    private static final String TABLE = "reports/skill_table.csv";

    @TempDir
    Path temp;

    private StageHarness harness;
    private PipelineConfig config;

    @BeforeEach
    void harness() throws IOException {
        harness = new StageHarness(temp.resolve("h"));
        config = harness.config(DemoDataGenerator.write(temp.resolve("demo"), 5));
    }

    /** A stage that only writes outputs, as the real stages do, through {@link RunOutputs}. */
    private static Stage writing(Consumer<RunOutputs> body) {
        return new Stage() {
            @Override
            public String name() {
                return "hindcast";
            }

            @Override
            public StageResult run(StageContext context) {
                body.accept(new RunOutputs(context));
                return new StageResult(List.of());
            }
        };
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
                    .as("the table and the run scope's own records, no temporary file")
                    .containsExactlyInAnyOrder(TABLE, "config_resolved.yaml", "metadata.yaml", "metadata_hindcast.yaml");
        }
    }

    @Test
    void writerIoFailureIsAStorageFailureNamingTheFileWithNothingWritten() {
        Location runDirectory = Location.of("memory://bucket/runs/r2");
        StageRun run = harness.run(writing(outputs -> assertThatThrownBy(() -> outputs.write("datasets/pred.parquet", out -> {
            out.write(new byte[100_000]);
            throw new IOException("disk full");
        })).isInstanceOfSatisfying(CropcastException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.STORAGE_FAILURE);
            assertThat(e.getMessage()).contains(runDirectory.resolve("datasets/pred.parquet").toString()).contains("disk full");
        })), config, runDirectory, Optional.empty());
        assertThat(harness.storage().exists(runDirectory.resolve("datasets/pred.parquet"))).isFalse();
        assertThat(run.artifactFiles()).doesNotContain("datasets/pred.parquet");
    }

    private void failingWriterKeepsThePreviousFile(Location runDirectory) throws IOException {
        IllegalStateException failure = new IllegalStateException("fold 2019 failed");
        StageRun run = harness.run(writing(outputs -> {
            outputs.write(TABLE, out -> out.write("source,rmse\nmodel,0.5\n".getBytes(StandardCharsets.UTF_8)));
            assertThatThrownBy(() -> outputs.write(TABLE, out -> {
                out.write("source,rmse\nmodel,".getBytes(StandardCharsets.UTF_8));
                throw failure;
            })).isSameAs(failure);
        }), config, runDirectory, Optional.empty());

        Storage storage = harness.storage();
        assertThat(read(storage, runDirectory.resolve(TABLE))).isEqualTo("source,rmse\nmodel,0.5\n");
        assertThat(storage.list(runDirectory)).extracting(FileEntry::location).contains(runDirectory.resolve(TABLE))
                .allMatch(l -> !l.key().contains("cropcast-tmp"));
        assertThat(run.artifactText(TABLE)).isEqualTo("source,rmse\nmodel,0.5\n");
    }

    private static String read(Storage storage, Location file) throws IOException {
        try (InputStream in = storage.newInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
