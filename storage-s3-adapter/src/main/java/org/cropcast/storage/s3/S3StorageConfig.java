package org.cropcast.storage.s3;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.Redactor;

/**
 * How cropcast talks to S3. Credentials are never part of it (they come from the SDK's default
 * chain, see {@link S3StorageFactory}), so this record is safe to log.
 *
 * @param region the AWS region; empty means the SDK's default region chain, then {@link #FALLBACK_REGION}
 * @param endpoint an endpoint override for S3-compatible stores (MinIO, S3Mock...); empty for AWS
 * @param pathStyle path-style requests ({@code http://host/bucket/key}) instead of virtual-hosted ones
 * @param multipartPartSizeBytes part size of multipart uploads; also the largest object sent in one PUT,
 *     and the memory one open output stream holds at most (5 MiB, S3's minimum part size, to 1 GiB);
 *     it doubles every 1,000 parts so a stream can exceed S3's 10,000-part limit
 * @param multipartCopyThresholdBytes objects larger than this are copied with UploadPartCopy
 *     instead of one CopyObject (S3's CopyObject limit is 5 GiB)
 * @param multipartCopyPartSizeBytes the range copied by each UploadPartCopy (5 MiB to 5 GiB)
 * @param maxAttempts attempts per request, first one included, for throttling and transient errors
 * @param retryBaseDelay base delay of the SDK's exponential backoff with jitter (throttling waits 5 times longer)
 */
