package org.cropcast.tracking;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.cropcast.tracking.RunFilter.Absent;
import org.cropcast.tracking.RunFilter.Attribute;
import org.cropcast.tracking.RunFilter.Comparator;
import org.cropcast.tracking.RunFilter.Comparison;
import org.cropcast.tracking.RunFilter.Entity;
import org.cropcast.tracking.RunFilter.Number;
import org.cropcast.tracking.RunFilter.Operand;
import org.cropcast.tracking.RunFilter.Text;
import org.cropcast.tracking.RunFilter.TextList;

/**
 * Reads MLflow's run search grammar: the part of SQL that MLflow's {@code SearchUtils} accepts for
 * runs (it tokenizes with sqlparse, then keeps comparisons and {@code AND}). Hand-written because
 * tracking-core depends on the JDK alone and the grammar is small; docs/DEPENDENCIES.md says why
 * no parser library. What MLflow accepts and how it reads it (quotes kept as written, stray
 * {@code AND}s ignored, lists only for {@code run_id} and datasets) is pinned by a corpus test that
 * runs every filter through the pinned Python MLflow too.
 */
final class RunFilterParser {
    private static final Map<String, Entity> ENTITIES = Map.ofEntries(
            Map.entry("metric", Entity.METRIC), Map.entry("metrics", Entity.METRIC),
            Map.entry("param", Entity.PARAM), Map.entry("params", Entity.PARAM),
            Map.entry("parameter", Entity.PARAM), Map.entry("parameters", Entity.PARAM),
            Map.entry("tag", Entity.TAG), Map.entry("tags", Entity.TAG),
            Map.entry("attribute", Entity.ATTRIBUTE), Map.entry("attributes", Entity.ATTRIBUTE),
            Map.entry("attr", Entity.ATTRIBUTE), Map.entry("run", Entity.ATTRIBUTE),
            Map.entry("dataset", Entity.DATASET), Map.entry("datasets", Entity.DATASET));
    private static final String ENTITY_HELP = "metrics, params, tags, attributes, datasets"
            + " (or metric, param, parameter(s), tag, attribute, attr, run, dataset)";

    private enum Kind { WORD, BACKQUOTED, SINGLE_QUOTED, DOUBLE_QUOTED, NUMBER, DOT, OPERATOR, OPEN, CLOSE, COMMA, END }

    /** A token; {@code start} and {@code end} are 0-based offsets into the text. */
    private record Token(Kind kind, String text, int start, int end) {
        boolean isWord(String word) {
            return kind == Kind.WORD && text.equalsIgnoreCase(word);
        }

        /** The text between the quotes, as written (MLflow does not unescape). */
        String inner() {
            return text.substring(1, text.length() - 1);
        }
    }

    private record Identifier(Entity entity, String key, int start) {}

    private final String what;
    private final String source;
    private final List<Token> tokens;
    private int next;

    private RunFilterParser(String what, String source) {
        this.what = what;
        this.source = source;
        this.tokens = tokenize();
    }

    static List<Comparison> parseFilter(String text) {
        RunFilterParser parser = new RunFilterParser("filter", text);
        List<Comparison> comparisons = new ArrayList<>();
        while (parser.peek().kind() != Kind.END) {
            if (parser.peek().isWord("AND")) {
                parser.next++; // MLflow keeps comparisons and ignores every AND, stray ones included
            } else if (parser.peek().isWord("OR") || parser.peek().isWord("NOT")) {
                throw parser.error(parser.peek().start(), "only AND joins comparisons (MLflow's search has no "
                        + parser.peek().text().toUpperCase(Locale.ROOT) + ")");
            } else {
                comparisons.add(parser.comparison());
            }
        }
        return comparisons;
    }

    static RunOrder parseOrder(String text) {
        RunFilterParser parser = new RunFilterParser("order-by", text);
        Token first = parser.peek();
        if (first.kind() == Kind.END) {
            throw parser.error(first.start(), "is empty; expected a key such as metrics.rmse or attributes.start_time");
        }
        Identifier id = parser.identifier(true);
        boolean ascending = true;
        Token direction = parser.peek();
        if (direction.isWord("ASC") || direction.isWord("DESC")) {
            ascending = direction.isWord("ASC");
            parser.next++;
        }
        Token end = parser.peek();
        if (end.kind() != Kind.END) {
            throw parser.error(end.start(), "expected ASC, DESC or the end, found '" + end.text() + "'");
        }
        return new RunOrder(text, id.entity(), id.key(), ascending);
    }

