package org.cropcast.tracking;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes credentials from text before it reaches a tag, param, YAML file, log line or error
 * message. One rule for every URI in the text ({@code scheme:/...} or {@code scheme://...}),
 * whatever makes it malformed:
 * <ul>
 *   <li>user info is masked up to the last {@code @} of the authority ({@code https://***@host});
 *       when the authority has no {@code @} but is not a host and port ({@code alice:pa} before a
 *       {@code /}, {@code ?} or {@code #} of a password), up to the last {@code @} of the URI, or
 *       the whole remainder when there is none;</li>
 *   <li>every query value is masked ({@code ?sig=***&page=***}, a bare component {@code ?***}),
 *       and a fragment whole ({@code #***}): a query or fragment is where signed URLs and OAuth
 *       responses carry their secrets, and no list of "secret-looking" names is complete.</li>
 * </ul>
 * Outside URIs: the values of secret-looking query parameters ({@code token=...}), bearer tokens
 * and AWS access key ids. {@link #truncateForMessage} then makes the text one printable line.
 */
public final class Redactor {
    public static final String MASK = "***";
    private static final int MESSAGE_LIMIT = 300;

    /** A URI: its scheme, one or two slashes, and the rest up to whitespace, a quote or an angle bracket. */
    private static final Pattern URI = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*:/{1,2})([^\\s'\"`<>]*)");
    /** Sentence punctuation after a URI is not part of it. */
    private static final String TRAILING = ")]},.:;!";
    private static final Pattern HOST_AND_PORT = Pattern.compile("(?:\\[[^\\]]*\\]|[^:\\[\\]]*)(?::\\d*)?");
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer\\s+)[a-z0-9._~+/=-]+");
    private static final Pattern AWS_ACCESS_KEY_ID = Pattern.compile("\\b(?:AKIA|ASIA)[A-Z0-9]{16}\\b");
    private static final Pattern SECRET_QUERY = Pattern.compile(
            "(?i)([?&;](?:[a-z0-9_.-]*(?:token|secret|password|passwd|pwd|signature|sig|credential|key|auth|session)[a-z0-9_.-]*)=)([^&;#\\s'\"`<>()\\[\\]{}]*)");

    private Redactor() {}

    /** The text with credentials masked; null stays null. */
    public static String redact(String text) {
        if (text == null || text.isEmpty() || !mayHoldSecret(text)) {
            return text;
        }
        String out = URI.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + redactAfterScheme(m.group(2))));
        out = SECRET_QUERY.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
        out = BEARER.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
        out = AWS_ACCESS_KEY_ID.matcher(out).replaceAll(MASK);
        return out;
    }

    /** A URI after its {@code scheme://}: user info, query values and fragment masked. */
    private static String redactAfterScheme(String token) {
        int end = token.length();
        while (end > 0 && TRAILING.indexOf(token.charAt(end - 1)) >= 0) {
            end--;
        }
        String rest = token.substring(0, end);
        String trailing = token.substring(end);
        int authorityEnd = indexOfAny(rest, "/?#", 0);
        String authority = authorityEnd < 0 ? rest : rest.substring(0, authorityEnd);
        String prefix = "";
        if (authority.indexOf('@') >= 0) {
            prefix = MASK + "@";
            rest = rest.substring(authority.lastIndexOf('@') + 1);
        } else if (!HOST_AND_PORT.matcher(authority).matches()) {
            // 'user:pass' cut short by a '/', '?' or '#' in the password: mask to the last '@', or everything
            int at = rest.lastIndexOf('@');
            if (at < 0) {
                return MASK + trailing;
            }
            prefix = MASK + "@";
            rest = rest.substring(at + 1);
        }
        return prefix + maskQueryAndFragment(rest) + trailing;
    }

    private static String maskQueryAndFragment(String rest) {
        int q = indexOfAny(rest, "?#", 0);
        if (q < 0) {
            return rest;
        }
        StringBuilder b = new StringBuilder(rest.substring(0, q));
        int hash = rest.indexOf('#', q);
        if (rest.charAt(q) == '?') {
            String query = rest.substring(q + 1, hash < 0 ? rest.length() : hash);
            b.append('?');
            int start = 0;
            for (int i = 0; i <= query.length(); i++) {
                if (i == query.length() || query.charAt(i) == '&' || query.charAt(i) == ';') {
                    String component = query.substring(start, i);
                    int eq = component.indexOf('=');
                    b.append(component.isEmpty() ? "" : eq < 0 ? MASK : component.substring(0, eq + 1) + MASK);
                    if (i < query.length()) {
                        b.append(query.charAt(i));
                    }
                    start = i + 1;
                }
            }
        }
        if (hash >= 0) {
            b.append('#').append(MASK);
        }
        return b.toString();
    }

    private static int indexOfAny(String text, String chars, int from) {
        for (int i = from; i < text.length(); i++) {
            if (chars.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * False when no pattern can match, checked without a regular expression (the common case: a
     * metric-free param or tag value such as {@code 0.5}): a URI's user info, query or fragment
     * needs ":/" (or an '@' or '=' elsewhere), a secret query parameter an '=', a bearer token the
     * word "bearer", an AWS access key id "AKIA" or "ASIA".
     */
    private static boolean mayHoldSecret(String text) {
        return text.indexOf('@') >= 0 || text.indexOf('=') >= 0 || text.contains(":/") || text.contains("AKIA") || text.contains("ASIA")
                || containsIgnoreCase(text, "bearer");
    }

    private static boolean containsIgnoreCase(String text, String word) {
        for (int i = 0, last = text.length() - word.length(); i <= last; i++) {
            if (text.regionMatches(true, i, word, 0, word.length())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Text quoted in a one-line message: credentials are the caller's business ({@link #redact}),
     * this makes it printable on one line ({@link TerminalText#visible}: line breaks and every
     * control, bidi or invisible formatting character shown as an escape) and shortens it.
     */
    public static String truncateForMessage(String text) {
        String oneLine = TerminalText.visible(text);
        return oneLine.length() <= MESSAGE_LIMIT ? oneLine : oneLine.substring(0, MESSAGE_LIMIT) + "...";
    }
}
