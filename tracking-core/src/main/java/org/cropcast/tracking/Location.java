package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where data lives: a local path or an object-store location ({@code s3://bucket/key},
 * {@code memory://bucket/key}). Parse text with {@link #of(String)}, which rejects malformed
 * and traversing locations. Credentials never belong in a location; {@link #toString()} is safe to log.
 *
 * @param scheme {@code file} for local paths, else the object store's scheme (lower case)
 * @param bucket empty for local paths
 * @param key for local paths the absolute path; for object stores the key, without a leading
 *     '/', possibly empty (the bucket root)
 */
public record Location(String scheme, String bucket, String key) {
    private static final Pattern SCHEME = Pattern.compile("[a-z][a-z0-9+.-]*");
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]|[a-zA-Z0-9_.-]{1,255}");
    /** S3's limit on key length, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 1024;

    public Location {
        requireNonNull(scheme, "scheme is null");
        requireNonNull(bucket, "bucket is null");
        requireNonNull(key, "key is null");
    }

    /** A local path, made absolute and normalised. */
    public static Location local(Path path) {
        return new Location("file", "", path.toAbsolutePath().normalize().toString());
    }

    /**
     * Parses a location: an absolute or relative local path, {@code file:/...} / {@code file:///...},
     * or {@code scheme://bucket/key}. Rejects {@code s3:/x}, {@code s3://}, empty buckets,
     * '..' segments and percent-encoded traversal, with a one-line message naming the text.
     */
    public static Location of(String text) {
        requireNonNull(text, "text is null");
        if (text.isBlank()) {
            throw invalid(text, "it is empty");
        }
        if (text.indexOf('\0') >= 0) {
            throw invalid(text, "it contains a NUL byte");
        }
        int colon = text.indexOf(':');
        boolean hasScheme = colon > 1 && SCHEME.matcher(text.substring(0, colon).toLowerCase(Locale.ROOT)).matches();
        if (!hasScheme) {
            rejectTraversal(text, text);
            return local(Path.of(text));
        }
        String scheme = text.substring(0, colon).toLowerCase(Locale.ROOT);
        String rest = text.substring(colon + 1);
        if (scheme.equals("file")) {
            String path = rest.startsWith("//") ? rest.substring(2) : rest;
            if (!path.startsWith("/")) {
                throw invalid(text, "a file: location must be absolute (file:///path)");
            }
            rejectTraversal(text, path);
            return local(Path.of(path));
        }
        if (!rest.startsWith("//")) {
            throw invalid(text, "expected " + scheme + "://bucket/key");
        }
        rest = rest.substring(2);
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String key = slash < 0 ? "" : rest.substring(slash + 1);
        if (bucket.isEmpty()) {
            throw invalid(text, "the bucket is empty");
        }
        if (bucket.contains("@") || bucket.contains(":")) {
            // 'user:password' in the authority, however malformed: never quote a part of it
            throw invalid(Redactor.redact(text), "credentials do not belong in a location; use the SDK's credential chain");
        }
        if (!BUCKET.matcher(bucket).matches()) {
            throw invalid(text, "'" + bucket + "' is not a valid bucket name");
        }
        if (key.startsWith("/") || key.contains("//")) {
            throw invalid(text, "the key has an empty segment");
        }
        if (key.contains("?") || key.contains("#")) {
            throw invalid(text, "query strings and fragments are not allowed");
        }
        rejectTraversal(text, key);
        if (key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw invalid(text, "the key is longer than " + MAX_KEY_BYTES + " bytes");
        }
        return new Location(scheme, bucket, key);
    }

    private static void rejectTraversal(String text, String path) {
        String decoded = path;
        // decode twice: %252e%252e is %2e%2e once decoded, '..' twice
        for (int i = 0; i < 3; i++) {
            String lower = decoded.toLowerCase(Locale.ROOT);
            if (!lower.contains("%")) {
                break;
            }
            decoded = lower.replace("%25", "%").replace("%2e", ".").replace("%2f", "/").replace("%5c", "\\");
        }
        for (String segment : decoded.split("[/\\\\]")) {
            if (segment.equals("..")) {
                throw invalid(text, "'..' segments are not allowed");
            }
        }
    }

    private static CropcastException invalid(String text, String why) {
        return new CropcastException(TrackingErrorCode.INVALID_LOCATION,
                "invalid location '" + Redactor.truncateForMessage(Redactor.redact(text)) + "': " + why);
    }

    public boolean isLocal() {
        return scheme.equals("file");
    }

    /** The local path; only for {@link #isLocal()} locations. */
    public Path localPath() {
        if (!isLocal()) {
            throw new CropcastException(TrackingErrorCode.INTERNAL_ERROR, this + " is not a local path");
        }
        return Path.of(key);
    }

    /** This location with a relative, '/'-separated child appended (validated like an artifact path). */
    public Location resolve(String child) {
        String validated = ArtifactPaths.validate(child);
        if (validated.isEmpty()) {
            return this;
        }
        if (isLocal()) {
            return local(localPath().resolve(validated));
        }
        String joined = key.isEmpty() || key.endsWith("/") ? key + validated : key + "/" + validated;
        return new Location(scheme, bucket, joined);
    }

    /** The last segment of the path or key (empty at a bucket root). */
    public String fileName() {
        String k = key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
        int slash = Math.max(k.lastIndexOf('/'), isLocal() ? k.lastIndexOf(java.io.File.separatorChar) : -1);
        return k.substring(slash + 1);
    }

    @Override
    public String toString() {
        if (isLocal()) {
            return key;
        }
        return scheme + "://" + bucket + "/" + key;
    }
}
