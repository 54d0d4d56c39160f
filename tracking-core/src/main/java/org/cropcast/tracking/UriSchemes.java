package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one rule for "this text starts with a URI scheme", shared by every switch by scheme
 * ({@link SwitchingRunStoreFactory}, {@link SwitchingArtifactStore}) and by the callers that must
 * tell a URI from a plain path. A scheme is a letter followed by at least one letter, digit,
 * {@code +}, {@code .} or {@code -}, then {@code :} (RFC 3986, but two characters at least, so a
 * Windows drive letter such as {@code C:} is a path, not a scheme).
 */
public final class UriSchemes {
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]+");

    private UriSchemes() {}

    /** The scheme of {@code uri}, lower case; empty when the text does not start with one. */
    public static Optional<String> of(String uri) {
        requireNonNull(uri, "uri is null");
        int colon = uri.indexOf(':');
        if (colon < 2 || !SCHEME.matcher(uri).region(0, colon).matches()) {
            return Optional.empty();
        }
        return Optional.of(uri.substring(0, colon).toLowerCase(Locale.ROOT));
    }

    /** True if {@code text} starts with a URI scheme (see {@link #of}). */
    public static boolean hasScheme(String text) {
        return of(text).isPresent();
    }
}
