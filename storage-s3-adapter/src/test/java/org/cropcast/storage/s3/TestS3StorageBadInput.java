package org.cropcast.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.ErrorCategory;
import org.cropcast.tracking.ErrorCode;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.TrackingErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/** Malformed locations, missing buckets and keys, and unsafe keys: one-line errors naming the location, nothing left behind. */
class TestS3StorageBadInput {
    private static final S3MockServer SERVER = S3MockServer.shared();

    private S3Storage storage;
    private String bucket;

    @BeforeEach
    void start() {
        bucket = SERVER.createBucket("bad-input");
        storage = SERVER.storage();
    }

    @AfterEach
    void stop() {
        storage.close();
    }

    @Test
    void malformedS3UrisAreRejectedBeforeAnyRequest() {
        List<String> malformed = List.of(
                "s3:/x", "s3://", "s3:///key", "s3://" + bucket + "/../etc/passwd", "s3://" + bucket + "/a/../../b",
                "s3://" + bucket + "/a/%2e%2e/b", "s3://" + bucket + "/a/%2E%2E%2Fb", "s3://" + bucket + "/%252e%252e%252fb",
                "s3://" + bucket + "/a//b", "s3://" + bucket + "//a", "s3://" + bucket + "/a?versionId=1",
                "s3://" + bucket + "/a#frag", "s3://Bad_Bucket!/k", "s3://" + bucket + "/" + "k".repeat(Location.MAX_KEY_BYTES + 1),
                "s3://" + bucket + "/nul\0byte");
        for (String text : malformed) {
            assertError(() -> storage.exists(Location.of(text)), TrackingErrorCode.INVALID_LOCATION, text.substring(0, 4));
            assertError(() -> write(Location.of(text), "x"), TrackingErrorCode.INVALID_LOCATION, "s3:");
        }
        assertThat(storage.list(Location.of("s3://" + bucket))).as("nothing was written").isEmpty();
    }

    @Test
    void credentialsInAnS3UriAreRejectedAndRedacted() {
        assertThatThrownBy(() -> storage.exists(Location.of("s3://AKIAEXAMPLE:hunter2secret@" + bucket + "/k")))
                .isInstanceOfSatisfying(CropcastException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.INVALID_LOCATION);
                    assertThat(e.getMessage()).doesNotContain("hunter2secret").doesNotContain("AKIAEXAMPLE");
                });
    }

    @Test
    void operationsThatNeedAKeyRejectABucketOrPrefix() {
        Location bucketRoot = Location.of("s3://" + bucket);
        Location prefix = Location.of("s3://" + bucket + "/dir/");
        assertThat(storage.exists(bucketRoot)).isFalse();
        assertThat(storage.exists(prefix)).isFalse();
        assertError(() -> storage.newInputStream(bucketRoot), TrackingErrorCode.INVALID_LOCATION, bucketRoot.toString());
        assertError(() -> write(prefix, "x"), TrackingErrorCode.INVALID_LOCATION, prefix.toString());
        assertError(() -> storage.createIfAbsent(prefix, new byte[0]), TrackingErrorCode.INVALID_LOCATION, prefix.toString());
        assertError(() -> storage.delete(prefix), TrackingErrorCode.INVALID_LOCATION, prefix.toString());
        assertError(() -> storage.copy(prefix, bucketRoot), TrackingErrorCode.INVALID_LOCATION, prefix.toString());
    }

    @Test
    void missingBucketIsNamedForEveryOperation() {
        Location file = Location.of("s3://no-such-bucket-cropcast/data/file.csv");
        Location other = Location.of("s3://" + bucket + "/file.csv");
        List<ThrowingCallable> calls = List.of(
                () -> storage.exists(file),
                () -> storage.newInputStream(file),
                () -> write(file, "x"),
                () -> storage.createIfAbsent(file, new byte[] {1}),
                () -> storage.list(file),
                () -> storage.stage(file),
                () -> storage.copy(file, other),
                () -> storage.delete(file));
        for (ThrowingCallable call : calls) {
            assertError(call, S3ErrorCode.NO_SUCH_BUCKET, "no-such-bucket-cropcast");
        }
        assertThat(storage.exists(other)).isFalse();
    }

    @Test
    void missingKeyIsLocationNotFound() {
        Location file = Location.of("s3://" + bucket + "/absent.csv");
        assertError(() -> storage.newInputStream(file), TrackingErrorCode.LOCATION_NOT_FOUND, file.toString());
        assertError(() -> storage.stage(file), TrackingErrorCode.LOCATION_NOT_FOUND, file.toString());
        assertError(() -> storage.copy(file, Location.of("s3://" + bucket + "/copy.csv")),
                TrackingErrorCode.LOCATION_NOT_FOUND, file.toString());
        assertThat(storage.exists(file)).isFalse();
    }

    @Test
    void stagingThatFailsMidwayRemovesItsDirectory() throws IOException {
        // S3 allows a key and a prefix of the same name; the second cannot be a local file
        put("tree/a", "file a");
        put("tree/a/b", "file b under a");
        List<Path> before = stagingDirectories();
        assertThatThrownBy(() -> storage.stage(Location.of("s3://" + bucket + "/tree")))
                .isInstanceOfSatisfying(CropcastException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.STORAGE_FAILURE);
                    assertThat(e.getMessage()).contains("s3://" + bucket + "/tree/a/b");
                });
        assertThat(stagingDirectories()).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void keysThatWouldEscapeTheStagingDirectoryAreRefused() throws IOException {
        String hostileKey = "tree/sub/../../../escape.txt";
        put("tree/good.txt", "ok");
        put(hostileKey, "escaped");
        assertThat(SERVER.client().listObjectsV2(b -> b.bucket(bucket).prefix("tree/")).contents())
                .as("S3 stores the key as it is").anySatisfy(o -> assertThat(o.key()).isEqualTo(hostileKey));
        List<Path> before = stagingDirectories();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        assertError(() -> storage.stage(Location.of("s3://" + bucket + "/tree")), S3ErrorCode.UNSAFE_OBJECT_KEY, "escape.txt");
        assertThat(stagingDirectories()).containsExactlyInAnyOrderElementsOf(before);
        assertThat(tmp.resolve("escape.txt")).doesNotExist();
    }

    private void put(String key, String text) {
        SERVER.client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(text));
    }

    private void write(Location location, String text) {
        storage.write(location, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static List<Path> stagingDirectories() throws IOException {
        try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return entries.filter(p -> p.getFileName().toString().startsWith("cropcast-s3-stage-")).toList();
        }
    }

    private static void assertError(ThrowingCallable call, ErrorCode code, String named) {
        assertThatThrownBy(call).isInstanceOfSatisfying(CropcastException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(code);
            assertThat(e.getMessage()).contains(named).doesNotContain("\n").doesNotContain(S3MockServer.SECRET_KEY);
            assertThat(e.category()).isIn(ErrorCategory.USER_INPUT, ErrorCategory.EXTERNAL_SYSTEM);
        });
    }
}
