package org.cropcast.storage.s3;

import org.cropcast.tracking.AbstractStorageContractTest;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.Storage;
import org.junit.jupiter.api.AfterEach;

/** Core's storage contract against {@link S3Storage} on S3Mock: 64 MiB multipart object, 1,500 keys (two listing pages). */
class TestS3StorageContract extends AbstractStorageContractTest {
    private static final S3MockServer SERVER = S3MockServer.shared();
    private static final String BUCKET = SERVER.createBucket("contract");
    private static int roots;

    private S3Storage s3;

    @Override
    protected Storage createStorage() {
        s3 = SERVER.storage();
        return s3;
    }

    @Override
    protected Location newRoot() {
        return Location.of("s3://" + BUCKET + "/root-" + (++roots));
    }

    @Override
    protected int largeObjectBytes() {
        return 64 * 1024 * 1024;
    }

    @Override
    protected int manyKeysCount() {
        return 1_500;
    }

    @AfterEach
    void closeStorage() {
        if (s3 != null) {
            s3.close();
        }
    }
}
