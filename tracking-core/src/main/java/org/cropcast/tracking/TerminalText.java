package org.cropcast.tracking;

/**
 * The one sanitiser for text from outside the program (configuration, data files, a database, a
 * server's answers) on its way to a terminal or a log: every character a terminal would
 * interpret is shown as a visible escape instead, so no escape sequence (ESC, the C1 CSI U+009B),
 * no bidi override and no line break of the data reaches the terminal.
 * <ul>
 *   <li>{@code \n}, {@code \r}, {@code \t} as those two characters;</li>
 *   <li>every other C0 and C1 control, DEL, the bidi controls (U+061C, U+200E/F, U+202A-202E,
 *       U+2066-2069), the other invisible formatting characters (zero-width spaces and joiners,
 *       U+FEFF...) and the line and paragraph separators (U+2028/9) as {@code \}{@code uXXXX}.</li>
 * </ul>
 * Everything else, accented and non-Latin letters included, is kept. The result is one line.
 */
public final class TerminalText {
    private TerminalText() {}

    /** The text with every interpreted character escaped; null becomes "null". */
    public static String visible(String text) {
        if (text == null) {
            return "null";
        }
        if (isClean(text)) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(c -> appendVisible(b, c));
        return b.toString();
    }

    /** Whether a code point is shown escaped by {@link #visible}. */
    public static boolean isInterpreted(int c) {
        if (Character.isISOControl(c)) {
            return true;
        }
        int type = Character.getType(c);
        return type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.SURROGATE;
    }

    /** The escape shown for a code point. */
    public static String escape(int c) {
        return switch (c) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> String.format("\\u%04X", c);
        };
    }

    /**
     * A writer to a terminal that lets through the line breaks and tabs the program itself writes
     * ({@code \n}, {@code \r}, {@code \t}) and escapes every other interpreted character, whatever
     * printed it: the last line of defence under {@link #visible}, which every value from outside
     * data goes through first (so that its own line breaks are escaped too).
     */
    public static java.io.Writer writer(java.io.Writer terminal) {
        return new java.io.FilterWriter(terminal) {
            @Override
            public void write(int c) throws java.io.IOException {
                if (c == '\n' || c == '\r' || c == '\t' || Character.getType(c) == Character.SURROGATE || !isInterpreted(c)) {
                    out.write(c);
                } else {
                    out.write(escape(c));
                }
            }

            @Override
            public void write(char[] buffer, int offset, int length) throws java.io.IOException {
                for (int i = offset; i < offset + length; i++) {
                    write(buffer[i]);
                }
            }

            @Override
            public void write(String text, int offset, int length) throws java.io.IOException {
                for (int i = offset; i < offset + length; i++) {
                    write(text.charAt(i));
                }
            }
        };
    }

    private static boolean isClean(String text) {
        return text.codePoints().noneMatch(c -> c < 0x20 || c >= 0x7f && isInterpreted(c));
    }

    private static void appendVisible(StringBuilder b, int c) {
        if (isInterpreted(c)) {
            b.append(escape(c));
        } else {
            b.appendCodePoint(c);
        }
    }
}
