package org.cropcast.tracking;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes credentials from text before it reaches a tag, param, YAML file, log line or error
 * message: user-info in URIs ({@code https://user:pass@host}, {@code s3://key:secret@bucket}),
 * the values of secret-looking query parameters ({@code ?token=...}, {@code X-Amz-Signature=...}),
 * bearer tokens and AWS access key ids.
 */
public final class Redactor {
    public static final String MASK = "***";
    private static final int MESSAGE_LIMIT = 300;

    /**
     * Greedy up to the last '@' before the path, so a password containing '@' is masked whole. One
     * slash is enough ({@code s3:/user:secret@bucket} is malformed, but its secret is still a secret).
     */
    private static final Pattern USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*:/{1,2})([^/\\s?#]*@)");
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer\\s+)[a-z0-9._~+/=-]+");
    private static final Pattern AWS_ACCESS_KEY_ID = Pattern.compile("\\b(?:AKIA|ASIA)[A-Z0-9]{16}\\b");
    private static final Pattern SECRET_QUERY = Pattern.compile(
            "(?i)([?&;](?:[a-z0-9_.-]*(?:token|secret|password|passwd|pwd|signature|credential|key|auth|session)[a-z0-9_.-]*)=)([^&#\\s'\"`<>()\\[\\]{}]*)");

    private Redactor() {}

    /** The text with credentials masked; null stays null. */
    public static String redact(String text) {
        if (text == null || text.isEmpty() || !mayHoldSecret(text)) {
            return text;
        }
        String out = USER_INFO.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK + "@"));
        out = SECRET_QUERY.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
        out = BEARER.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
        out = AWS_ACCESS_KEY_ID.matcher(out).replaceAll(MASK);
        return out;
    }

    /**
     * False when no pattern can match, checked without a regular expression (the common case: a
     * metric-free param or tag value such as {@code 0.5}): user-info needs an '@', a secret query
     * parameter an '=', a bearer token the word "bearer", an AWS access key id "AKIA" or "ASIA".
     */
    private static boolean mayHoldSecret(String text) {
        return text.indexOf('@') >= 0 || text.indexOf('=') >= 0 || text.contains("AKIA") || text.contains("ASIA")
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
     * Shortens text quoted in a one-line message, and puts it on one line: line breaks and tabs
     * become spaces, any other control character (NUL, ESC of a terminal escape sequence...) '?'.
     */
    public static String truncateForMessage(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(c -> b.appendCodePoint(c == '\n' || c == '\r' || c == '\t' ? ' ' : Character.isISOControl(c) ? '?' : c));
        String oneLine = b.toString();
        return oneLine.length() <= MESSAGE_LIMIT ? oneLine : oneLine.substring(0, MESSAGE_LIMIT) + "...";
    }
}
