package org.cropcast.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The test fixture itself: reachable on loopback, and only there. */
class TestS3MockServer {
    private static final S3MockServer SERVER = S3MockServer.shared();

    @Test
    void listensOnLoopbackOnly() throws IOException {
        int port = SERVER.endpoint().getPort();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
            assertThat(socket.isConnected()).isTrue();
        }
        List<InetAddress> others = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> !address.isLoopbackAddress() && !address.isLinkLocalAddress())
                .toList();
        for (InetAddress address : others) {
            assertThatThrownBy(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(address, port), 2_000);
                }
            }).as("port %d on %s", port, address).isInstanceOf(IOException.class);
        }
        assertThat(SERVER.client().listBuckets().buckets()).isNotNull();
    }

    /*
     * Canaries: S3Mock 5.2.0 behaviours that differ from AWS S3 and shape the storage tests. If one
     * fails after an S3Mock upgrade, strengthen the test its comment names.
     */

    /** AWS keeps the existing object; S3Mock drops the key (TestS3StorageFaults#writerFailingAfterAPartWentUpAbortsTheUpload). */
    @Test
    void abortMultipartUploadRemovesTheExistingKey() {
        S3Client client = SERVER.client();
        String bucket = SERVER.createBucket("canary-abort");
        client.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("previous"));
        String uploadId = client.createMultipartUpload(b -> b.bucket(bucket).key("k")).uploadId();
        client.uploadPart(b -> b.bucket(bucket).key("k").uploadId(uploadId).partNumber(1), RequestBody.fromBytes(new byte[5 << 20]));
        assertThat(client.listObjectsV2(b -> b.bucket(bucket)).contents()).hasSize(1);
        client.abortMultipartUpload(b -> b.bucket(bucket).key("k").uploadId(uploadId));
        assertThat(client.listObjectsV2(b -> b.bucket(bucket)).contents()).as("S3Mock 5.2.0 removes the key on abort").isEmpty();
    }

    /** Sequential conditional writes are honoured (S3Storage#createIfAbsent relies on it). */
    @Test
    void putObjectIfNoneMatchAnswers412WhenTheKeyExists() {
        S3Client client = SERVER.client();
        String bucket = SERVER.createBucket("canary-if-none-match");
        client.putObject(b -> b.bucket(bucket).key("k").ifNoneMatch("*"), RequestBody.fromString("first"));
        assertThatThrownBy(() -> client.putObject(b -> b.bucket(bucket).key("k").ifNoneMatch("*"), RequestBody.fromString("second")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        assertThat(client.getObjectAsBytes(b -> b.bucket(bucket).key("k")).asUtf8String()).isEqualTo("first");
    }
}
