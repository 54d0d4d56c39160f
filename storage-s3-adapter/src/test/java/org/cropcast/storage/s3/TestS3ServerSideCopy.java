package org.cropcast.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cropcast.storage.s3.TestS3StorageFaults.randomBytes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import org.cropcast.tracking.ArtifactEntry;
import org.cropcast.tracking.ArtifactStore;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.StagedPath;
import org.cropcast.tracking.StorageArtifactStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Server-side copies: the client's traffic is counted by {@link FaultInjectingProxy} (every byte
 * between the SDK and the server, HTTP heads included) and stays near zero however large the
 * objects, while staging through local disk moves every byte twice.
 */
class TestS3ServerSideCopy {
    private static final S3MockServer SERVER = S3MockServer.shared();
    private static final int MIB = 1024 * 1024;
    /** Generous bound for the XML requests and answers of a few copy calls. */
    private static final long CONTROL_TRAFFIC_BYTES = 64 * 1024;

    private FaultInjectingProxy proxy;
    private S3Storage storage;
    private String bucket;

    @BeforeEach
    void start() {
        bucket = SERVER.createBucket("copy");
        proxy = FaultInjectingProxy.start(SERVER.endpoint());
        // a 5 MiB multipart-copy threshold, so a 12 MiB object takes the UploadPartCopy path
        storage = SERVER.storage(SERVER.config().withEndpoint(proxy.endpoint())
                .withMultipartCopy(5 * MIB, 5 * MIB));
    }

    @AfterEach
    void stop() {
        storage.close();
        proxy.close();
    }

    @Test
    void copyObjectMovesNoObjectBytesThroughTheClient() {
        byte[] data = randomBytes(4 * MIB, 11);
        put("src/small.bin", data);
        proxy.resetCounters();
        storage.copy(location("src/small.bin"), location("dst/small.bin"));
        assertThat(proxy.bytesTransferred()).isLessThan(CONTROL_TRAFFIC_BYTES);
        assertThat(stored("dst/small.bin")).isEqualTo(data);
    }

    @Test
    void aboveTheThresholdCopyIsMultipartAndStillServerSide() {
        byte[] data = randomBytes(12 * MIB + 5, 12);
        put("src/big.bin", data);
        proxy.resetCounters();
        storage.copy(location("src/big.bin"), location("dst/big.bin"));
        assertThat(proxy.bytesTransferred()).isLessThan(CONTROL_TRAFFIC_BYTES);
        // HEAD, create, 3 x UploadPartCopy, complete
        assertThat(proxy.requests()).isEqualTo(6);
        assertThat(stored("dst/big.bin")).isEqualTo(data);
        assertThat(SERVER.client().headObject(b -> b.bucket(bucket).key("dst/big.bin")).eTag())
                .as("assembled from 3 copied parts").endsWith("-3\"");
    }

    @Test
    void loggingAnS3PrefixToAnS3ArtifactRootCopiesServerSide() throws IOException {
        byte[] features = randomBytes(6 * MIB, 13);
        byte[] config = "model: ridge\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        put("data/features/part-0.parquet", features);
        put("data/features/meta/config.yaml", config);
        ArtifactStore artifacts = new StorageArtifactStore(storage);
        String artifactRoot = "s3://" + bucket + "/mlruns/1/run1/artifacts";
        Location source = location("data/features");

        assertThat(artifacts.canCopyDirectly(source, artifactRoot)).isTrue();
        proxy.resetCounters();
        artifacts.copyDirectly(source, artifactRoot, "inputs");
        long directBytes = proxy.bytesTransferred();

        assertThat(directBytes).isLessThan(CONTROL_TRAFFIC_BYTES);
        assertThat(artifacts.list(artifactRoot, "inputs/features")).extracting(ArtifactEntry::path)
                .containsExactly("inputs/features/meta", "inputs/features/part-0.parquet");
        try (InputStream in = artifacts.open(artifactRoot, "inputs/features/part-0.parquet")) {
            assertThat(in.readAllBytes()).isEqualTo(features);
        }
        assertThat(stored("mlruns/1/run1/artifacts/inputs/features/meta/config.yaml")).isEqualTo(config);

        // the peer: stage through local disk, then upload (what a non-S3 artifact root gets)
        proxy.resetCounters();
        Path stagedCopy;
        try (StagedPath staged = storage.stage(source)) {
            stagedCopy = staged.path();
            artifacts.logFile(artifactRoot, staged.path(), "staged");
        }
        long stagedBytes = proxy.bytesTransferred();
        assertThat(stagedCopy).doesNotExist();
        assertThat(stagedBytes).isGreaterThan(2L * features.length);
        assertThat(stored("mlruns/1/run1/artifacts/staged/features/part-0.parquet")).isEqualTo(features);
    }

    @Test
    void copyOntoItselfKeepsTheObject() {
        byte[] data = randomBytes(1000, 14);
        put("same.bin", data);
        storage.copy(location("same.bin"), location("same.bin"));
        assertThat(stored("same.bin")).isEqualTo(data);
    }

    @Test
    void nonS3RootsAreNotDirectCopies() {
        ArtifactStore artifacts = new StorageArtifactStore(storage);
        assertThat(storage.copiesServerSide(location("a.bin"), Location.local(Path.of("/tmp/x")))).isFalse();
        assertThat(artifacts.canCopyDirectly(Location.local(Path.of("/tmp/a.bin")), "s3://" + bucket + "/root")).isFalse();
        assertThat(artifacts.canCopyDirectly(location("a.bin"), "mlflow-artifacts:/1/run/artifacts")).isFalse();
        assertThat(List.of(artifacts.supports("s3://" + bucket + "/root"), artifacts.supports("file:///tmp/root")))
                .containsExactly(true, false);
    }

    private Location location(String key) {
        return Location.of("s3://" + bucket + "/" + key);
    }

    private void put(String key, byte[] data) {
        SERVER.client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(data));
    }

    private byte[] stored(String key) {
        return SERVER.client().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

}
