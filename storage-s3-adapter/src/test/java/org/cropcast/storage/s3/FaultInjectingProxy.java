package org.cropcast.storage.s3;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback HTTP proxy for tests, between the SDK and an S3-compatible server. It passes
 * requests through (one per connection: it asks the server to close after each response) and
 * counts the bytes in each direction, and on demand it injects faults:
 * <ul>
 *   <li>{@link #slowDownNext}: the next requests are answered {@code 503 SlowDown} without
 *       reaching the server (S3's throttling answer); {@link #answerNext} for other errors
 *       (for example {@code 403 AccessDenied}, which S3Mock never answers);</li>
 *   <li>{@link #dropNext}: the next requests of one method reach the server, which handles them,
 *       but the connection is reset after a given number of response bytes (0: before any).</li>
 * </ul>
 * It answers {@code Expect: 100-continue} itself, so the server sees plain requests and a dropped
 * response always comes after the server did the work.
 */
public final class FaultInjectingProxy implements AutoCloseable {
    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};
    private static final int MAX_HEAD = 64 * 1024;

    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fault-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong bytesFromClient = new AtomicLong();
    private final AtomicLong bytesToClient = new AtomicLong();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger errorsLeft = new AtomicInteger();
    private volatile int errorStatus;
    private volatile String errorCode = "";
    private final AtomicInteger dropsLeft = new AtomicInteger();
    private final AtomicInteger faultsInjected = new AtomicInteger();
    private volatile String dropMethod = "";
    private volatile long dropAfterBytes;

    private FaultInjectingProxy(ServerSocket server, InetSocketAddress upstream) {
        this.server = server;
        this.upstream = upstream;
    }

    /** Starts a proxy on a free loopback port in front of {@code upstream} (http://host:port). */
    public static FaultInjectingProxy start(URI upstream) {
        try {
            ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            FaultInjectingProxy proxy = new FaultInjectingProxy(socket,
                    new InetSocketAddress(upstream.getHost(), upstream.getPort()));
            proxy.threads.execute(proxy::acceptLoop);
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** The next {@code count} requests get {@code 503 SlowDown}. */
    public void slowDownNext(int count) {
        answerNext(count, 503, "SlowDown");
    }

    /** The next {@code count} requests get an S3 error answer with this status and code, without reaching the server. */
    public void answerNext(int count, int status, String code) {
        errorStatus = status;
        errorCode = code;
        errorsLeft.set(count);
    }

    /** The next {@code count} requests with this method are handled by the server, then their connection is reset after {@code afterResponseBytes} bytes of response. */
    public void dropNext(int count, String method, long afterResponseBytes) {
        dropMethod = method.toUpperCase(Locale.ROOT);
        dropAfterBytes = afterResponseBytes;
        dropsLeft.set(count);
    }

    public long bytesFromClient() {
        return bytesFromClient.get();
    }

    public long bytesToClient() {
        return bytesToClient.get();
    }

    /** Bytes in both directions, HTTP heads included. */
    public long bytesTransferred() {
        return bytesFromClient() + bytesToClient();
    }

    public int requests() {
        return requests.get();
    }

    public int faultsInjected() {
        return faultsInjected.get();
    }

    public void resetCounters() {
        bytesFromClient.set(0);
        bytesToClient.set(0);
        requests.set(0);
        faultsInjected.set(0);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                threads.execute(() -> handle(client));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private void handle(Socket client) {
        try (client; Socket up = new Socket()) {
            InputStream clientIn = new BufferedInputStream(client.getInputStream());
            OutputStream clientOut = client.getOutputStream();
            byte[] head = readHead(clientIn);
            if (head.length == 0) {
                return;
            }
            requests.incrementAndGet();
            bytesFromClient.addAndGet(head.length);
            String text = new String(head, StandardCharsets.ISO_8859_1);
            String method = text.substring(0, Math.max(0, text.indexOf(' ')));
            if (take(errorsLeft)) {
                faultsInjected.incrementAndGet();
                writeError(clientOut);
                return;
            }
            boolean drop = method.equalsIgnoreCase(dropMethod) && take(dropsLeft);
            boolean expectContinue = text.toLowerCase(Locale.ROOT).contains("\r\nexpect: 100-continue");
            up.connect(upstream);
            OutputStream upOut = up.getOutputStream();
            upOut.write(rewriteHead(text).getBytes(StandardCharsets.ISO_8859_1));
            upOut.flush();
            if (expectContinue) {
                byte[] proceed = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
                clientOut.write(proceed);
                clientOut.flush();
                bytesToClient.addAndGet(proceed.length);
            }
            threads.execute(() -> pump(clientIn, upOut, bytesFromClient, Long.MAX_VALUE));
            long limit = drop ? dropAfterBytes : Long.MAX_VALUE;
            boolean cut = pump(up.getInputStream(), clientOut, bytesToClient, limit);
            if (cut) {
                faultsInjected.incrementAndGet();
                client.setSoLinger(true, 0); // close with a reset, as a dropped connection does
            }
        } catch (IOException e) {
            // a peer went away; the SDK sees it as a connection error, which is the point
        }
    }

    /** Copies until EOF or until {@code limit} bytes went through; returns true if cut at the limit. */
    private static boolean pump(InputStream in, OutputStream out, AtomicLong counter, long limit) {
        byte[] buffer = new byte[64 * 1024];
        long sent = 0;
        try {
            while (true) {
                int n = in.read(buffer);
                if (n < 0) {
                    return false;
                }
                int allowed = (int) Math.min(n, limit - sent);
                if (allowed > 0) {
                    out.write(buffer, 0, allowed);
                    out.flush();
                    sent += allowed;
                    counter.addAndGet(allowed);
                }
                if (allowed < n) {
                    return true;
                }
            }
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean take(AtomicInteger left) {
        return left.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < HEAD_END.length) {
            int b = in.read();
            if (b < 0) {
                return new byte[0];
            }
            head.write(b);
            matched = b == HEAD_END[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > MAX_HEAD) {
                throw new IOException("request head too long");
            }
        }
        return head.toByteArray();
    }

    /** One request per connection, and no 100-continue handshake with the server. */
    private static String rewriteHead(String head) {
        StringBuilder out = new StringBuilder();
        for (String line : head.substring(0, head.length() - 4).split("\r\n")) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("connection:") || lower.startsWith("expect:")) {
                continue;
            }
            out.append(line).append("\r\n");
        }
        return out.append("Connection: close\r\n\r\n").toString();
    }

    private void writeError(OutputStream out) throws IOException {
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + errorCode + "</Code>"
                + "<Message>injected by the test proxy</Message><RequestId>fault-proxy</RequestId></Error>")
                .getBytes(StandardCharsets.UTF_8);
        byte[] head = ("HTTP/1.1 " + errorStatus + " Injected\r\nContent-Type: application/xml\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        out.write(head);
        out.write(body);
        out.flush();
        bytesToClient.addAndGet(head.length + body.length);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            threads.shutdownNow();
        }
    }
}
