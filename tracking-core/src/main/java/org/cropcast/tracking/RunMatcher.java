package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.cropcast.tracking.RunFilter.Attribute;
import org.cropcast.tracking.RunFilter.Comparison;
import org.cropcast.tracking.RunFilter.Entity;
import org.cropcast.tracking.RunFilter.Number;
import org.cropcast.tracking.RunFilter.Text;
import org.cropcast.tracking.RunFilter.TextList;

/**
 * Evaluates a {@link RunSearch} over runs held in memory with the semantics of MLflow's SQL store
 * on SQLite (what its server does), so the memory store and the SQLite store agree:
 * <ul>
 *   <li>a comparison on a missing metric, param or tag is false ({@code !=} included); only
 *       {@code IS NULL} is true for a missing param or tag;</li>
 *   <li>metrics compare their latest value; a NaN metric satisfies {@code !=} only; infinities
 *       compare as the largest finite doubles (MLflow stores them so);</li>
 *   <li>{@code attributes.run_name} is the {@code mlflow.runName} tag (MLflow's SQL store reads the
 *       tag); a missing end time satisfies nothing;</li>
 *   <li>{@code =}, {@code !=} and {@code LIKE} are case-sensitive; {@code ILIKE} folds ASCII letters
 *       only (SQLite's {@code lower}); {@code %} is any run of characters, {@code _} one character;</li>
 *   <li>runs have no dataset inputs here, so a dataset comparison is false.</li>
 * </ul>
 */
public final class RunMatcher {
    private static final double MAX = Double.MAX_VALUE;

    private RunMatcher() {}

    /** Whether a run satisfies every comparison of the filter. */
    public static boolean matches(Run run, RunFilter filter) {
        requireNonNull(run, "run is null");
        for (Comparison c : filter.comparisons()) {
            if (!matches(run, c)) {
                return false;
            }
        }
        return true;
    }

    /** MLflow's order: the clauses in turn, then start time (newest first) unless ordered on, then run id. */
    public static Comparator<Run> order(List<RunOrder> orders) {
        List<Comparator<Run>> parts = new ArrayList<>();
        boolean startTimeOrdered = false;
        for (RunOrder order : orders) {
            parts.add(clause(order));
            startTimeOrdered |= order.entity() == Entity.ATTRIBUTE && order.attribute() == Attribute.START_TIME;
        }
        if (!startTimeOrdered) {
            parts.add(Comparator.comparingLong((Run r) -> r.info().startTimeMillis()).reversed());
        }
        parts.add(Comparator.comparing((Run r) -> r.info().runId().value(), RunMatcher::compareText));
        return parts.stream().reduce(Comparator::thenComparing).orElseThrow();
    }

    private static boolean matches(Run run, Comparison c) {
        RunData data = run.data();
        return switch (c.entity()) {
            case METRIC -> {
                Metric metric = data.latestMetrics().get(c.key());
                if (metric == null) {
                    yield false;
                }
                if (Double.isNaN(metric.value())) {
                    yield c.comparator() == RunFilter.Comparator.NE;
                }
                yield compareNumber(sqlCompare(stored(metric.value()), ((Number) c.operand()).value()), c.comparator());
            }
            case PARAM -> matchesText(Optional.ofNullable(data.params().get(c.key())), c);
            case TAG -> matchesText(Optional.ofNullable(data.tags().get(c.key())), c);
            case ATTRIBUTE -> matchesAttribute(run, c);
            case DATASET -> false;
        };
    }

    private static boolean matchesAttribute(Run run, Comparison c) {
        RunInfo info = run.info();
        return switch (c.attribute()) {
            case START_TIME -> compareLong(info.startTimeMillis(), (Number) c.operand(), c.comparator());
            case END_TIME -> info.endTimeMillis().map(end -> compareLong(end, (Number) c.operand(), c.comparator())).orElse(false);
            case RUN_NAME -> matchesText(Optional.ofNullable(run.data().tags().get(RunStores.RUN_NAME_TAG)), c);
            case RUN_ID -> matchesText(Optional.of(info.runId().value()), c);
            case STATUS -> matchesText(Optional.of(info.status().name()), c);
            case USER_ID -> matchesText(Optional.of(info.userId()), c);
            case ARTIFACT_URI -> matchesText(Optional.of(info.artifactUri()), c);
        };
    }

    private static boolean matchesText(Optional<String> value, Comparison c) {
        return switch (c.comparator()) {
            case IS_NULL -> value.isEmpty();
            case IS_NOT_NULL -> value.isPresent();
            default -> value.map(v -> compareText(v, c)).orElse(false);
        };
    }

    private static boolean compareText(String value, Comparison c) {
        return switch (c.comparator()) {
            case EQ -> value.equals(((Text) c.operand()).value());
            case NE -> !value.equals(((Text) c.operand()).value());
            case LIKE -> like(value, ((Text) c.operand()).value());
            case ILIKE -> like(asciiLower(value), asciiLower(((Text) c.operand()).value()));
            case IN -> ((TextList) c.operand()).values().contains(value);
            case NOT_IN -> !((TextList) c.operand()).values().contains(value);
            case LT, LE, GT, GE, IS_NULL, IS_NOT_NULL -> throw new IllegalStateException("not a text comparator: " + c);
        };
    }

