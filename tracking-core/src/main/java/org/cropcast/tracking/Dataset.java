package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * An MLflow dataset as a run input records it: a name, a digest (at most {@value #MAX_DIGEST}
 * characters), a source type ({@code local}, {@code s3}, ...), the source as MLflow's JSON
 * ({@code {"uri": "..."}}, never with credentials), and optional schema and profile JSON. Within
 * one experiment a dataset is identified by (name, digest): logging it again reuses it.
 */
public record Dataset(String name, String digest, String sourceType, String source, Optional<String> schema,
        Optional<String> profile) {
    public static final int MAX_NAME = 500;
    public static final int MAX_DIGEST = 36;
    public static final int MAX_SOURCE = 65_535;
    public static final int MAX_SCHEMA = 1_048_575;
    public static final int MAX_PROFILE = 16_777_215;

    public Dataset {
        requireNonNull(name, "name is null");
        requireNonNull(digest, "digest is null");
        requireNonNull(sourceType, "sourceType is null");
        requireNonNull(source, "source is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(profile, "profile is null");
        check("name", name, MAX_NAME, false);
        check("digest", digest, MAX_DIGEST, false);
        check("source type", sourceType, MAX_DIGEST, false);
        check("source", source, MAX_SOURCE, true);
        schema.ifPresent(s -> check("schema", s, MAX_SCHEMA, true));
        profile.ifPresent(p -> check("profile", p, MAX_PROFILE, true));
    }

    private static void check(String what, String value, int max, boolean emptyAllowed) {
        if (!emptyAllowed && value.isEmpty()) {
            throw new CropcastException(ModelErrorCode.INVALID_MODEL_ARGUMENT, "dataset " + what + " is empty");
        }
        if (value.length() > max) {
            throw new CropcastException(ModelErrorCode.INVALID_MODEL_ARGUMENT,
                    "dataset " + what + " is longer than " + max + " characters");
        }
    }
}
