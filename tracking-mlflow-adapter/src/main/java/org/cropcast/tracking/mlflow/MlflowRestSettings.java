package org.cropcast.tracking.mlflow;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.EnvironmentVariables;

/**
 * How the REST adapter talks to a tracking server, read from environment variables the way Python
 * MLflow reads them (the environment is passed in, never read ad hoc):
 * <ul>
 *   <li>{@code MLFLOW_TRACKING_USERNAME} and {@code MLFLOW_TRACKING_PASSWORD}: HTTP Basic;</li>
 *   <li>{@code MLFLOW_TRACKING_TOKEN}: {@code Authorization: Bearer} (used when no username and
 *       password are set, as in Python);</li>
 *   <li>{@code MLFLOW_TRACKING_INSECURE_TLS}: {@code true} skips certificate and host-name checks;</li>
 *   <li>{@code MLFLOW_HTTP_REQUEST_TIMEOUT} (seconds, default 120) and
 *       {@code MLFLOW_HTTP_REQUEST_MAX_RETRIES} (default 15: with backoff from 0.5 s doubling to
 *       at most 15 s, about 2.5 minutes of retries, within a 5-minute budget per call);</li>
 *   <li>{@code MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD} and
 *       {@code MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE} / {@code MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE}
 *       (bytes; defaults 500 MiB and {@link #DEFAULT_CHUNK_SIZE} 64 MiB): multipart uploads through the
 *       artifact proxy. Python MLflow's chunk default is 10 MiB; cropcast streams each part from the
 *       file, so a larger part costs no heap, and fewer parts cost the object store less per byte
 *       (docs/TRACKING-SERVER.md, "Multipart uploads: speed"). A set variable is used as it is.</li>
 * </ul>
 * {@link #toString()} never shows a secret.
 *
 * @param retryMaxDuration the whole retry budget of one call (retries stop at whichever of
 *     {@code maxRetries} and this comes first)
 */
