package org.cropcast.storage.s3;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import org.cropcast.tracking.Location;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * A streamed read of one object. The SDK retries a GetObject until its response headers arrive;
 * a connection that breaks while the body streams is beyond its reach (the sync client hands the
 * open body to the caller). This stream resumes there: it re-requests the rest of the object with
 * a {@code Range} from the current position and {@code If-Match} on the first response's ETag (so
 * a concurrent overwrite fails instead of splicing two versions), up to the configured number of
 * attempts. Each re-request itself goes through the SDK's retry strategy.
 */
final class S3InputStream extends InputStream {
    private static final Logger log = LoggerFactory.getLogger(S3InputStream.class);

    private final S3Client client;
    private final Location location;
    private final int maxResumes;
    private final long length;
    private final String eTag;
    private ResponseInputStream<GetObjectResponse> in;
    private long position;
    private int resumes;
    private boolean closed;

    S3InputStream(S3Client client, Location location, int maxResumes) {
        this.client = requireNonNull(client, "client is null");
        this.location = requireNonNull(location, "location is null");
        this.maxResumes = maxResumes;
        try {
            this.in = client.getObject(b -> b.bucket(location.bucket()).key(location.key()));
        } catch (SdkException e) {
            throw S3Errors.translate(e, "read", location);
        }
        GetObjectResponse response = in.response();
        this.length = response.contentLength() == null ? -1 : response.contentLength();
        this.eTag = response.eTag();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int len) throws IOException {
        if (closed) {
            throw new IOException("stream from " + location + " is closed");
        }
        if (len == 0) {
            return 0;
        }
        while (true) {
            try {
                int n = in.read(bytes, offset, len);
                if (n > 0) {
                    position += n;
                } else if (n < 0 && length >= 0 && position < length) {
                    throw new IOException("connection ended after " + position + " of " + length + " bytes");
                }
                return n;
            } catch (IOException e) {
                resume(e);
            }
        }
    }

    private void resume(IOException failure) throws IOException {
        if (resumes >= maxResumes || length < 0 || eTag == null) {
            throw new IOException("reading " + location + " failed at byte " + position + ": " + failure.getMessage(), failure);
        }
        resumes++;
        log.debug("resuming read of {} at byte {} after: {}", location, position, failure.toString());
        in.abort();
        try {
            long from = position;
            in = client.getObject(b -> b.bucket(location.bucket()).key(location.key())
                    .range("bytes=" + from + "-").ifMatch(eTag));
        } catch (SdkException e) {
            IOException io = new IOException("reading " + location + " failed at byte " + position
                    + " and could not resume: " + S3Errors.translate(e, "read", location).getMessage(), e);
            io.addSuppressed(failure);
            throw io;
        }
    }

    @Override
    public int available() throws IOException {
        return closed ? 0 : in.available();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (length < 0 || position < length) {
            // do not drain the rest of a large object just to reuse the connection
            in.abort();
        }
        in.close();
    }
}
