package org.cropcast.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TestRedactor {
    @Test
    void userInfoInUrisIsMasked() {
        assertThat(Redactor.redact("https://user:pass@host:5000/api")).isEqualTo("https://***@host:5000/api");
        assertThat(Redactor.redact("s3://AKIAKEY:wJalrSECRET@bucket/key")).isEqualTo("s3://***@bucket/key");
        assertThat(Redactor.redact("failed: http://token@mlflow.local and https://a:b@c"))
                .isEqualTo("failed: http://***@mlflow.local and https://***@c");
    }

    @Test
    void secretQueryParametersAreMasked() {
        String redacted = Redactor.redact("https://host/x?token=abc123&page=2&X-Amz-Signature=deadbeef;api_key=k1#frag");
        assertThat(redacted).doesNotContain("abc123", "deadbeef", "k1").contains("page=2", "token=***", "X-Amz-Signature=***");
        assertThat(Redactor.redact("s3://b/k?X-Amz-Credential=AKIA%2F2026&X-Amz-Security-Token=FQoG"))
                .doesNotContain("AKIA", "FQoG");
        assertThat(Redactor.redact("https://host/path?access_token=xyz")).isEqualTo("https://host/path?access_token=***");
    }

    @Test
    void maskedQueryValuesKeepTheQuotingAroundThem() {
        assertThat(Redactor.redact("invalid location 'http://h/x?token=abc123': bad"))
                .isEqualTo("invalid location 'http://h/x?token=***': bad");
        assertThat(Redactor.redact("(https://h/?password=pw1)")).isEqualTo("(https://h/?password=***)");
    }

    @Test
    void credentialsInMalformedSingleSlashUrisAreMasked() {
        assertThat(Redactor.redact("s3:/user:s3cr3t@bucket/key")).isEqualTo("s3:/***@bucket/key").doesNotContain("s3cr3t");
    }

    @Test
    void passwordsContainingAtSignsAreMaskedWhole() {
        assertThat(Redactor.redact("https://user:p@ss@host/x@y")).isEqualTo("https://***@host/x@y");
        assertThat(Redactor.redact("HTTPS://U:P@HOST")).isEqualTo("HTTPS://***@HOST");
    }

    @Test
    void bearerTokensAndAwsKeyIdsAreMasked() {
        assertThat(Redactor.redact("Authorization: Bearer eyJhbGciOi.J9x-y_z")).isEqualTo("Authorization: Bearer ***");
        assertThat(Redactor.redact("key AKIAIOSFODNN7EXAMPLE denied")).isEqualTo("key *** denied");
    }

    @Test
    void harmlessTextIsUnchanged() {
        assertThat(Redactor.redact("s3://bucket/data/file.csv")).isEqualTo("s3://bucket/data/file.csv");
        assertThat(Redactor.redact("sqlite:////tmp/mlruns.db")).isEqualTo("sqlite:////tmp/mlruns.db");
        assertThat(Redactor.redact("alice@example.com")).isEqualTo("alice@example.com");
        assertThat(Redactor.redact(null)).isNull();
    }

    @Test
    void messagesAreOneLineAndBounded() {
        assertThat(Redactor.truncateForMessage("a\nb\rc")).isEqualTo("a b c");
        assertThat(Redactor.truncateForMessage("nul\0esc\u001b[31mred\u007f")).isEqualTo("nul?esc?[31mred?");
        assertThat(Redactor.truncateForMessage("x".repeat(1_000))).hasSize(303).endsWith("...");
    }
}
