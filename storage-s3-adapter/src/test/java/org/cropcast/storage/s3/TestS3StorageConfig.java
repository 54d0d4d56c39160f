package org.cropcast.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.ErrorCategory;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;

class TestS3StorageConfig {
    @Test
    void defaultsAreAwsWithVirtualHostedStyle() {
        S3StorageConfig config = S3StorageConfig.fromEnvironment(Map.of());
        assertThat(config.endpoint()).isEmpty();
        assertThat(config.region()).isEmpty();
        assertThat(config.pathStyle()).isFalse();
        assertThat(config.multipartCopyThresholdBytes()).isEqualTo(5L * 1024 * 1024 * 1024);
        assertThat(config.multipartPartSizeBytes()).isEqualTo(8L * 1024 * 1024);
    }

    @Test
    void endpointPrecedenceIsS3SpecificThenGenericThenMlflow() {
        Map<String, String> all = Map.of(
                "AWS_ENDPOINT_URL_S3", "http://s3-specific:9000",
                "AWS_ENDPOINT_URL", "http://generic:9000",
                "MLFLOW_S3_ENDPOINT_URL", "http://mlflow:9000");
        assertThat(S3StorageConfig.fromEnvironment(all).endpoint()).contains(URI.create("http://s3-specific:9000"));
        assertThat(S3StorageConfig.fromEnvironment(Map.of(
                "AWS_ENDPOINT_URL_S3", " ",
                "AWS_ENDPOINT_URL", "http://generic:9000",
                "MLFLOW_S3_ENDPOINT_URL", "http://mlflow:9000")).endpoint()).contains(URI.create("http://generic:9000"));
        assertThat(S3StorageConfig.fromEnvironment(Map.of("MLFLOW_S3_ENDPOINT_URL", "https://minio.example:9000"))
                .endpoint()).contains(URI.create("https://minio.example:9000"));
    }

    @Test
    void pathStyleFollowsTheEndpointUnlessSetExplicitly() {
        assertThat(S3StorageConfig.fromEnvironment(Map.of("AWS_ENDPOINT_URL", "http://minio:9000")).pathStyle()).isTrue();
        assertThat(S3StorageConfig.fromEnvironment(Map.of("AWS_ENDPOINT_URL", "http://minio:9000",
                "CROPCAST_S3_PATH_STYLE", "false")).pathStyle()).isFalse();
        assertThat(S3StorageConfig.fromEnvironment(Map.of("CROPCAST_S3_PATH_STYLE", "TRUE")).pathStyle()).isTrue();
    }

    @Test
    void regionFromEnvironmentElseSdkChainElseUsEast1() {
        assertThat(S3StorageConfig.fromEnvironment(Map.of("AWS_REGION", "eu-west-1", "AWS_DEFAULT_REGION", "us-west-2"))
                .region()).contains("eu-west-1");
        assertThat(S3StorageConfig.fromEnvironment(Map.of("AWS_DEFAULT_REGION", "us-west-2")).region()).contains("us-west-2");
        assertThat(S3StorageFactory.resolveRegion(Optional.of("ap-south-1"), () -> Region.EU_CENTRAL_1))
                .isEqualTo(Region.AP_SOUTH_1);
        assertThat(S3StorageFactory.resolveRegion(Optional.empty(), () -> Region.EU_CENTRAL_1)).isEqualTo(Region.EU_CENTRAL_1);
        assertThat(S3StorageFactory.resolveRegion(Optional.empty(), () -> {
            throw SdkClientException.create("Unable to load region from any of the providers in the chain");
        })).isEqualTo(Region.US_EAST_1);
    }

    @Test
    void credentialsInTheEndpointAreRejectedAndRedacted() {
        assertInvalid(Map.of("AWS_ENDPOINT_URL_S3", "http://AKIAEXAMPLE:wJalrXUtnFEMI@minio:9000"),
                "AWS_ENDPOINT_URL_S3", "wJalrXUtnFEMI");
        assertInvalid(Map.of("AWS_ENDPOINT_URL", "http://minio:9000/?X-Amz-Signature=abcdef123"),
                "AWS_ENDPOINT_URL", "abcdef123");
    }

    @Test
    void malformedSettingsNameTheVariable() {
        assertInvalid(Map.of("AWS_ENDPOINT_URL_S3", "minio:9000"), "AWS_ENDPOINT_URL_S3", null);
        assertInvalid(Map.of("MLFLOW_S3_ENDPOINT_URL", "ftp://minio"), "MLFLOW_S3_ENDPOINT_URL", null);
        assertInvalid(Map.of("AWS_ENDPOINT_URL", "http://bad host"), "AWS_ENDPOINT_URL", null);
        assertInvalid(Map.of("CROPCAST_S3_PATH_STYLE", "yes"), "CROPCAST_S3_PATH_STYLE", null);
        assertInvalid(Map.of("CROPCAST_S3_MAX_ATTEMPTS", "many"), "CROPCAST_S3_MAX_ATTEMPTS", null);
        assertInvalid(Map.of("CROPCAST_S3_MAX_ATTEMPTS", "0"), "CROPCAST_S3_MAX_ATTEMPTS", null);
        assertThat(S3StorageConfig.fromEnvironment(Map.of("CROPCAST_S3_MAX_ATTEMPTS", "3")).maxAttempts()).isEqualTo(3);
    }

    @Test
    void tuningIsValidated() {
        S3StorageConfig config = S3StorageConfig.defaults();
        assertThatThrownBy(() -> config.withMultipartPartSize(1024))
                .isInstanceOfSatisfying(CropcastException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(S3ErrorCode.INVALID_CONFIGURATION))
                .hasMessageContaining("multipartPartSizeBytes");
        assertThatThrownBy(() -> config.withMultipartCopy(-1, 5L * 1024 * 1024)).hasMessageContaining("multipartCopyThresholdBytes");
        assertThatThrownBy(() -> config.withRetries(0, java.time.Duration.ZERO)).hasMessageContaining("maxAttempts");
    }

    @Test
    void credentialsComeFromTheInjectedEnvironmentOrTheDefaultChainAndNeverShowInToString() {
        Map<String, String> environment = Map.of("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY", "s3cr3t-value",
                "AWS_SESSION_TOKEN", "token-value", "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000");
        assertThat(S3StorageFactory.credentialsFrom(environment).resolveCredentials())
                .isInstanceOfSatisfying(AwsSessionCredentials.class, c -> assertThat(c.sessionToken()).isEqualTo("token-value"));
        assertThat(S3StorageFactory.credentialsFrom(Map.of())).isInstanceOf(DefaultCredentialsProvider.class);
        S3StorageFactory factory = S3StorageFactory.fromEnvironment(environment);
        try (S3Storage storage = factory.createStorage()) {
            assertThat(factory.config().toString() + storage).doesNotContain("s3cr3t-value").doesNotContain("token-value")
                    .doesNotContain("AKIAEXAMPLE").contains("http://127.0.0.1:9000");
        }
    }

    private static void assertInvalid(Map<String, String> environment, String variable, String secret) {
        assertThatThrownBy(() -> S3StorageConfig.fromEnvironment(environment))
                .isInstanceOfSatisfying(CropcastException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(S3ErrorCode.INVALID_CONFIGURATION);
                    assertThat(e.category()).isEqualTo(ErrorCategory.USER_INPUT);
                    assertThat(e.getMessage()).contains(variable).doesNotContain("\n");
                    if (secret != null) {
                        assertThat(e.getMessage()).doesNotContain(secret).contains("***");
                    }
                });
    }
}
