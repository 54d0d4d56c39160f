package org.cropcast.tracking.mlflow;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy on 127.0.0.1 (a random port) in front of a real {@code mlflow server}, for tests
 * of what a client does when the way to the server misbehaves: every request is forwarded unless
 * its {@link Rule} answers it itself (a refusal) or drops the server's answer after the server
 * acted (a lost answer). Shared by the REST adapter's tests and the command line's.
 */
public final class ForwardingProxy implements AutoCloseable {
    /** What the proxy does with one request (method and path, such as {@code POST /api/2.0/mlflow/runs/create}). */
    public interface Rule {
        /** An answer given instead of forwarding the request, or empty to forward it. */
        default Optional<Refusal> refuse(String method, String path) {
            return Optional.empty();
        }

        /** True to close the connection instead of passing on the server's answer (the server has acted). */
        default boolean dropAnswer(String method, String path) {
            return false;
        }
    }

    /** An error answer in MLflow's JSON shape. */
    public record Refusal(int status, String errorCode, String message) {
        byte[] body() {
            return ("{\"error_code\": \"" + errorCode + "\", \"message\": \"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
        }
    }

    /** 403 PERMISSION_DENIED to every registry write, as an auth-enabled MLflow answers a user without the permission. */
    public static Rule refusingRegistryWrites() {
        return new Rule() {
            @Override
            public Optional<Refusal> refuse(String method, String path) {
                boolean registryWrite = !method.equals("GET") && (path.contains("/registered-models/") || path.contains("/model-versions/"));
                return registryWrite ? Optional.of(new Refusal(403, "PERMISSION_DENIED", "Permission denied")) : Optional.empty();
            }
        };
    }

    /** Drops the answers of the first {@code dropped} {@code POST}s to a path ending in {@code suffix}; {@code seen} counts them all. */
    public static Rule droppingFirstAnswers(String suffix, int dropped, AtomicInteger seen) {
        requireNonNull(suffix, "suffix is null");
        return new Rule() {
            @Override
            public boolean dropAnswer(String method, String path) {
                return method.equals("POST") && path.endsWith(suffix) && seen.incrementAndGet() <= dropped;
            }
        };
    }

    private final HttpServer server;

    private ForwardingProxy(HttpServer server) {
        this.server = server;
    }

    /** Starts a proxy to {@code target} (a base URI such as {@code http://127.0.0.1:5000}). */
    public static ForwardingProxy start(String target, Rule rule) throws IOException {
        requireNonNull(rule, "rule is null");
        HttpClient http = HttpClient.newHttpClient();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", (HttpExchange exchange) -> {
            try {
                String method = exchange.getRequestMethod();
                String path = exchange.getRequestURI().getPath();
                Optional<Refusal> refusal = rule.refuse(method, path);
                if (refusal.isPresent()) {
                    byte[] body = refusal.get().body();
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    send(exchange, refusal.get().status(), body);
                    return;
                }
                byte[] body = exchange.getRequestBody().readAllBytes();
                HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                        .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
                String type = exchange.getRequestHeaders().getFirst("Content-Type");
                if (type != null) {
                    forward.header("Content-Type", type);
                }
                HttpResponse<byte[]> answer = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
                if (rule.dropAnswer(method, path)) {
                    exchange.close(); // the server acted; its answer never reaches the client
                    return;
                }
                answer.headers().firstValue("Content-Type").ifPresent(v -> exchange.getResponseHeaders().add("Content-Type", v));
                send(exchange, answer.statusCode(), answer.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.close();
            } catch (IOException | RuntimeException e) {
                exchange.close();
            }
        });
        server.start();
        return new ForwardingProxy(server);
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** The proxy's base URI, to use as a tracking URI. */
    public String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