public record S3StorageConfig(
        Optional<String> region,
        Optional<URI> endpoint,
        boolean pathStyle,
        long multipartPartSizeBytes,
        long multipartCopyThresholdBytes,
        long multipartCopyPartSizeBytes,
        int maxAttempts,
        Duration retryBaseDelay) {
    public static final String FALLBACK_REGION = "us-east-1";
    public static final long MIB = 1024L * 1024;
    public static final long GIB = 1024L * MIB;
    public static final long MIN_PART_SIZE = 5 * MIB;
    public static final long MAX_PART_SIZE = 5 * GIB;
    /** The largest upload part: parts are buffered in memory, one per open output stream. */
    public static final long MAX_UPLOAD_BUFFER = GIB;

    /** Endpoint variables, highest precedence first. */
    public static final List<String> ENDPOINT_VARIABLES =
            List.of("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL", "MLFLOW_S3_ENDPOINT_URL");
    /** Region variables, highest precedence first (the SDK's own names). */
    public static final List<String> REGION_VARIABLES = List.of("AWS_REGION", "AWS_DEFAULT_REGION");
    public static final String PATH_STYLE_VARIABLE = "CROPCAST_S3_PATH_STYLE";
    public static final String MAX_ATTEMPTS_VARIABLE = "CROPCAST_S3_MAX_ATTEMPTS";

    public S3StorageConfig {
        requireNonNull(region, "region is null");
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(retryBaseDelay, "retryBaseDelay is null");
        checkRange("multipartPartSizeBytes", multipartPartSizeBytes, MIN_PART_SIZE, MAX_UPLOAD_BUFFER);
        checkRange("multipartCopyPartSizeBytes", multipartCopyPartSizeBytes, MIN_PART_SIZE, MAX_PART_SIZE);
        checkRange("multipartCopyThresholdBytes", multipartCopyThresholdBytes, 0, MAX_PART_SIZE);
        checkRange("maxAttempts", maxAttempts, 1, 20);
        if (retryBaseDelay.isNegative()) {
            throw invalid("retryBaseDelay must not be negative, got " + retryBaseDelay);
        }
        endpoint.ifPresent(S3StorageConfig::checkEndpoint);
    }

    /** AWS defaults: region and endpoint from the SDK, virtual-hosted style, 8 MiB parts, 5 GiB copy threshold. */
    public static S3StorageConfig defaults() {
        return new S3StorageConfig(Optional.empty(), Optional.empty(), false,
                8 * MIB, MAX_PART_SIZE, 512 * MIB, 8, Duration.ofMillis(100));
    }

    /**
     * Reads the configuration from an environment (normally {@code System.getenv()}, injected so
     * tests can pass their own): the endpoint from the first set of {@link #ENDPOINT_VARIABLES},
     * the region from {@link #REGION_VARIABLES}, path style from {@value #PATH_STYLE_VARIABLE}
     * ({@code true}/{@code false}; when unset, on exactly when an endpoint override is set), and
     * the attempts from {@value #MAX_ATTEMPTS_VARIABLE}.
     */
    public static S3StorageConfig fromEnvironment(Map<String, String> environment) {
        requireNonNull(environment, "environment is null");
        S3StorageConfig defaults = defaults();
        Optional<URI> endpoint = firstSet(environment, ENDPOINT_VARIABLES)
                .map(name -> parseEndpoint(name, environment.get(name).trim()));
        Optional<String> region = firstSet(environment, REGION_VARIABLES).map(name -> environment.get(name).trim());
        boolean pathStyle = Optional.ofNullable(environment.get(PATH_STYLE_VARIABLE))
                .filter(v -> !v.isBlank())
                .map(v -> parseBoolean(PATH_STYLE_VARIABLE, v))
                .orElse(endpoint.isPresent());
        int maxAttempts = Optional.ofNullable(environment.get(MAX_ATTEMPTS_VARIABLE))
                .filter(v -> !v.isBlank())
                .map(v -> parseInt(MAX_ATTEMPTS_VARIABLE, v))
                .orElse(defaults.maxAttempts());
        return new S3StorageConfig(region, endpoint, pathStyle, defaults.multipartPartSizeBytes(),
                defaults.multipartCopyThresholdBytes(), defaults.multipartCopyPartSizeBytes(),
                maxAttempts, defaults.retryBaseDelay());
    }

    public S3StorageConfig withEndpoint(URI newEndpoint) {
        return new S3StorageConfig(region, Optional.of(newEndpoint), pathStyle, multipartPartSizeBytes,
                multipartCopyThresholdBytes, multipartCopyPartSizeBytes, maxAttempts, retryBaseDelay);
    }

    public S3StorageConfig withRegion(String newRegion) {
        return new S3StorageConfig(Optional.of(newRegion), endpoint, pathStyle, multipartPartSizeBytes,
                multipartCopyThresholdBytes, multipartCopyPartSizeBytes, maxAttempts, retryBaseDelay);
    }

    public S3StorageConfig withPathStyle(boolean newPathStyle) {
        return new S3StorageConfig(region, endpoint, newPathStyle, multipartPartSizeBytes,
                multipartCopyThresholdBytes, multipartCopyPartSizeBytes, maxAttempts, retryBaseDelay);
    }

    public S3StorageConfig withMultipartPartSize(long bytes) {
        return new S3StorageConfig(region, endpoint, pathStyle, bytes,
                multipartCopyThresholdBytes, multipartCopyPartSizeBytes, maxAttempts, retryBaseDelay);
    }

    public S3StorageConfig withMultipartCopy(long thresholdBytes, long partSizeBytes) {
        return new S3StorageConfig(region, endpoint, pathStyle, multipartPartSizeBytes,
                thresholdBytes, partSizeBytes, maxAttempts, retryBaseDelay);
    }

    public S3StorageConfig withRetries(int newMaxAttempts, Duration newBaseDelay) {
        return new S3StorageConfig(region, endpoint, pathStyle, multipartPartSizeBytes,
                multipartCopyThresholdBytes, multipartCopyPartSizeBytes, newMaxAttempts, newBaseDelay);
    }

    /** The endpoint as it may appear in a log line or message. */
    public String endpointForDisplay() {
        return endpoint.map(uri -> Redactor.redact(uri.toString())).orElse("AWS default");
    }

    @Override
    public String toString() {
        return "S3StorageConfig[region=" + region.orElse("(SDK chain, else " + FALLBACK_REGION + ")")
                + ", endpoint=" + endpointForDisplay() + ", pathStyle=" + pathStyle
                + ", partSize=" + multipartPartSizeBytes + ", copyThreshold=" + multipartCopyThresholdBytes
                + ", copyPartSize=" + multipartCopyPartSizeBytes + ", maxAttempts=" + maxAttempts
                + ", retryBaseDelay=" + retryBaseDelay + "]";
    }

    private static Optional<String> firstSet(Map<String, String> environment, List<String> names) {
        return names.stream().filter(name -> {
            String value = environment.get(name);
            return value != null && !value.isBlank();
        }).findFirst();
    }

    private static URI parseEndpoint(String variable, String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw invalid(variable + " is not a URL: '" + Redactor.truncateForMessage(Redactor.redact(text)) + "'");
        }
        try {
            checkEndpoint(uri);
        } catch (CropcastException e) {
            throw invalid(variable + ": " + e.getMessage());
        }
        return uri;
    }

    private static void checkEndpoint(URI uri) {
        String shown = Redactor.truncateForMessage(Redactor.redact(uri.toString()));
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw invalid("the S3 endpoint must be an http:// or https:// URL with a host, got '" + shown + "'");
        }
        if (uri.getRawUserInfo() != null) {
            throw invalid("credentials do not belong in the S3 endpoint '" + shown
                    + "'; use AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or a profile");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid("the S3 endpoint '" + shown + "' must not have a query or fragment");
        }
    }

    private static boolean parseBoolean(String variable, String value) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw invalid(variable + " must be 'true' or 'false', got '" + Redactor.truncateForMessage(value) + "'");
        }
    }

    private static int parseInt(String variable, String value) {
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            parsed = 0;
        }
        if (parsed < 1 || parsed > 20) {
            throw invalid(variable + " must be a whole number from 1 to 20, got '" + Redactor.truncateForMessage(value) + "'");
        }
        return parsed;
    }

    private static void checkRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw invalid(name + " must be between " + min + " and " + max + ", got " + value);
        }
    }

    private static CropcastException invalid(String message) {
        return new CropcastException(S3ErrorCode.INVALID_CONFIGURATION, "invalid S3 configuration: " + message);
    }
}
