package org.cropcast.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every {@link ArtifactStore} keeps. Shipped in core's test-jar; an adapter's test
 * extends it, implements {@link #createArtifactStore()} and {@link #newArtifactRoot()}.
 */
public abstract class AbstractArtifactStoreContractTest {
    /** Every path here must be rejected with {@link TrackingErrorCode#INVALID_ARTIFACT_PATH}. */
    public static final List<String> HOSTILE_PATHS = List.of(
            "../escape", "a/../../escape", "..", "..\\escape", "a\\..\\b",
            "%2e%2e%2fescape", "%2E%2E/escape", "a/%2e%2e/b", "%252e%252e%252fescape", "%25252e%25252e%25252fescape",
            "/etc/passwd", "C:/Windows", "c:\\x", "//host/share", "\\\\host\\share",
            "a?b=c", "a#frag", "a;param", "nul\0byte", "%00nul", "line\nfeed",
            "x".repeat(ArtifactPaths.MAX_LENGTH + 1));

    protected ArtifactStore store;
    protected String root;

    @TempDir
    protected Path localDir;

    protected abstract ArtifactStore createArtifactStore();

    /** A fresh, empty artifact root URI served by the store under test. */
    protected abstract String newArtifactRoot();

    @BeforeEach
    public final void createStoreUnderTest() {
        store = createArtifactStore();
        root = newArtifactRoot();
    }

    protected Path localFile(String relative, byte[] content) throws IOException {
        Path file = localDir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        return file;
    }

    protected byte[] read(String path) throws IOException {
        try (InputStream in = store.open(root, path)) {
            return in.readAllBytes();
        }
    }

    protected static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    public void supportsItsRoot() {
        assertThat(store.supports(root)).isTrue();
    }

    @Test
    public void logFileLandsUnderArtifactPathAndReadsBackByteIdentical() throws IOException {
        byte[] content = randomBytes(1_048_577, 1);
        Path file = localFile("src/model.bin", content);
        store.logFile(root, file, "models/v1");
        assertThat(read("models/v1/model.bin")).isEqualTo(content);
        assertThat(store.list(root, "")).containsExactly(new ArtifactEntry("models", true, Optional.empty()));
        assertThat(store.list(root, "models")).containsExactly(new ArtifactEntry("models/v1", true, Optional.empty()));
        assertThat(store.list(root, "models/v1"))
                .containsExactly(new ArtifactEntry("models/v1/model.bin", false, Optional.of((long) content.length)));
    }

    @Test
    public void uploadStreamsContentToItsFullPathAndReplaces() throws IOException {
        byte[] content = randomBytes(700_001, 7);
        store.upload(root, "synced/deep/part.bin", new java.io.ByteArrayInputStream(content));
        assertThat(read("synced/deep/part.bin")).isEqualTo(content);
        store.upload(root, "synced/deep/part.bin", new java.io.ByteArrayInputStream("v2".getBytes(StandardCharsets.UTF_8)));
        assertThat(read("synced/deep/part.bin")).isEqualTo("v2".getBytes(StandardCharsets.UTF_8));
        assertThat(store.list(root, "synced/deep"))
                .containsExactly(new ArtifactEntry("synced/deep/part.bin", false, Optional.of(2L)));
    }

    @Test
    public void uploadWhoseContentFailsPublishesNothing() {
        byte[] content = randomBytes(300_000, 8);
        java.io.InputStream failing = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(content), new java.io.InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("source went away");
            }
        });
        assertThatThrownBy(() -> store.upload(root, "half/written.bin", failing)).isInstanceOf(CropcastException.class);
        assertThat(store.list(root, "")).isEmpty();
    }

    @Test
    public void uploadRejectsTheRootAndTraversal() {
        assertThatThrownBy(() -> store.upload(root, "", new java.io.ByteArrayInputStream(new byte[1])))
                .isInstanceOfSatisfying(CropcastException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.INVALID_ARTIFACT_PATH));
        assertThatThrownBy(() -> store.upload(root, "../escape.txt", new java.io.ByteArrayInputStream(new byte[1])))
                .isInstanceOfSatisfying(CropcastException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.INVALID_ARTIFACT_PATH));
    }

    @Test
    public void logFileAtRootAndReplace() throws IOException {
        Path file = localFile("config_resolved.yaml", "a: 1\n".getBytes(StandardCharsets.UTF_8));
        store.logFile(root, file, "");
        Files.writeString(file, "a: 2\n");
        store.logFile(root, file, "");
        assertThat(new String(read("config_resolved.yaml"), StandardCharsets.UTF_8)).isEqualTo("a: 2\n");
        assertThat(store.list(root, "")).extracting(ArtifactEntry::path).containsExactly("config_resolved.yaml");
    }

    @Test
    public void logFileOfDirectoryUploadsItUnderItsName() throws IOException {
        localFile("tree/a.txt", "A".getBytes(StandardCharsets.UTF_8));
        localFile("tree/sub/b.txt", "B".getBytes(StandardCharsets.UTF_8));
        store.logFile(root, localDir.resolve("tree"), "out");
        assertThat(read("out/tree/a.txt")).isEqualTo("A".getBytes(StandardCharsets.UTF_8));
        assertThat(read("out/tree/sub/b.txt")).isEqualTo("B".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    public void logDirectoryContentsUploadsTheTree() throws IOException {
        byte[] png = randomBytes(4_096, 2);
        localFile("reports/folds/2019/fold.png", png);
        localFile("reports/summary.csv", "x,y\n1,2\n".getBytes(StandardCharsets.UTF_8));
        localFile("reports/empty.txt", new byte[0]);
        store.logDirectoryContents(root, localDir.resolve("reports"), "reports");
        assertThat(read("reports/folds/2019/fold.png")).isEqualTo(png);
        assertThat(read("reports/empty.txt")).isEmpty();
        assertThat(store.list(root, "reports")).containsExactly(
                new ArtifactEntry("reports/empty.txt", false, Optional.of(0L)),
                new ArtifactEntry("reports/folds", true, Optional.empty()),
                new ArtifactEntry("reports/summary.csv", false, Optional.of(8L)));
        assertThat(store.list(root, "reports/folds/2019"))
                .containsExactly(new ArtifactEntry("reports/folds/2019/fold.png", false, Optional.of(4_096L)));
    }

    @Test
    public void logFilesUploadsEachAsLogFileWould() throws IOException {
        List<ArtifactFile> batch = new java.util.ArrayList<>();
        List<byte[]> plots = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            byte[] png = randomBytes(40_000 + i, 10 + i);
            plots.add(png);
            batch.add(new ArtifactFile(localFile("folds/fold_" + (2010 + i) + ".png", png), "reports/folds"));
        }
        byte[] yaml = "a: 1\n".getBytes(StandardCharsets.UTF_8);
        batch.add(new ArtifactFile(localFile("config.yaml", yaml), ""));
        localFile("tree/sub/b.txt", "B".getBytes(StandardCharsets.UTF_8));
        batch.add(new ArtifactFile(localDir.resolve("tree"), "out"));
        store.logFiles(root, batch);
        for (int i = 0; i < 12; i++) {
            assertThat(read("reports/folds/fold_" + (2010 + i) + ".png")).isEqualTo(plots.get(i));
        }
        assertThat(read("config.yaml")).isEqualTo(yaml);
        assertThat(read("out/tree/sub/b.txt")).isEqualTo("B".getBytes(StandardCharsets.UTF_8));
        assertThat(store.list(root, "reports/folds")).hasSize(12);
        store.logFiles(root, List.of());
        assertThat(store.list(root, "")).extracting(ArtifactEntry::path).containsExactly("config.yaml", "out", "reports");
    }

    @Test
    public void logFilesWithABadEntryWritesNothing() throws IOException {
        Path good = localFile("good.txt", "x".getBytes(StandardCharsets.UTF_8));
        assertInvalidPath(() -> store.logFiles(root, List.of(new ArtifactFile(good, ""), new ArtifactFile(good, "../escape"))), "../escape");
        assertThatThrownBy(() -> store.logFiles(root, List.of(new ArtifactFile(good, ""), new ArtifactFile(localDir.resolve("absent.txt"), ""))))
                .isInstanceOfSatisfying(CropcastException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.LOCATION_NOT_FOUND));
        assertThat(store.list(root, "")).isEmpty();
    }

    @Test
    public void listOfMissingPathIsEmpty() {
        assertThat(store.list(root, "")).isEmpty();
        assertThat(store.list(root, "nothing/here")).isEmpty();
    }

    @Test
    public void openMissingArtifactIsLocationNotFound() {
        assertThatThrownBy(() -> read("missing.txt"))
                .isInstanceOfSatisfying(CropcastException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.LOCATION_NOT_FOUND));
    }

    @Test
    public void logFileOfMissingLocalFileFails() {
        assertThatThrownBy(() -> store.logFile(root, localDir.resolve("absent.txt"), ""))
                .isInstanceOfSatisfying(CropcastException.class,
                        e -> assertThat(e.category()).isEqualTo(ErrorCategory.USER_INPUT));
    }

    @Test
    public void hostileArtifactPathsAreRejectedAndWriteNothing() throws IOException {
        Path file = localFile("payload.txt", "x".getBytes(StandardCharsets.UTF_8));
        for (String path : HOSTILE_PATHS) {
            assertInvalidPath(() -> store.logFile(root, file, path), path);
            assertInvalidPath(() -> store.logDirectoryContents(root, localDir, path), path);
            assertInvalidPath(() -> store.open(root, path), path);
            assertInvalidPath(() -> store.list(root, path), path);
        }
        assertThat(store.list(root, "")).isEmpty();
    }

    private static void assertInvalidPath(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String path) {
        assertThatThrownBy(call)
                .as("artifact path %s", path.replace("\0", "\\0"))
                .isInstanceOfSatisfying(CropcastException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.INVALID_ARTIFACT_PATH);
                    assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\0");
                });
    }
}