    private static boolean compareLong(long value, Number operand, RunFilter.Comparator comparator) {
        int sign = operand.integral() ? Long.compare(value, operand.longValue()) : sqlCompare(value, operand.value());
        return compareNumber(sign, comparator);
    }

    private static boolean compareNumber(int sign, RunFilter.Comparator comparator) {
        return switch (comparator) {
            case EQ -> sign == 0;
            case NE -> sign != 0;
            case LT -> sign < 0;
            case LE -> sign <= 0;
            case GT -> sign > 0;
            case GE -> sign >= 0;
            case LIKE, ILIKE, IN, NOT_IN, IS_NULL, IS_NOT_NULL -> throw new IllegalStateException("not a numeric comparator: " + comparator);
        };
    }

    /** The value as MLflow's SQL store keeps it: infinities as the largest finite doubles. */
    private static double stored(double value) {
        return value == Double.POSITIVE_INFINITY ? MAX : value == Double.NEGATIVE_INFINITY ? -MAX : value;
    }

    /** SQL LIKE without an escape character, by code point. */
    static boolean like(String value, String pattern) {
        int[] v = value.codePoints().toArray();
        int[] p = pattern.codePoints().toArray();
        // iterative wildcard matching with backtracking to the last '%'
        int vi = 0;
        int pi = 0;
        int star = -1;
        int mark = 0;
        while (vi < v.length) {
            if (pi < p.length && (p[pi] == '_' || p[pi] != '%' && p[pi] == v[vi])) {
                vi++;
                pi++;
            } else if (pi < p.length && p[pi] == '%') {
                star = pi++;
                mark = vi;
            } else if (star >= 0) {
                pi = star + 1;
                vi = ++mark;
            } else {
                return false;
            }
        }
        while (pi < p.length && p[pi] == '%') {
            pi++;
        }
        return pi == p.length;
    }

    private static String asciiLower(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            out.append(ch >= 'A' && ch <= 'Z' ? (char) (ch + 32) : ch);
        }
        return out.toString();
    }

    /** Text order as SQLite's BINARY collation (UTF-8 bytes, that is code points). */
    static int compareText(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    private static Comparator<Run> clause(RunOrder order) {
        if (order.entity() == Entity.METRIC) {
            // MLflow: numbers first, then NaN, then missing (whatever the direction), then the value
            Comparator<Run> group = Comparator.comparingInt(r -> {
                Metric m = r.data().latestMetrics().get(order.key());
                return m == null ? 2 : Double.isNaN(m.value()) ? 1 : 0;
            });
            Comparator<Run> value = (a, b) -> sqlCompare(sortValue(a, order.key()), sortValue(b, order.key()));
            return group.thenComparing(order.ascending() ? value : value.reversed());
        }
        if (order.entity() == Entity.ATTRIBUTE && order.attribute().numeric()) {
            Comparator<Run> group = Comparator.comparingInt(r -> numericAttribute(r, order.attribute()).isEmpty() ? 1 : 0);
            Comparator<Run> value = Comparator.comparingLong(r -> numericAttribute(r, order.attribute()).orElse(0L));
            return group.thenComparing(order.ascending() ? value : value.reversed());
        }
        Comparator<Run> group = Comparator.comparingInt(r -> textKey(r, order).isEmpty() ? 1 : 0);
        Comparator<Run> value = (a, b) -> compareText(textKey(a, order).orElse(""), textKey(b, order).orElse(""));
        return group.thenComparing(order.ascending() ? value : value.reversed());
    }

    private static double sortValue(Run run, String key) {
        Metric m = run.data().latestMetrics().get(key);
        return m == null || Double.isNaN(m.value()) ? 0 : stored(m.value());
    }

    /** Numeric order as SQL's: -0.0 equals 0.0 (Double.compare would separate them). */
    private static int sqlCompare(double a, double b) {
        return a < b ? -1 : a > b ? 1 : 0;
    }

    private static Optional<Long> numericAttribute(Run run, Attribute attribute) {
        return attribute == Attribute.START_TIME ? Optional.of(run.info().startTimeMillis()) : run.info().endTimeMillis();
    }

    private static Optional<String> textKey(Run run, RunOrder order) {
        RunInfo info = run.info();
        return switch (order.entity()) {
            case PARAM -> Optional.ofNullable(run.data().params().get(order.key()));
            case TAG -> Optional.ofNullable(run.data().tags().get(order.key()));
            case ATTRIBUTE -> Optional.of(switch (order.attribute()) {
                case RUN_ID -> info.runId().value();
                case RUN_NAME -> info.runName(); // ordering reads the runs.name column, as MLflow's SQL store
                case STATUS -> info.status().name();
                case USER_ID -> info.userId();
                case ARTIFACT_URI -> info.artifactUri();
                case START_TIME, END_TIME -> throw new IllegalStateException("numeric attribute");
            });
            case METRIC, DATASET -> throw new IllegalStateException("not a text key: " + order);
        };
    }
}
