package org.cropcast.storage.s3;

import java.util.UUID;
import org.cropcast.tracking.AbstractArtifactStoreContractTest;
import org.cropcast.tracking.ArtifactStore;
import org.cropcast.tracking.StorageArtifactStore;
import org.junit.jupiter.api.AfterEach;

/** Core's artifact-store contract for {@code s3://} artifact roots (core's StorageArtifactStore over S3Storage). */
class TestS3ArtifactStoreContract extends AbstractArtifactStoreContractTest {
    private static final S3MockServer SERVER = S3MockServer.shared();
    private static final String BUCKET = SERVER.createBucket("artifacts");

    private S3Storage s3;

    @Override
    protected ArtifactStore createArtifactStore() {
        s3 = SERVER.storage();
        return new StorageArtifactStore(s3);
    }

    @Override
    protected String newArtifactRoot() {
        return "s3://" + BUCKET + "/1/" + UUID.randomUUID().toString().replace("-", "") + "/artifacts";
    }

    @AfterEach
    void closeStorage() {
        if (s3 != null) {
            s3.close();
        }
    }
}