    // ---- grammar ----

    private Comparison comparison() {
        Identifier id = identifier(false);
        Token op = take();
        Comparator comparator = comparator(op);
        Operand operand = operand(comparator, op);
        String problem = Comparison.problem(id.entity(), id.key(), comparator, operand);
        if (problem != null) {
            throw error(id.start(), problem);
        }
        return new Comparison(id.entity(), id.key(), comparator, operand);
    }

    private Identifier identifier(boolean orderBy) {
        Token first = take();
        if (first.kind() != Kind.WORD && first.kind() != Kind.BACKQUOTED) {
            throw error(first.start(), "expected a key such as metrics.rmse, params.`a/b` or status, found " + shown(first));
        }
        String head = first.kind() == Kind.BACKQUOTED ? first.inner() : first.text();
        if (!adjacent(first, Kind.DOT)) {
            return attribute(head, first.start(), orderBy);
        }
        Entity entity = ENTITIES.get(head);
        if (entity == null) {
            throw error(first.start(), "unknown entity type '" + head + "'; expected one of " + ENTITY_HELP);
        }
        Token dot = take();
        Token keyStart = peek();
        if (keyStart.start() != dot.end()) {
            throw error(dot.start(), "expected a key right after '" + head + ".'");
        }
        String key = key();
        if (entity == Entity.ATTRIBUTE) {
            return attribute(key, first.start(), orderBy);
        }
        if (entity == Entity.DATASET) {
            if (orderBy) {
                throw error(first.start(), "runs cannot be ordered by a dataset; use metrics., params., tags. or attributes.");
            }
            if (!Comparison.DATASET_KEYS.contains(key)) {
                throw error(keyStart.start(), "unknown dataset key '" + key + "'; valid: context, digest, name");
            }
        }
        return new Identifier(entity, key, first.start());
    }

    /** A key after {@code entity.}: dotted words, or one quoted or backquoted name. */
    private String key() {
        Token token = take();
        switch (token.kind()) {
            case BACKQUOTED, SINGLE_QUOTED, DOUBLE_QUOTED -> {
                if (adjacent(token, Kind.DOT)) {
                    throw error(peek().start(), "a quoted key is the whole key; quote the dots inside it too");
                }
                return token.inner();
            }
            case WORD, NUMBER -> {
                StringBuilder key = new StringBuilder(token.text());
                Token last = token;
                while (adjacent(last, Kind.DOT)) {
                    Token dot = take();
                    Token part = take();
                    if ((part.kind() != Kind.WORD && part.kind() != Kind.NUMBER) || part.start() != dot.end()) {
                        throw error(dot.start(), "expected a key part after '.'; quote keys with other characters in backquotes");
                    }
                    key.append('.').append(part.text());
                    last = part;
                }
                return key.toString();
            }
            default -> throw error(token.start(), "expected a key, found " + shown(token)
                    + "; quote keys with characters other than letters, digits, '_' and '.' in backquotes");
        }
    }

    private Identifier attribute(String key, int start, boolean orderBy) {
        Optional<Attribute> attribute = orderBy ? Attribute.forOrderBy(key) : Attribute.forFilter(key);
        if (attribute.isEmpty()) {
            throw error(start, "unknown attribute '" + key + "'; valid: artifact_uri, end_time, run_id, run_name, start_time,"
                    + " status, user_id, created" + (orderBy ? "" : ", `run name`"));
        }
        return new Identifier(Entity.ATTRIBUTE, attribute.get().key(), start);
    }

