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
        assertThat(redacted).isEqualTo("https://host/x?token=***&page=***&X-Amz-Signature=***;api_key=***#***");
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

    /** One rule for every URI, whatever makes it malformed (issue 20): no list of secret names, no per-shape case. */
    @Test
    void malformedUserInfoIsMaskedWhateverCutsThePasswordShort() {
        assertThat(Redactor.redact("invalid tracking URI 'http://alice:pa/SECRET@127.0.0.1:9': it has no host"))
                .isEqualTo("invalid tracking URI 'http://***@127.0.0.1:9': it has no host");
        assertThat(Redactor.redact("http://alice:pa#SECRET@127.0.0.1:9")).isEqualTo("http://***@127.0.0.1:9");
        assertThat(Redactor.redact("http://alice:pa?SECRET@127.0.0.1:9/x")).isEqualTo("http://***@127.0.0.1:9/x");
        assertThat(Redactor.redact("s3://KEY:se/cr#et?@bucket/k")).isEqualTo("s3://***@bucket/k");
        assertThat(Redactor.redact("got 'http://alice:pa/SECRET' (no host)")).isEqualTo("got 'http://***' (no host)");
        assertThat(Redactor.redact("Expected closing bracket at index 7: http://[bad/?sig=SECRET"))
                .isEqualTo("Expected closing bracket at index 7: http://***");
    }

    @Test
    void everyQueryValueAndEveryFragmentOfAUriIsMasked() {
        assertThat(Redactor.redact("'http://127.0.0.1:9/x?sig=SECRET': query strings are not allowed"))
                .isEqualTo("'http://127.0.0.1:9/x?sig=***': query strings are not allowed");
        assertThat(Redactor.redact("http://127.0.0.1:9/x#access_token=SECRET&state=1")).isEqualTo("http://127.0.0.1:9/x#***");
        assertThat(Redactor.redact("s3://bucket/x?SECRET")).isEqualTo("s3://bucket/x?***");
        assertThat(Redactor.redact("see https://h/a?q=SECRET.")).isEqualTo("see https://h/a?q=***.");
        assertThat(Redactor.redact("https://[::1]:5000/a?x=SECRET")).isEqualTo("https://[::1]:5000/a?x=***");
    }

    @Test
    void secretQueryParametersOutsideAUriAreMasked() {
        assertThat(Redactor.redact("--set x=1&sig=SECRET")).isEqualTo("--set x=1&sig=***");
    }

    @Test
    void harmlessTextIsUnchanged() {
        assertThat(Redactor.redact("http://127.0.0.1:5000/api/2.0/mlflow/runs/get")).isEqualTo("http://127.0.0.1:5000/api/2.0/mlflow/runs/get");
        assertThat(Redactor.redact("https://host/users/alice@example.com")).isEqualTo("https://host/users/alice@example.com");
        assertThat(Redactor.redact("memory:hostile")).isEqualTo("memory:hostile");
        assertThat(Redactor.redact("s3://bucket/data/file.csv")).isEqualTo("s3://bucket/data/file.csv");
        assertThat(Redactor.redact("sqlite:////tmp/mlruns.db")).isEqualTo("sqlite:////tmp/mlruns.db");
        assertThat(Redactor.redact("alice@example.com")).isEqualTo("alice@example.com");
        assertThat(Redactor.redact(null)).isNull();
    }

    @Test
    void messagesAreOneLineAndBounded() {
        assertThat(Redactor.truncateForMessage("a\nb\rc")).isEqualTo("a\\nb\\rc");
        assertThat(Redactor.truncateForMessage("nul\0esc\u001b[31mred\u007f")).isEqualTo("nul\\u0000esc\\u001B[31mred\\u007F");
        assertThat(Redactor.truncateForMessage("x".repeat(1_000))).hasSize(303).endsWith("...");
    }
}
