package org.cropcast.tracking;

import java.util.Locale;

/**
 * Validates artifact paths (relative, '/'-separated) against the path-traversal checklist of
 * MLflow's CVE chain (CVE-2023-1177 to CVE-2024-8859): no '..' segment (also percent-encoded,
 * once or twice), no backslash, no absolute or drive path, no '//' prefix, no '?', '#' or ';',
 * no NUL or control character, at most {@link #MAX_LENGTH} characters.
 */
public final class ArtifactPaths {
    public static final int MAX_LENGTH = 1024;

    private ArtifactPaths() {}

    /**
     * Returns the normalised path (no leading, trailing or repeated '/', '.' segments removed;
     * empty for the root) or throws {@link TrackingErrorCode#INVALID_ARTIFACT_PATH}.
     */
    public static String validate(String path) {
        if (path == null) {
            throw invalid("null", "it is null");
        }
        if (path.length() > MAX_LENGTH) {
            throw invalid(path, "it is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw invalid(path, "it contains a control character");
            }
        }
        if (path.startsWith("/") || path.startsWith("\\")) {
            throw invalid(path, "it is absolute");
        }
        if (path.length() >= 2 && path.charAt(1) == ':' && Character.isLetter(path.charAt(0))) {
            throw invalid(path, "it is a drive path");
        }
        if (path.indexOf('\\') >= 0) {
            throw invalid(path, "it contains a backslash");
        }
        if (path.indexOf('?') >= 0 || path.indexOf('#') >= 0 || path.indexOf(';') >= 0) {
            throw invalid(path, "it contains '?', '#' or ';'");
        }
        String decoded = path;
        for (int i = 0; i < 3 && decoded.indexOf('%') >= 0; i++) {
            decoded = decoded.toLowerCase(Locale.ROOT)
                    .replace("%25", "%").replace("%2e", ".").replace("%2f", "/").replace("%5c", "\\").replace("%00", "\0");
        }
        if (!decoded.equals(path) && (decoded.contains("..") || decoded.indexOf('\0') >= 0
                || decoded.indexOf('\\') >= 0 || decoded.startsWith("/"))) {
            throw invalid(path, "it contains encoded traversal");
        }
        StringBuilder normalised = new StringBuilder();
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                throw invalid(path, "it contains a '..' segment");
            }
            if (normalised.length() > 0) {
                normalised.append('/');
            }
            normalised.append(segment);
        }
        return normalised.toString();
    }

    /** Joins two validated relative paths. */
    public static String join(String parent, String child) {
        String p = validate(parent);
        String c = validate(child);
        if (p.isEmpty()) {
            return c;
        }
        return c.isEmpty() ? p : p + "/" + c;
    }

    private static CropcastException invalid(String path, String why) {
        return new CropcastException(TrackingErrorCode.INVALID_ARTIFACT_PATH,
                "invalid artifact path '" + Redactor.truncateForMessage(path.replace("\0", "\\0")) + "': " + why);
    }
}