    private Comparator comparator(Token op) {
        if (op.kind() == Kind.OPERATOR) {
            return switch (op.text()) {
                case "=" -> Comparator.EQ;
                case "!=" -> Comparator.NE;
                case "<" -> Comparator.LT;
                case "<=" -> Comparator.LE;
                case ">" -> Comparator.GT;
                case ">=" -> Comparator.GE;
                default -> throw error(op.start(), "comparator '" + op.text() + "' is not one MLflow accepts; use = or !=");
            };
        }
        if (op.isWord("LIKE")) {
            return Comparator.LIKE;
        }
        if (op.isWord("ILIKE")) {
            return Comparator.ILIKE;
        }
        if (op.isWord("IN")) {
            return Comparator.IN;
        }
        if (op.isWord("NOT")) {
            Token in = take();
            if (in.isWord("IN")) {
                return Comparator.NOT_IN;
            }
            throw error(in.start(), "expected IN after NOT (MLflow has no NOT " + in.text().toUpperCase(Locale.ROOT) + " for runs)");
        }
        if (op.isWord("IS")) {
            Token not = peek();
            boolean negated = not.isWord("NOT");
            if (negated) {
                next++;
            }
            Token nul = take();
            if (!nul.isWord("NULL")) {
                throw error(nul.start(), "expected NULL after IS" + (negated ? " NOT" : ""));
            }
            return negated ? Comparator.IS_NOT_NULL : Comparator.IS_NULL;
        }
        throw error(op.start(), "expected a comparator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN, IS NULL, IS NOT NULL),"
                + " found " + shown(op));
    }

    private Operand operand(Comparator comparator, Token op) {
        if (comparator == Comparator.IS_NULL || comparator == Comparator.IS_NOT_NULL) {
            return new Absent();
        }
        Token value = take();
        switch (value.kind()) {
            case SINGLE_QUOTED, DOUBLE_QUOTED -> {
                return new Text(value.inner());
            }
            case NUMBER -> {
                return number(value);
            }
            case OPEN -> {
                if (comparator != Comparator.IN && comparator != Comparator.NOT_IN) {
                    throw error(value.start(), "a list follows only IN or NOT IN");
                }
                return list(value);
            }
            default -> throw error(value.start(), "expected a number or a quoted string after '" + op.text() + "', found " + shown(value));
        }
    }

    private Number number(Token token) {
        String text = token.text();
        boolean integral = text.chars().allMatch(c -> c == '-' || Character.isDigit(c));
        if (!integral) {
            return Number.of(Double.parseDouble(text));
        }
        try {
            return Number.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return Number.of(Double.parseDouble(text)); // MLflow keeps the int; SQLite compares it as a real beyond 64 bits
        }
    }

    /** A Python tuple of strings, as MLflow reads it with {@code ast.literal_eval}: non-empty, trailing comma allowed. */
    private TextList list(Token open) {
        List<String> values = new ArrayList<>();
        while (true) {
            Token item = take();
            if (item.kind() == Kind.CLOSE && !values.isEmpty()) {
                return new TextList(values);
            }
            if (item.kind() != Kind.SINGLE_QUOTED && item.kind() != Kind.DOUBLE_QUOTED) {
                throw error(item.start(), values.isEmpty() && item.kind() == Kind.CLOSE
                        ? "an IN list is not empty" : "expected a quoted string in the list, found " + shown(item));
            }
            String inner = item.inner();
            char quote = item.text().charAt(0);
            if (inner.indexOf('\\') >= 0 || inner.indexOf(quote) >= 0) {
                throw error(item.start(), "escapes and doubled quotes are not supported inside an IN list");
            }
            values.add(inner);
            Token after = take();
            if (after.kind() == Kind.CLOSE) {
                return new TextList(values);
            }
            if (after.kind() != Kind.COMMA) {
                throw error(after.start(), "expected ',' or ')' in the list opened at position " + (open.start() + 1)
                        + ", found " + shown(after));
            }
        }
    }

    // ---- tokens ----

    private Token peek() {
        return tokens.get(next);
    }

    private Token take() {
        Token token = tokens.get(next);
        if (token.kind() != Kind.END) {
            next++;
        }
        return token;
    }

    /** True when the token after {@code token} is of this kind and touches it (no whitespace between). */
    private boolean adjacent(Token token, Kind kind) {
        Token following = peek();
        return following.kind() == kind && following.start() == token.end();
    }

    private static String shown(Token token) {
        return token.kind() == Kind.END ? "the end" : "'" + token.text() + "'";
    }

