package org.cropcast.storage.s3;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.Location;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * A streamed upload. Bytes are collected in one in-memory part buffer (growing up to the part
 * size, so small files stay small); a file that fits in one part is sent with one PutObject when
 * the stream closes, a larger one becomes a multipart upload, one UploadPart each time the buffer
 * fills, completed on close. The object appears only when {@link #close()} succeeds; after any
 * failure the multipart upload is aborted so no part is left behind. {@link #discard()} (used by
 * {@link S3Storage#write} when the writer fails) aborts instead of completing: no object, no
 * dangling upload, the previous object untouched. Each part is a repeatable
 * body, so the SDK's retry strategy can resend it after a 503 or a dropped connection.
 *
 * <p>Why not the SDK's transfer manager or multipart-enabled client: both need the async client
 * ({@code S3AsyncClient}, Netty or CRT), which this adapter excludes to stay sync-only and small.
 */
final class S3OutputStream extends OutputStream {
    private static final Logger log = LoggerFactory.getLogger(S3OutputStream.class);
    private static final int INITIAL_BUFFER = 64 * 1024;
    /** Part size doubles every this many parts, so a stream of unknown length can pass 10,000 parts. */
    private static final int PARTS_PER_SIZE_STEP = 1000;

    private final S3Client client;
    private final Location location;
    private final int basePartSize;
    private final int maxPartSize;
    private final List<CompletedPart> parts = new ArrayList<>();
    private byte[] buffer = new byte[INITIAL_BUFFER];
    private int count;
    private String uploadId;
    private boolean closed;
    private boolean failed;

    S3OutputStream(S3Client client, Location location, long partSize) {
        this.client = requireNonNull(client, "client is null");
        this.location = requireNonNull(location, "location is null");
        this.basePartSize = Math.toIntExact(partSize);
        this.maxPartSize = Math.toIntExact(S3StorageConfig.MAX_UPLOAD_BUFFER);
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        if (count == currentPartSize()) {
            uploadPart();
        }
        ensureCapacity(count + 1);
        buffer[count++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        ensureOpen();
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        while (length > 0) {
            if (count == currentPartSize()) {
                uploadPart();
            }
            int chunk = Math.min(length, currentPartSize() - count);
            ensureCapacity(count + chunk);
            System.arraycopy(bytes, offset, buffer, count, chunk);
            count += chunk;
            offset += chunk;
            length -= chunk;
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (failed) {
            abort(null);
            return;
        }
        try {
            if (uploadId == null) {
                client.putObject(b -> b.bucket(location.bucket()).key(location.key()), body());
            } else {
                if (count > 0) {
                    uploadPart();
                }
                List<CompletedPart> completed = List.copyOf(parts);
                client.completeMultipartUpload(b -> b.bucket(location.bucket()).key(location.key())
                        .uploadId(uploadId).multipartUpload(m -> m.parts(completed)));
                log.debug("completed multipart upload of {} in {} parts", location, completed.size());
            }
        } catch (SdkException e) {
            CropcastException error = S3Errors.translate(e, "write", location);
            abort(error);
            throw error;
        } catch (CropcastException e) {
            abort(e);
            throw e;
        } finally {
            buffer = new byte[0];
        }
    }

    /** Closes without publishing: the multipart upload, if one was started, is aborted. Idempotent. */
    void discard() {
        if (closed) {
            return;
        }
        closed = true;
        buffer = new byte[0];
        abort(null);
    }

    private void uploadPart() {
        try {
            if (uploadId == null) {
                uploadId = client.createMultipartUpload(b -> b.bucket(location.bucket()).key(location.key())).uploadId();
            }
            int partNumber = parts.size() + 1;
            String eTag = client.uploadPart(b -> b.bucket(location.bucket()).key(location.key())
                    .uploadId(uploadId).partNumber(partNumber).contentLength((long) count), body()).eTag();
            parts.add(CompletedPart.builder().partNumber(partNumber).eTag(eTag).build());
            count = 0;
        } catch (SdkException e) {
            failed = true;
            CropcastException error = S3Errors.translate(e, "write", location);
            abort(error);
            throw error;
        }
    }

    private RequestBody body() {
        byte[] bytes = buffer;
        int length = count;
        // repeatable: every retry of the request reads the part buffer from the start
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length,
                "application/octet-stream");
    }

    private int currentPartSize() {
        int steps = Math.min(parts.size() / PARTS_PER_SIZE_STEP, 30);
        long size = (long) basePartSize << steps;
        return (int) Math.min(size, maxPartSize);
    }

    private void ensureCapacity(int needed) {
        if (needed > buffer.length) {
            int size = (int) Math.min(Math.max((long) buffer.length * 2, needed), currentPartSize());
            buffer = Arrays.copyOf(buffer, size);
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("stream to " + location + " is closed");
        }
        if (failed) {
            throw new IOException("an earlier upload to " + location + " failed");
        }
    }

    private void abort(Exception primary) {
        failed = true;
        if (uploadId == null) {
            return;
        }
        String id = uploadId;
        uploadId = null;
        try {
            client.abortMultipartUpload(b -> b.bucket(location.bucket()).key(location.key()).uploadId(id));
        } catch (SdkException e) {
            log.warn("could not abort the multipart upload to {}: {}", location, e.getMessage());
            if (primary != null) {
                primary.addSuppressed(e);
            }
        }
    }
}
