package org.cropcast.tracking;

import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The first difference between two configuration documents (nested maps and lists of scalars, as
 * a YAML reader gives them), in the order of the keys. Numbers compare by value ({@code 1} equals
 * {@code 1.0}, an int equals a long), so a document equals itself after a round trip through YAML.
 *
 * @param key the dotted path of the first difference ({@code features.variables.2})
 * @param recorded the value in the recorded document ({@code (absent)} when it has none), redacted
 * @param requested the value in the requested document, redacted
 */
public record ConfigDifference(String key, String recorded, String requested) {
    private static final String ABSENT = "(absent)";

    /** The first difference, or empty when the documents are equal. */
    public static Optional<ConfigDifference> first(Map<String, ?> recorded, Map<String, ?> requested) {
        return compare("", recorded, requested);
    }

    private static Optional<ConfigDifference> compare(String key, Object a, Object b) {
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            Set<Object> keys = new LinkedHashSet<>(ma.keySet());
            keys.addAll(mb.keySet());
            for (Object k : keys) {
                Optional<ConfigDifference> d = compare(join(key, k), ma.get(k), mb.get(k));
                if (d.isPresent()) {
                    return d;
                }
            }
            return Optional.empty();
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            for (int i = 0; i < Math.max(la.size(), lb.size()); i++) {
                Optional<ConfigDifference> d = compare(join(key, i), i < la.size() ? la.get(i) : null, i < lb.size() ? lb.get(i) : null);
                if (d.isPresent()) {
                    return d;
                }
            }
            return Optional.empty();
        }
        if (sameScalar(a, b)) {
            return Optional.empty();
        }
        return Optional.of(new ConfigDifference(key.isEmpty() ? "(document)" : key, show(a), show(b)));
    }

    private static boolean sameScalar(Object a, Object b) {
        if (a instanceof Number na && b instanceof Number nb) {
            try {
                return new BigDecimal(na.toString()).compareTo(new BigDecimal(nb.toString())) == 0;
            } catch (NumberFormatException e) {
                return na.toString().equals(nb.toString()); // NaN, Infinity
            }
        }
        if (a instanceof Map<?, ?> || a instanceof List<?> || b instanceof Map<?, ?> || b instanceof List<?>) {
            return false;
        }
        return a == null ? b == null : b != null && a.toString().equals(b.toString()) && (a instanceof String) == (b instanceof String);
    }

    private static String join(String key, Object segment) {
        return key.isEmpty() ? String.valueOf(segment) : key + "." + segment;
    }

    private static String show(Object value) {
        if (value == null) {
            return ABSENT;
        }
        String text = value instanceof String s ? "'" + s + "'" : String.valueOf(value);
        return Redactor.truncateForMessage(Redactor.redact(text));
    }
}