    private List<Token> tokenize() {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            Token previous = out.isEmpty() ? null : out.get(out.size() - 1);
            boolean keyPart = previous != null && previous.kind() == Kind.DOT && previous.end() == i;
            int end;
            Kind kind;
            if (c == '\'' || c == '"' || c == '`') {
                end = quoted(i, c);
                kind = c == '\'' ? Kind.SINGLE_QUOTED : c == '"' ? Kind.DOUBLE_QUOTED : Kind.BACKQUOTED;
            } else if (!keyPart && (end = number(i)) > i) {
                kind = Kind.NUMBER;
            } else if (isWordChar(c)) {
                end = i;
                while (end < n && isWordChar(source.charAt(end))) {
                    end++;
                }
                kind = Kind.WORD;
            } else if (c == '.') {
                end = i + 1;
                kind = Kind.DOT;
            } else if (c == '(' || c == ')' || c == ',') {
                end = i + 1;
                kind = c == '(' ? Kind.OPEN : c == ')' ? Kind.CLOSE : Kind.COMMA;
            } else if ("<>=!".indexOf(c) >= 0) {
                end = i + 1;
                if (end < n && "<>=".indexOf(source.charAt(end)) >= 0 && !(c == '>' && source.charAt(end) == '<')) {
                    end++;
                }
                String op = source.substring(i, end);
                if (op.equals("!")) {
                    throw error(i, "unexpected '!'; the comparator is !=");
                }
                kind = Kind.OPERATOR;
            } else {
                throw error(i, "unexpected character '" + c + "'");
            }
            out.add(new Token(kind, source.substring(i, end), i, end));
            i = end;
        }
        out.add(new Token(Kind.END, "", n, n));
        return out;
    }

    /** The end of a quoted token starting at {@code start}: a doubled or backslash-escaped quote stays inside (as sqlparse reads it). */
    private int quoted(int start, char quote) {
        int i = start + 1;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (c == quote) {
                if (i + 1 < n && source.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            if (c == '\\' && quote != '`' && i + 1 < n && source.charAt(i + 1) == quote && !closesAt(i + 1, quote)) {
                i += 2;
                continue;
            }
            i++;
        }
        String name = quote == '`' ? "backquoted key" : "string";
        throw error(start, "unterminated " + name + " (no closing " + quote + ")");
    }

    /** Whether an escaped-looking quote at {@code i} must close the token because nothing after it could. */
    private boolean closesAt(int i, char quote) {
        for (int j = i + 1; j < source.length(); j++) {
            if (source.charAt(j) == quote) {
                return false;
            }
        }
        return true;
    }

    /**
     * The end of a numeric literal at {@code start}, or {@code start} when there is none: an optional
     * '-', then digits with an exponent, digits with a fraction, a fraction alone, or digits; not
     * followed by a letter, digit or '_'.
     */
    private int number(int start) {
        int i = start;
        int n = source.length();
        if (i < n && source.charAt(i) == '-') {
            i++;
        }
        int digits = digits(i);
        int end;
        if (digits > i) {
            end = digits;
            int exponent = exponent(fraction(digits, true));
            if (exponent > 0) {
                end = exponent;
            } else if (digits < n && source.charAt(digits) == '.') {
                end = digits(digits + 1);
            }
        } else if (i < n && source.charAt(i) == '.' && digits(i + 1) > i + 1) {
            end = digits(i + 1);
        } else {
            return start;
        }
        return end < n && isWordChar(source.charAt(end)) ? start : end;
    }

    /** After digits: '.' and digits (when {@code needDigits}), else the same position. */
    private int fraction(int i, boolean needDigits) {
        if (i < source.length() && source.charAt(i) == '.') {
            int end = digits(i + 1);
            return end > i + 1 || !needDigits ? end : i;
        }
        return i;
    }

    /** The end of an exponent ([eE] '-'? digits) at {@code i}, or -1. */
    private int exponent(int i) {
        int n = source.length();
        if (i < n && (source.charAt(i) == 'e' || source.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < n && source.charAt(j) == '-') {
                j++;
            }
            int end = digits(j);
            return end > j ? end : -1;
        }
        return -1;
    }

    private int digits(int i) {
        while (i < source.length() && Character.isDigit(source.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private CropcastException error(int position, String problem) {
        String shownSource = source.replaceAll("\\s", " ");
        return new CropcastException(TrackingErrorCode.INVALID_FILTER,
                what + " \"" + shownSource + "\" at position " + (position + 1) + ": " + problem);
    }
}