public record MlflowRestSettings(
        Optional<String> username,
        Optional<String> password,
        Optional<String> token,
        boolean insecureTls,
        Duration connectTimeout,
        Duration requestTimeout,
        int maxRetries,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration retryMaxDuration,
        boolean multipartUpload,
        long multipartMinimumSize,
        long multipartChunkSize) {
    public static final String USERNAME = "MLFLOW_TRACKING_USERNAME";
    public static final String PASSWORD = "MLFLOW_TRACKING_PASSWORD";
    public static final String TOKEN = "MLFLOW_TRACKING_TOKEN";
    public static final String INSECURE_TLS = "MLFLOW_TRACKING_INSECURE_TLS";
    public static final String REQUEST_TIMEOUT = "MLFLOW_HTTP_REQUEST_TIMEOUT";
    public static final String MAX_RETRIES = "MLFLOW_HTTP_REQUEST_MAX_RETRIES";
    public static final String ENABLE_MULTIPART = "MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD";
    public static final String MULTIPART_MINIMUM_SIZE = "MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE";
    public static final String MULTIPART_CHUNK_SIZE = "MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE";

    /** S3 refuses parts smaller than 5 MiB (except the last). */
    static final long MIN_CHUNK_SIZE = 5L << 20;
    /** The part size when {@link #MULTIPART_CHUNK_SIZE} is not set (Python MLflow's: 10 MiB). */
    public static final long DEFAULT_CHUNK_SIZE = 64L << 20;

    public MlflowRestSettings {
        requireNonNull(username, "username is null");
        requireNonNull(password, "password is null");
        requireNonNull(token, "token is null");
        requireNonNull(connectTimeout, "connectTimeout is null");
        requireNonNull(requestTimeout, "requestTimeout is null");
        requireNonNull(initialBackoff, "initialBackoff is null");
        requireNonNull(maxBackoff, "maxBackoff is null");
        requireNonNull(retryMaxDuration, "retryMaxDuration is null");
        if (maxRetries < 0) {
            throw invalid(MAX_RETRIES, "must not be negative");
        }
        if (multipartChunkSize < MIN_CHUNK_SIZE) {
            throw invalid(MULTIPART_CHUNK_SIZE, "must be at least " + MIN_CHUNK_SIZE + " bytes");
        }
    }

    /** The defaults, without credentials. */
    public static MlflowRestSettings defaults() {
        return fromEnvironment(Map.of());
    }

    /** Reads the settings from an environment (normally {@code System.getenv()}, passed in by the application). */
    public static MlflowRestSettings fromEnvironment(Map<String, String> environment) {
        requireNonNull(environment, "environment is null");
        EnvironmentVariables variables = new EnvironmentVariables(environment, MlflowRestErrorCode.INVALID_SETTING);
        return new MlflowRestSettings(
                nonEmpty(environment.get(USERNAME)),
                nonEmpty(environment.get(PASSWORD)),
                nonEmpty(environment.get(TOKEN)),
                variables.bool(INSECURE_TLS, false),
                Duration.ofSeconds(10),
                // Python MLflow reads both with int(): "120.0" is refused there too; a timeout of 0 means none to requests, an error
                Duration.ofSeconds(variables.wholeNumber(REQUEST_TIMEOUT, 1, 86_400, 120)),
                (int) variables.wholeNumber(MAX_RETRIES, 0, 100, 15),
                Duration.ofMillis(500),
                Duration.ofSeconds(15),
                Duration.ofMinutes(5),
                variables.bool(ENABLE_MULTIPART, false),
                variables.wholeNumber(MULTIPART_MINIMUM_SIZE, 0, Long.MAX_VALUE, 500L << 20),
                variables.wholeNumber(MULTIPART_CHUNK_SIZE, MIN_CHUNK_SIZE, 5L << 30, DEFAULT_CHUNK_SIZE));
    }

    /** These settings with another retry schedule (tests and benchmarks use short ones). */
    public MlflowRestSettings withRetries(int maxRetries, Duration initialBackoff, Duration maxBackoff, Duration maxDuration) {
        return new MlflowRestSettings(username, password, token, insecureTls, connectTimeout, requestTimeout,
                maxRetries, initialBackoff, maxBackoff, maxDuration, multipartUpload, multipartMinimumSize, multipartChunkSize);
    }

    /** These settings with another request timeout. */
    public MlflowRestSettings withRequestTimeout(Duration timeout) {
        return new MlflowRestSettings(username, password, token, insecureTls, connectTimeout, timeout,
                maxRetries, initialBackoff, maxBackoff, retryMaxDuration, multipartUpload, multipartMinimumSize, multipartChunkSize);
    }

    /** The value of the {@code Authorization} header, if credentials are set: Basic first, else Bearer. */
    Optional<String> authorization() {
        if (username.isPresent() && password.isPresent()) {
            String pair = username.get() + ":" + password.get();
            return Optional.of("Basic " + java.util.Base64.getEncoder()
                    .encodeToString(pair.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        return token.map(t -> "Bearer " + t);
    }

    /** Which kind of credentials is in use, for messages ("basic-auth user 'x'", "a bearer token", "none"). */
    String describeCredentials() {
        if (username.isPresent() && password.isPresent()) {
            return "basic-auth user '" + username.get() + "' from " + USERNAME + "/" + PASSWORD;
        }
        if (token.isPresent()) {
            return "the bearer token from " + TOKEN;
        }
        return "no credentials (" + USERNAME + "/" + PASSWORD + " or " + TOKEN + " are unset)";
    }

    @Override
    public String toString() {
        return "MlflowRestSettings[credentials=" + describeCredentials() + ", insecureTls=" + insecureTls
                + ", requestTimeout=" + requestTimeout + ", maxRetries=" + maxRetries + ", retryMaxDuration=" + retryMaxDuration
                + ", multipartUpload=" + multipartUpload + "]";
    }

    private static Optional<String> nonEmpty(String value) {
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private static CropcastException invalid(String name, String why) {
        return new CropcastException(MlflowRestErrorCode.INVALID_SETTING, "environment variable " + name + " " + why);
    }
}
