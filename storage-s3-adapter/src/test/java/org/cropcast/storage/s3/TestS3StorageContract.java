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

    /**
     * S3Mock 5.2.0 honours {@code If-None-Match: *} on PutObject (412 when the key exists), but
     * checks it without a lock: of 8 concurrent conditional PUTs to a fresh key several succeed
     * (7 in one run here). AWS S3 documents the check as atomic (a concurrent conditional write
     * gets 412 or 409). So the concurrent case cannot be proven on S3Mock; see docs/S3.md.
     */
    @Override
    protected boolean createIfAbsentAtomicUnderConcurrency() {
        return false;
    }

    @AfterEach
    void closeStorage() {
        if (s3 != null) {
            s3.close();
        }
    }
}
