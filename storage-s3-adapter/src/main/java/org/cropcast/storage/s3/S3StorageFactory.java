package org.cropcast.storage.s3;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Builds {@link S3Storage} (for {@link S3StorageProvider}, through which core's {@code Tracking}
 * and pipeline-app find it, and for a tool that builds it directly). The SDK client is created lazily, on the first S3 request, so wiring S3 in costs
 * nothing when no {@code s3://} location is used.
 *
 * <p>Credentials: when the injected environment holds {@code AWS_ACCESS_KEY_ID} and
 * {@code AWS_SECRET_ACCESS_KEY} (and optionally {@code AWS_SESSION_TOKEN}) they are used;
 * otherwise the SDK's default chain (system properties, environment, web identity, profile,
 * container and instance credentials). They are never logged or put in a message.
 */
public final class S3StorageFactory {
    private static final Logger log = LoggerFactory.getLogger(S3StorageFactory.class);

    private final S3StorageConfig config;
    private final Supplier<AwsCredentialsProvider> credentials;

    public S3StorageFactory(S3StorageConfig config, Supplier<AwsCredentialsProvider> credentials) {
        this.config = requireNonNull(config, "config is null");
        this.credentials = requireNonNull(credentials, "credentials is null");
    }

    /** Configuration and credentials from an environment map (normally {@code System.getenv()}). */
    public static S3StorageFactory fromEnvironment(Map<String, String> environment) {
        S3StorageConfig config = S3StorageConfig.fromEnvironment(environment);
        return new S3StorageFactory(config, () -> credentialsFrom(environment));
    }

    /** A factory with the SDK's default credential chain. */
    public static S3StorageFactory withDefaultCredentials(S3StorageConfig config) {
        return new S3StorageFactory(config, () -> DefaultCredentialsProvider.builder().build());
    }

    public S3StorageConfig config() {
        return config;
    }

    /** A storage with its own (lazily built) client; close it to release the client's connections. */
    public S3Storage createStorage() {
        return new S3Storage(new LazyS3Client(this::createClient), config);
    }

    /** The SDK client, configured as {@link S3StorageConfig} says. */
    public S3Client createClient() {
        Region region = resolveRegion(config.region(), () -> new DefaultAwsRegionProviderChain().getRegion());
        RetryStrategy retryStrategy = AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(config.maxAttempts())
                .backoffStrategy(BackoffStrategy.exponentialDelay(config.retryBaseDelay(), java.time.Duration.ofSeconds(20)))
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(
                        config.retryBaseDelay().multipliedBy(5), java.time.Duration.ofSeconds(20)))
                .build();
        var builder = S3Client.builder()
                .region(region)
                .credentialsProvider(credentials.get())
                .forcePathStyle(config.pathStyle())
                // on AWS, a bucket in another region than the configured (or fallback) one is followed, not a 301 error
                .crossRegionAccessEnabled(config.endpoint().isEmpty())
                .overrideConfiguration(o -> o.retryStrategy(retryStrategy));
        config.endpoint().ifPresent(builder::endpointOverride);
        log.debug("S3 client: region {}, endpoint {}, path style {}", region, config.endpointForDisplay(), config.pathStyle());
        return builder.build();
    }

    static AwsCredentialsProvider credentialsFrom(Map<String, String> environment) {
        String accessKey = environment.get("AWS_ACCESS_KEY_ID");
        String secretKey = environment.get("AWS_SECRET_ACCESS_KEY");
        if (accessKey == null || accessKey.isBlank() || secretKey == null || secretKey.isBlank()) {
            return DefaultCredentialsProvider.builder().build();
        }
        String sessionToken = environment.get("AWS_SESSION_TOKEN");
        if (sessionToken != null && !sessionToken.isBlank()) {
            return StaticCredentialsProvider.create(AwsSessionCredentials.create(accessKey, secretKey, sessionToken));
        }
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
    }

    /** The configured region, else the SDK's region chain (profile, instance metadata...), else {@value S3StorageConfig#FALLBACK_REGION}. */
    static Region resolveRegion(java.util.Optional<String> configured, Supplier<Region> sdkChain) {
        if (configured.isPresent()) {
            return Region.of(configured.get());
        }
        try {
            return sdkChain.get();
        } catch (SdkClientException e) {
            log.info("no AWS region configured (AWS_REGION, profile); using {}", S3StorageConfig.FALLBACK_REGION);
            return Region.of(S3StorageConfig.FALLBACK_REGION);
        }
    }
}
