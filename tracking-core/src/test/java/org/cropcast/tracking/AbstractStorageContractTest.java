package org.cropcast.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Storage} keeps. Shipped in core's test-jar; an adapter's test extends
 * it and implements {@link #createStorage()} and {@link #newRoot()}. Object stores override the
 * size knobs ({@link #largeObjectBytes()}, {@link #manyKeysCount()}) to test multipart uploads and
 * paginated listings, and {@link #stageCopies()} says whether staging makes a temporary copy.
 */
public abstract class AbstractStorageContractTest {
    protected Storage storage;
    protected Location root;

    protected abstract Storage createStorage();

    /** A fresh, empty directory or prefix served by the storage under test. */
    protected abstract Location newRoot();

    /** Size of the object in {@link #largeObjectRoundTrip()}; S3 uses 64 MiB to cross the multipart threshold. */
    protected int largeObjectBytes() {
        return 4 * 1024 * 1024;
    }

    /** Number of files in {@link #listingManyKeys()}; S3 uses 1,500 to cross a listing page. */
    protected int manyKeysCount() {
        return 120;
    }

    /** True if {@link Storage#stage} copies into a temporary directory (object stores); false for local paths. */
    protected boolean stageCopies() {
        return true;
    }

    @BeforeEach
    public final void createStorageUnderTest() {
        storage = createStorage();
        root = newRoot();
    }

    protected void write(Location location, String text) {
        write(location, text.getBytes(StandardCharsets.UTF_8));
    }

    protected void write(Location location, byte[] bytes) {
        storage.write(location, out -> out.write(bytes));
    }

    protected String readText(Location location) {
        return new String(readBytes(location), StandardCharsets.UTF_8);
    }

    protected byte[] readBytes(Location location) {
        try (InputStream in = storage.newInputStream(location)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    protected static void assertNotFound(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(CropcastException.class,
                e -> assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.LOCATION_NOT_FOUND));
    }

    @Test
    public void supportsItsRoot() {
        assertThat(storage.supports(root)).isTrue();
    }

    @Test
    public void writeThenReadAndExists() {
        Location file = root.resolve("dir/file.txt");
        assertThat(storage.exists(file)).isFalse();
        write(file, "hello ünïcode");
        assertThat(storage.exists(file)).isTrue();
        assertThat(readText(file)).isEqualTo("hello ünïcode");
        assertThat(storage.exists(root.resolve("dir"))).as("a directory or prefix is not a file").isFalse();
    }

    @Test
    public void emptyFileRoundTrip() {
        Location file = root.resolve("empty.bin");
        write(file, new byte[0]);
        assertThat(storage.exists(file)).isTrue();
        assertThat(readBytes(file)).isEmpty();
        assertThat(storage.list(root)).singleElement().satisfies(e -> assertThat(e.sizeBytes()).isZero());
    }

    @Test
    public void writeReplacesWholeFile() {
        Location file = root.resolve("file.txt");
        write(file, "a much longer first version");
        write(file, "short");
        assertThat(readText(file)).isEqualTo("short");
    }

    /**
     * True if concurrent {@link Storage#createIfAbsent} calls have exactly one winner. A test
     * server known to check a conditional write without a lock (S3Mock 5.2.0 for If-None-Match)
     * answers false: the race is still run, and must leave one racer's content and at least one
     * winner, but several racers may be told they won.
     */
    protected boolean createIfAbsentAtomicUnderConcurrency() {
        return true;
    }

    /** Bytes a failing writer writes before it throws; object stores may raise it past their part size. */
    protected int failedWriteBytes() {
        return 256 * 1024;
    }

    /** Writes {@link #failedWriteBytes()} bytes, then throws. */
    private Storage.Writer failingWriter(RuntimeException failure) {
        return out -> {
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'x');
            for (int written = 0; written < failedWriteBytes(); written += chunk.length) {
                out.write(chunk, 0, Math.min(chunk.length, failedWriteBytes() - written));
            }
            out.flush();
            throw failure;
        };
    }

    @Test
    public void failedWriterPublishesNothing() {
        Location file = root.resolve("dir/failed.bin");
        IllegalStateException failure = new IllegalStateException("writer failed midway");
        assertThatThrownBy(() -> storage.write(file, failingWriter(failure))).isSameAs(failure);
        assertThat(storage.exists(file)).isFalse();
        assertNotFound(() -> storage.newInputStream(file).close());
        assertThat(storage.list(root)).as("no temporary file or partial object is visible").isEmpty();
    }

    @Test
    public void failedWriterKeepsThePreviousFile() {
        Location file = root.resolve("kept.txt");
        write(file, "previous version");
        IllegalStateException failure = new IllegalStateException("writer failed midway");
        assertThatThrownBy(() -> storage.write(file, failingWriter(failure))).isSameAs(failure);
        assertThat(readText(file)).isEqualTo("previous version");
        assertThat(storage.list(root)).singleElement().satisfies(e -> {
            assertThat(e.location()).isEqualTo(file);
            assertThat(e.sizeBytes()).isEqualTo("previous version".length());
        });
    }

    @Test
    public void writerIOExceptionIsStorageFailureNamingTheLocation() {
        Location file = root.resolve("io.txt");
        assertThatThrownBy(() -> storage.write(file, out -> {
            out.write("half".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk went away");
        })).isInstanceOfSatisfying(CropcastException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.STORAGE_FAILURE);
            assertThat(e.getMessage()).contains(file.toString()).contains("disk went away");
        });
        assertThat(storage.exists(file)).isFalse();
        assertThat(storage.list(root)).isEmpty();
    }

    /**
     * Issue 20, full disk: a library writer (Parquet's close) meets the storage's IOException and
     * rethrows it wrapped in its own unchecked exception; that is the storage's failure all the
     * same, naming the location, never an internal error. A writer's own CropcastException passes unchanged.
     */
    @Test
    public void writerUncheckedExceptionWrappingAnIOExceptionIsStorageFailureNamingTheLocation() {
        Location file = root.resolve("full.parquet");
        assertThatThrownBy(() -> storage.write(file, out -> {
            out.write("half".getBytes(StandardCharsets.UTF_8));
            throw new IllegalStateException("could not close the writer", new IOException("No space left on device"));
        })).isInstanceOfSatisfying(CropcastException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.STORAGE_FAILURE);
            assertThat(e.getMessage()).contains(file.toString()).contains("No space left on device");
        });
        assertThat(storage.exists(file)).isFalse();
        CropcastException own = new CropcastException(TrackingErrorCode.INVALID_ARGUMENT, "the writer's own", new IOException("cause"));
        assertThatThrownBy(() -> storage.write(file, out -> {
            throw own;
        })).isSameAs(own);
        assertThat(storage.list(root)).isEmpty();
    }

    @Test
    public void writeIsInvisibleUntilTheWriterReturns() {
        Location file = root.resolve("pending.txt");
        write(file, "old");
        storage.write(file, out -> writeNewContentWhileOldIsVisible(out, file));
        assertThat(readText(file)).isEqualTo("new content");
    }

    private void writeNewContentWhileOldIsVisible(OutputStream out, Location file) throws IOException {
        out.write("new content".getBytes(StandardCharsets.UTF_8));
        out.flush();
        assertThat(readText(file)).isEqualTo("old");
        assertThat(storage.list(root)).extracting(FileEntry::location).containsExactly(file);
    }

    @Test
    public void writerMayCloseItsStream() {
        Location file = root.resolve("closed-by-writer.txt");
        storage.write(file, out -> {
            try (OutputStream wrapped = new java.io.BufferedOutputStream(out)) {
                wrapped.write("closed by a wrapping writer".getBytes(StandardCharsets.UTF_8));
            }
        });
        assertThat(readText(file)).isEqualTo("closed by a wrapping writer");
    }

    @Test
    public void createIfAbsentCreatesOnceAndKeepsTheFirstContent() {
        Location file = root.resolve("claims/marker");
        assertThat(storage.createIfAbsent(file, "first".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(storage.createIfAbsent(file, "second".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(readText(file)).isEqualTo("first");
        Location written = root.resolve("claims/written");
        write(written, "by write");
        assertThat(storage.createIfAbsent(written, "other".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(readText(written)).isEqualTo("by write");
    }

    @Test
    public void concurrentCreateIfAbsentHasExactlyOneWinner() throws Exception {
        int threads = 8;
        int rounds = 5;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < rounds; round++) {
                Location file = root.resolve("race/" + round);
                java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    byte[] content = ("thread " + t).getBytes(StandardCharsets.UTF_8);
                    results.add(pool.submit(() -> {
                        start.await();
                        return storage.createIfAbsent(file, content);
                    }));
                }
                start.countDown();
                List<Integer> winners = new java.util.ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    if (results.get(t).get(60, java.util.concurrent.TimeUnit.SECONDS)) {
                        winners.add(t);
                    }
                }
                if (createIfAbsentAtomicUnderConcurrency()) {
                    assertThat(winners).as("round %d", round).hasSize(1);
                    assertThat(readText(file)).isEqualTo("thread " + winners.get(0));
                } else {
                    assertThat(winners).as("round %d", round).isNotEmpty();
                    assertThat(readText(file)).isIn(winners.stream().map(t -> "thread " + t).toList());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    public void readMissingIsLocationNotFound() {
        assertNotFound(() -> storage.newInputStream(root.resolve("missing.txt")).close());
    }

    @Test
    public void listIsRecursiveSortedFilesOnly() {
        write(root.resolve("b.txt"), "bb");
        write(root.resolve("a/z.txt"), "z");
        write(root.resolve("a/b/c.txt"), "ccc");
        write(root.resolve("a-sibling.txt"), "s");
        List<FileEntry> all = storage.list(root);
        assertThat(all).extracting(FileEntry::location).containsExactly(
                root.resolve("a-sibling.txt"), root.resolve("a/b/c.txt"), root.resolve("a/z.txt"), root.resolve("b.txt"))
                .isSortedAccordingTo(Comparator.comparing(Location::toString));
        assertThat(all).extracting(FileEntry::sizeBytes).containsExactly(1L, 3L, 1L, 2L);
        assertThat(storage.list(root.resolve("a"))).as("a prefix is a directory: 'a' does not match 'a-sibling.txt'")
                .extracting(FileEntry::location).containsExactly(root.resolve("a/b/c.txt"), root.resolve("a/z.txt"));
    }

    @Test
    public void listOfMissingPrefixIsEmpty() {
        assertThat(storage.list(root.resolve("nothing"))).isEmpty();
        assertThat(storage.list(root)).isEmpty();
    }

    @Test
    public void copyFile() {
        Location source = root.resolve("src/data.csv");
        Location target = root.resolve("dst/nested/data.csv");
        write(source, "x,y\n1,2\n");
        storage.copy(source, target);
        assertThat(readText(target)).isEqualTo("x,y\n1,2\n");
        assertThat(readText(source)).isEqualTo("x,y\n1,2\n");
    }

    @Test
    public void copyMissingIsLocationNotFound() {
        assertNotFound(() -> storage.copy(root.resolve("missing"), root.resolve("target")));
        assertThat(storage.exists(root.resolve("target"))).isFalse();
    }

    @Test
    public void deleteFileAndDeleteAbsentIsNoOp() {
        Location file = root.resolve("gone.txt");
        write(file, "x");
        storage.delete(file);
        assertThat(storage.exists(file)).isFalse();
        storage.delete(file);
        assertThat(storage.list(root)).isEmpty();
    }

    @Test
    public void stageFileGivesLocalCopyRemovedOnClose() throws IOException {
        Location file = root.resolve("in/data.csv");
        write(file, "a,b\n");
        Path staged;
        try (StagedPath stagedPath = storage.stage(file)) {
            staged = stagedPath.path();
            assertThat(staged).isRegularFile().hasFileName("data.csv");
            assertThat(Files.readString(staged)).isEqualTo("a,b\n");
        }
        assertStagedCopyGone(staged);
        assertThat(readText(file)).isEqualTo("a,b\n");
    }

    @Test
    public void stagePrefixGivesLocalTree() throws IOException {
        write(root.resolve("tree/a.txt"), "A");
        write(root.resolve("tree/sub/b.txt"), "B");
        write(root.resolve("tree-sibling.txt"), "S");
        Path staged;
        try (StagedPath stagedPath = storage.stage(root.resolve("tree"))) {
            staged = stagedPath.path();
            assertThat(staged).isDirectory();
            assertThat(Files.readString(staged.resolve("a.txt"))).isEqualTo("A");
            assertThat(Files.readString(staged.resolve("sub/b.txt"))).isEqualTo("B");
            try (var files = Files.walk(staged)) {
                assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(2);
            }
        }
        assertStagedCopyGone(staged);
    }

    private void assertStagedCopyGone(Path staged) {
        if (stageCopies()) {
            assertThat(staged).doesNotExist();
        } else {
            assertThat(staged).exists();
        }
    }

    @Test
    public void stageMissingIsLocationNotFound() {
        assertNotFound(() -> storage.stage(root.resolve("missing")).close());
    }

    @Test
    public void largeObjectRoundTrip() throws Exception {
        int size = largeObjectBytes();
        Location file = root.resolve("large.bin");
        Random random = new Random(7);
        MessageDigest written = sha256();
        byte[] chunk = new byte[1 << 20];
        storage.write(file, out -> {
            for (int remaining = size; remaining > 0; remaining -= chunk.length) {
                random.nextBytes(chunk);
                int n = Math.min(remaining, chunk.length);
                written.update(chunk, 0, n);
                out.write(chunk, 0, n);
            }
        });
        MessageDigest read = sha256();
        try (InputStream in = new DigestInputStream(storage.newInputStream(file), read)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        assertThat(HexFormat.of().formatHex(read.digest())).isEqualTo(HexFormat.of().formatHex(written.digest()));
        assertThat(storage.list(root)).singleElement().satisfies(e -> assertThat(e.sizeBytes()).isEqualTo(size));
    }

    @Test
    public void listingManyKeys() {
        int count = manyKeysCount();
        List<Location> expected = IntStream.range(0, count)
                .mapToObj(i -> root.resolve("many/" + String.format("k%05d.txt", i)))
                .toList();
        expected.forEach(location -> write(location, "v"));
        assertThat(storage.list(root.resolve("many"))).extracting(FileEntry::location).containsExactlyElementsOf(expected);
    }

    private static MessageDigest sha256() throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256");
    }
}
