package org.cropcast.tracking.mlflow;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.BoundedReads;
import org.cropcast.tracking.Redactor;
import org.mlflow_project.google.protobuf.InvalidProtocolBufferException;
import org.mlflow_project.google.protobuf.Message;
import org.mlflow_project.google.protobuf.MessageOrBuilder;
import org.mlflow_project.google.protobuf.Struct;
import org.mlflow_project.google.protobuf.Value;
import org.mlflow_project.google.protobuf.util.JsonFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the REST adapter: one tracking server, its credentials, retries and the
 * translation of its answers into {@link CropcastException}s.
 *
 * <p>Why not {@code org.mlflow.tracking.MlflowClient}: its package-private {@code MlflowHttpCaller}
 * retries 4xx and 5xx immediately without backoff, does not retry I/O errors (a restarting server),
 * ignores {@code Retry-After}, has no configurable timeouts, reads no credentials from the
 * environment for http(s) URIs and cannot stream an upload. So requests go through the JDK's
 * {@link HttpClient} with Failsafe retries, and bodies are mlflow-client's protobuf messages in
 * their JSON form (the client's own bundled {@link JsonFormat}).
 */
final class MlflowRestClient {
    private static final Logger log = LoggerFactory.getLogger(MlflowRestClient.class);
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().preservingProtoFieldNames().omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final int ERROR_BODY_LIMIT = 64 * 1024;
    /** The largest JSON answer buffered: a search page of 1000 runs with their data is a few MiB. */
    static final int ANSWER_LIMIT = 64 << 20;
    private static final Duration RETRY_AFTER_LIMIT = Duration.ofSeconds(60);
    private static final String USER_AGENT = "cropcast-mlflow-rest";

    private final URI server;
    private final String shownUri;
    private final MlflowRestSettings settings;
    private final HttpClient http;

    /** An answer from the server that is not a success: HTTP status and MLflow's error_code and message. */
    record ApiError(int status, String errorCode, String message) {}

    /**
     * Either a value or the server's error; {@code retried} when the call took more than one
     * attempt, so an earlier attempt may have reached the server although its answer was lost.
     */
    record Result<T>(Optional<T> value, Optional<ApiError> error, boolean retried) {
        static <T> Result<T> ok(T value, boolean retried) {
            return new Result<>(Optional.of(value), Optional.empty(), retried);
        }

        static <T> Result<T> failed(ApiError error, boolean retried) {
            return new Result<>(Optional.empty(), Optional.of(error), retried);
        }
    }

    private record Reply(int status, java.net.http.HttpHeaders headers, Optional<InputStream> body, String errorBody, int attempts) {
        boolean success() {
            return status / 100 == 2;
        }

        boolean retried() {
            return attempts > 1;
        }
    }

    MlflowRestClient(URI server, MlflowRestSettings settings) {
        this.server = requireNonNull(server, "server is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.shownUri = Redactor.redact(server.toString());
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        if (settings.insecureTls()) {
            builder.sslContext(trustAllContext());
        }
        this.http = builder.build();
    }

    /**
     * Parses and checks a tracking URI: http or https, a host, no credentials, no query. The
     * result has no trailing '/'.
     */
    static URI parseTrackingUri(String trackingUri) {
        requireNonNull(trackingUri, "trackingUri is null");
        String shown = Redactor.truncateForMessage(Redactor.redact(trackingUri));
        URI uri;
        try {
            uri = new URI(trackingUri.trim());
        } catch (URISyntaxException e) {
            throw new CropcastException(MlflowRestErrorCode.INVALID_TRACKING_URI,
                    "invalid tracking URI '" + shown + "': " + e.getReason());
        }
        String scheme = Optional.ofNullable(uri.getScheme()).map(s -> s.toLowerCase(Locale.ROOT)).orElse("");
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new CropcastException(MlflowRestErrorCode.INVALID_TRACKING_URI,
                    "invalid tracking URI '" + shown + "': the MLflow tracking-server adapter serves http:// and https:// URIs");
        }
        if (uri.getRawUserInfo() != null) {
            throw new CropcastException(MlflowRestErrorCode.INVALID_TRACKING_URI,
                    "invalid tracking URI '" + shown + "': credentials do not belong in the URI; set "
                            + MlflowRestSettings.USERNAME + "/" + MlflowRestSettings.PASSWORD + " or " + MlflowRestSettings.TOKEN);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new CropcastException(MlflowRestErrorCode.INVALID_TRACKING_URI,
                    "invalid tracking URI '" + shown + "': it has no host");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new CropcastException(MlflowRestErrorCode.INVALID_TRACKING_URI,
                    "invalid tracking URI '" + shown + "': query strings and fragments are not allowed");
        }
        String path = Optional.ofNullable(uri.getRawPath()).orElse("");
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return URI.create(scheme + "://" + uri.getRawAuthority() + path);
    }

    URI server() {
        return server;
    }

    /** The server URI as it may appear in messages. */
    String shownUri() {
        return shownUri;
    }

    MlflowRestSettings settings() {
        return settings;
    }

    // ---- JSON API calls ----

    <B extends Message.Builder> B post(String apiPath, MessageOrBuilder request, B response) {
        return orThrow("POST " + apiPath, tryPost(apiPath, request, response));
    }

    <B extends Message.Builder> Result<B> tryPost(String apiPath, MessageOrBuilder request, B response) {
        String json = toJson(request);
        return exchange("POST " + apiPath, () -> requestTo(apiPath, Map.of())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, UTF_8)), response);
    }

    <B extends Message.Builder> B get(String apiPath, Map<String, String> query, B response) {
        return orThrow("GET " + apiPath, tryGet(apiPath, query, response));
    }

    <B extends Message.Builder> Result<B> tryGet(String apiPath, Map<String, String> query, B response) {
        return exchange("GET " + apiPath, () -> requestTo(apiPath, query).GET(), response);
    }

    /**
     * A JSON call whose body and answer are plain JSON text (for MLflow 3 endpoints mlflow-client has
     * no protobuf types for); {@code body} empty for a GET or DELETE without body. The answer's text,
     * or the server's error.
     */
    Result<String> tryJson(String method, String apiPath, Map<String, String> query, Optional<String> body) {
        String operation = method + " " + apiPath;
        Reply reply = send(operation, () -> {
            HttpRequest.Builder builder = requestTo(apiPath, query);
            if (body.isPresent()) {
                builder.header("Content-Type", "application/json");
                return builder.method(method, HttpRequest.BodyPublishers.ofString(body.get(), UTF_8));
            }
            return builder.method(method, HttpRequest.BodyPublishers.noBody());
        }, true);
        if (!reply.success()) {
            return Result.failed(checkedError(operation, reply), reply.retried());
        }
        try (InputStream in = reply.body().orElseThrow()) {
            String text = new String(in.readAllBytes(), UTF_8);
            return Result.ok(text.isBlank() ? "{}" : text, reply.retried());
        } catch (IOException e) {
            throw ioFailure(operation, e, 1);
        }
    }

    /** The JSON form MLflow's server accepts (proto field names), also used to size batches. */
    static String toJson(MessageOrBuilder message) {
        try {
            return PRINTER.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new CropcastException(org.cropcast.tracking.TrackingErrorCode.INTERNAL_ERROR,
                    "cannot write " + message.getClass().getSimpleName() + " as JSON: " + e.getMessage(), e);
        }
    }

    private <B extends Message.Builder> Result<B> exchange(String operation, Supplier<HttpRequest.Builder> request, B response) {
        Reply reply = send(operation, request, true);
        if (!reply.success()) {
            return Result.failed(checkedError(operation, reply), reply.retried());
        }
        String body;
        try (InputStream in = reply.body().orElseThrow()) {
            body = new String(in.readAllBytes(), UTF_8); // already bounded by sendOnce
        } catch (IOException e) {
            throw ioFailure(operation, e, 1);
        }
        try {
            PARSER.merge(body.isBlank() ? "{}" : body, response);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new CropcastException(MlflowRestErrorCode.NOT_AN_MLFLOW_SERVER,
                    shownUri + ": " + operation + " answered something that is not MLflow's JSON ("
                            + Redactor.truncateForMessage(abbreviate(body)) + ")", e);
        }
        return Result.ok(response, reply.retried());
    }

    // ---- raw calls (artifacts) ----

    /** An open 2xx answer: its body (to close) and headers. */
    record Opened(InputStream body, java.net.http.HttpHeaders headers) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    /** Sends a request built fresh for each attempt; a non-2xx answer becomes a {@link CropcastException}. */
    Opened open(String operation, Supplier<HttpRequest.Builder> request) {
        return orThrow(operation, tryOpen(operation, request));
    }

    /** Like {@link #open} but returns the server's error for the caller to interpret. */
    Result<Opened> tryOpen(String operation, Supplier<HttpRequest.Builder> request) {
        Reply reply = send(operation, request, false);
        if (!reply.success()) {
            return Result.failed(checkedError(operation, reply), reply.retried());
        }
        return Result.ok(new Opened(reply.body().orElseThrow(), reply.headers()), reply.retried());
    }

    /** A request to a path under the tracking URI ({@code /api/2.0/...}), with the credentials. */
    HttpRequest.Builder requestTo(String apiPath, Map<String, String> query) {
        StringJoiner q = new StringJoiner("&");
        query.forEach((k, v) -> q.add(URLEncoder.encode(k, UTF_8) + "=" + URLEncoder.encode(v, UTF_8)));
        String text = server + apiPath + (query.isEmpty() ? "" : "?" + q);
        return request(URI.create(text), true);
    }

    /** A request to any URI; the credentials are added only when it is this server. */
    HttpRequest.Builder request(URI uri, boolean withCredentials) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(settings.requestTimeout())
                .header("User-Agent", USER_AGENT);
        if (withCredentials) {
            settings.authorization().ifPresent(value -> builder.header("Authorization", value));
        }
        return builder;
    }

    /**
     * Sends with retries: I/O errors (connection refused while a server restarts, resets,
     * timeouts), 408, 429 and 5xx (but not 501) are retried with exponential backoff and jitter,
     * honouring {@code Retry-After}, until {@link MlflowRestSettings#maxRetries()} or
     * {@link MlflowRestSettings#retryMaxDuration()} runs out. Unknown hosts and TLS failures are not
     * retried. Returns the last reply; throws for the last I/O error. With {@code buffered} a 2xx
     * body is read within the attempt, so a connection lost while reading it is retried too.
     */
    private Reply send(String operation, Supplier<HttpRequest.Builder> request, boolean buffered) {
        RetryPolicy<Reply> policy = RetryPolicy.<Reply>builder()
                .handle(IOException.class)
                .abortOn(MlflowRestClient::permanentIoFailure)
                .handleResultIf(MlflowRestClient::retryable)
                .withBackoff(settings.initialBackoff(), settings.maxBackoff(), 2.0)
                .withJitter(0.25)
                .withDelayFn(context -> retryAfter(context.getLastResult()))
                .withMaxRetries(settings.maxRetries())
                .withMaxDuration(settings.retryMaxDuration())
                .onRetryScheduled(event -> log.warn("{}: {} failed ({}); retry {} in {} ms", shownUri, operation,
                        event.getLastResult() != null ? "HTTP " + event.getLastResult().status()
                                : describe(event.getLastException()),
                        event.getAttemptCount(), event.getDelay().toMillis()))
                .build();
        int[] attempts = {0};
        try {
            return Failsafe.with(policy).get(() -> {
                attempts[0]++;
                return sendOnce(request.get().build(), buffered, attempts[0]);
            });
        } catch (FailsafeException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new CropcastException(MlflowRestErrorCode.INTERRUPTED, shownUri + ": " + operation + " was interrupted", cause);
            }
            if (cause instanceof IOException io) {
                throw ioFailure(operation, io, attempts[0]);
            }
            throw new CropcastException(MlflowRestErrorCode.UNEXPECTED_RESPONSE,
                    shownUri + ": " + operation + " failed: " + describe(cause), cause);
        } catch (UncheckedIOException e) {
            throw ioFailure(operation, e.getCause(), attempts[0]);
        }
    }

    private Reply sendOnce(HttpRequest request, boolean buffered, int attempt) throws IOException, InterruptedException {
        long started = System.nanoTime();
        // the JDK's request timeout ends when the headers are in; the body is read within what is left of it
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        int status = response.statusCode();
        if (status / 100 == 2) {
            if (buffered) {
                try (InputStream in = response.body(); Deadline deadline = new Deadline(in, started)) {
                    // an answer that never ends (or is far beyond any MLflow page) is refused, not buffered until the heap runs out
                    byte[] body = deadline.read(() -> BoundedReads.readAtMost(in, ANSWER_LIMIT, () -> new CropcastException(
                            MlflowRestErrorCode.NOT_AN_MLFLOW_SERVER, shownUri + ": " + request.method() + " " + request.uri().getPath()
                                    + " answered more than " + ANSWER_LIMIT / (1024 * 1024) + " MiB; that is not an MLflow answer")));
                    return new Reply(status, response.headers(), Optional.of(new java.io.ByteArrayInputStream(body)), "", attempt);
                }
            }
            return new Reply(status, response.headers(), Optional.of(response.body()), "", attempt);
        }
        try (InputStream in = response.body(); Deadline deadline = new Deadline(in, started)) {
            byte[] bytes = deadline.read(() -> in.readNBytes(ERROR_BODY_LIMIT));
            return new Reply(status, response.headers(), Optional.empty(), new String(bytes, UTF_8), attempt);
        }
    }

    /** Closes the stream of an answer's body when the attempt's request timeout has passed. */
    private static final java.util.concurrent.ScheduledExecutorService DEADLINES =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "cropcast-mlflow-answer-deadline");
                thread.setDaemon(true);
                return thread;
            });

    /**
     * The time bound of reading one answer's body: a server sending its body a byte at a time,
     * forever, would otherwise hold the call without end (the JDK's request timeout only covers
     * the wait for the headers). When the attempt's request timeout has passed, the body's stream
     * is closed, which ends a blocked read; the read then fails as a timeout (retried like one).
     */
    private final class Deadline implements AutoCloseable {
        private final java.util.concurrent.ScheduledFuture<?> closer;
        private volatile boolean expired;

        Deadline(InputStream in, long startedNanos) {
            long left = settings.requestTimeout().toNanos() - (System.nanoTime() - startedNanos);
            closer = DEADLINES.schedule(() -> {
                expired = true;
                try {
                    in.close();
                } catch (IOException e) {
                    // closing is all we can do
                }
            }, Math.max(left, 0), java.util.concurrent.TimeUnit.NANOSECONDS);
        }

        <T> T read(IoSupplier<T> body) throws IOException {
            try {
                T result = body.get();
                if (expired) {
                    throw timedOut();
                }
                return result;
            } catch (IOException e) {
                throw expired ? timedOut() : e;
            }
        }

        private HttpTimeoutException timedOut() {
            return new HttpTimeoutException("the answer's body did not arrive within the request timeout of "
                    + settings.requestTimeout().toSeconds() + " s (" + MlflowRestSettings.REQUEST_TIMEOUT + ")");
        }

        @Override
        public void close() {
            closer.cancel(false);
        }
    }

    @FunctionalInterface
    private interface IoSupplier<T> {
        T get() throws IOException;
    }

    private static boolean retryable(Reply reply) {
        int status = reply.status();
        if (status == 503 && servingDisabled(reply.errorBody())) {
            return false;
        }
        return status == 408 || status == 429 || (status >= 500 && status != 501);
    }

    /** The proxy's answers when the server runs with {@code --no-serve-artifacts} (Flask and FastAPI routes word it differently). */
    private static boolean servingDisabled(String body) {
        return body.contains("--no-serve-artifacts") || body.contains("Artifact serving is disabled");
    }

    private static boolean permanentIoFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SSLException || t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return true;
            }
        }
        return false;
    }

    /** The delay a 429 or 503 asks for ({@code Retry-After}: seconds or an HTTP date), else negative (use the backoff). */
    private static Duration retryAfter(Reply reply) {
        if (reply == null) {
            return Duration.ofMillis(-1);
        }
        Optional<String> header = reply.headers().firstValue("Retry-After");
        if (header.isEmpty()) {
            return Duration.ofMillis(-1);
        }
        String value = header.get().trim();
        Duration delay;
        try {
            delay = Duration.ofSeconds(Long.parseLong(value));
        } catch (NumberFormatException e) {
            try {
                delay = Duration.between(Instant.now(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException e2) {
                return Duration.ofMillis(-1);
            }
        }
        if (delay.isNegative()) {
            return Duration.ZERO;
        }
        return delay.compareTo(RETRY_AFTER_LIMIT) > 0 ? RETRY_AFTER_LIMIT : delay;
    }

    // ---- errors ----

    /** Reads MLflow's {@code {"error_code": ..., "message": ...}} body, or keeps the text. */
    private ApiError checkedError(String operation, Reply reply) {
        String body = reply.errorBody();
        String errorCode = "";
        String message = body;
        if (body.trim().startsWith("{")) {
            try {
                Struct.Builder struct = Struct.newBuilder();
                PARSER.merge(body, struct);
                Map<String, Value> fields = struct.getFieldsMap();
                errorCode = Optional.ofNullable(fields.get("error_code")).map(Value::getStringValue).orElse("");
                message = Optional.ofNullable(fields.get("message")).or(() -> Optional.ofNullable(fields.get("detail")))
                        .map(Value::getStringValue).orElse(body);
            } catch (InvalidProtocolBufferException | RuntimeException e) {
                log.debug("{}: {} answered HTTP {} with a body that is not JSON", shownUri, operation, reply.status());
            }
        }
        return new ApiError(reply.status(), errorCode, abbreviate(message));
    }

    /** The generic translation of a server error (callers handle the errors they expect first). */
    CropcastException failure(String operation, ApiError error) {
        String said = "HTTP " + error.status() + (error.errorCode().isEmpty() ? "" : " " + error.errorCode())
                + (error.message().isBlank() ? "" : ": " + error.message());
        String prefix = shownUri + ": " + operation + " failed with " + said;
        int status = error.status();
        if (status == 401) {
            return new CropcastException(MlflowRestErrorCode.AUTHENTICATION_FAILED,
                    shownUri + ": authentication failed (" + said + "); cropcast sent " + settings.describeCredentials());
        }
        if (status == 403) {
            return new CropcastException(MlflowRestErrorCode.PERMISSION_DENIED,
                    shownUri + ": permission denied for " + operation + " (" + said + "); cropcast sent " + settings.describeCredentials());
        }
        if (status == 503 && servingDisabled(error.message())) {
            return new CropcastException(MlflowRestErrorCode.ARTIFACT_SERVING_DISABLED,
                    shownUri + ": the server runs with --no-serve-artifacts, so it cannot serve mlflow-artifacts: URIs ("
                            + operation + "); restart it with --serve-artifacts or use an s3:// artifact root");
        }
        if (status == 404 && (error.errorCode().isEmpty() || error.errorCode().equals("ENDPOINT_NOT_FOUND"))) {
            return new CropcastException(MlflowRestErrorCode.NOT_AN_MLFLOW_SERVER,
                    shownUri + ": " + operation + " is not served (" + said + "); is this the URI of an MLflow tracking server?");
        }
        if (status == 429) {
            return new CropcastException(MlflowRestErrorCode.RATE_LIMITED, prefix + " (still rate-limited after retries)");
        }
        if (status >= 500) {
            return new CropcastException(MlflowRestErrorCode.SERVER_ERROR, prefix);
        }
        return new CropcastException(MlflowRestErrorCode.REQUEST_REJECTED, prefix);
    }

    private CropcastException ioFailure(String operation, IOException e, int attempts) {
        String tries = attempts > 1 ? " after " + attempts + " attempts" : "";
        String prefix = shownUri + ": " + operation + " failed" + tries + ": ";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return new CropcastException(MlflowRestErrorCode.TLS_FAILURE, prefix + "TLS failure (" + describe(t)
                        + "); check the certificate, the scheme (https vs http), or set " + MlflowRestSettings.INSECURE_TLS + "=true", e);
            }
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return new CropcastException(MlflowRestErrorCode.SERVER_UNREACHABLE,
                        prefix + "unknown host '" + server.getHost() + "'", e);
            }
        }
        if (e instanceof HttpConnectTimeoutException || e instanceof HttpTimeoutException) {
            return new CropcastException(MlflowRestErrorCode.TIMEOUT, prefix + "timed out (" + describe(e) + ")", e);
        }
        if (e instanceof ConnectException) {
            return new CropcastException(MlflowRestErrorCode.SERVER_UNREACHABLE,
                    prefix + "cannot connect (" + describe(e) + "); is the tracking server running?", e);
        }
        return new CropcastException(MlflowRestErrorCode.SERVER_UNREACHABLE, prefix + describe(e), e);
    }

    private static String describe(Throwable t) {
        if (t == null) {
            return "unknown error";
        }
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            Throwable cause = t.getCause();
            return t.getClass().getSimpleName() + (cause != null && cause != t ? ": " + describe(cause) : "");
        }
        return t.getClass().getSimpleName() + ": " + Redactor.truncateForMessage(Redactor.redact(message));
    }

    private static String abbreviate(String text) {
        return Redactor.truncateForMessage(Redactor.redact(text.strip()));
    }

    /** The value, or the generic translation of the server's error. */
    <T> T orThrow(String operation, Result<T> result) {
        return result.value().orElseThrow(() -> failure(operation, result.error().orElseThrow()));
    }

    private static SSLContext trustAllContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustingManager()}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new CropcastException(org.cropcast.tracking.TrackingErrorCode.INTERNAL_ERROR,
                    "cannot set up TLS for " + MlflowRestSettings.INSECURE_TLS + ": " + e.getMessage(), e);
        }
    }

    /**
     * What {@code MLFLOW_TRACKING_INSECURE_TLS=true} asks for: accept any certificate and host name
     * (an extended trust manager also takes over the JDK's host-name check).
     */
    private static final class TrustingManager extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
