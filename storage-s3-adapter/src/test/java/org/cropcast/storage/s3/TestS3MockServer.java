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
}
