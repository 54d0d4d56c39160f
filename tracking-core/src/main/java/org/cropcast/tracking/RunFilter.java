package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A run filter in MLflow's search grammar ({@code search_runs(filter_string=...)}): comparisons
 * joined by {@code AND}, such as
 * {@code metrics.rmse < 1 and params.`hindcast/detrend` = 'linear' and attributes.status = 'FINISHED'}.
 * {@link #parse(String)} reads the text; the comparisons are typed and validate themselves, with
 * MLflow's rules for which comparators and values each kind of key takes. Every store evaluates
 * them with MLflow's semantics (those of its SQL store): see {@code docs/TRACKING.md}, "Searching runs".
 *
 * @param text the filter as written (empty for no filter); sent as it is to an MLflow server
 * @param comparisons what a run must satisfy, all of them
 */
public record RunFilter(String text, List<Comparison> comparisons) {
    public static final RunFilter NONE = new RunFilter("", List.of());

    public RunFilter {
        requireNonNull(text, "text is null");
        comparisons = List.copyOf(requireNonNull(comparisons, "comparisons is null"));
    }

    /**
     * Parses a filter; blank text is no filter. Fails with {@link TrackingErrorCode#INVALID_FILTER},
     * a one-line message naming the position (1-based) of the culprit.
     */
    public static RunFilter parse(String text) {
        requireNonNull(text, "text is null");
        return new RunFilter(text, RunFilterParser.parseFilter(text));
    }

    public boolean isEmpty() {
        return comparisons.isEmpty();
    }

    /** What a comparison looks at: MLflow's entity types. */
    public enum Entity {
        METRIC, PARAM, TAG, ATTRIBUTE, DATASET
    }

    /** A comparator, with the text MLflow writes it as. */
    public enum Comparator {
        EQ("="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">="),
        LIKE("LIKE"), ILIKE("ILIKE"), IN("IN"), NOT_IN("NOT IN"), IS_NULL("IS NULL"), IS_NOT_NULL("IS NOT NULL");

        static final Set<Comparator> NUMERIC = EnumSet.of(EQ, NE, LT, LE, GT, GE);
        static final Set<Comparator> PARAM_OR_TAG = EnumSet.of(EQ, NE, LIKE, ILIKE, IS_NULL, IS_NOT_NULL);
        static final Set<Comparator> STRING_ATTRIBUTE = EnumSet.of(EQ, NE, LIKE, ILIKE, IN, NOT_IN);

        private final String text;

        Comparator(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        /** The comparators a key of this kind takes (MLflow's {@code VALID_*_COMPARATORS}). */
        static Set<Comparator> validFor(Entity entity, String key) {
            return switch (entity) {
                case METRIC -> NUMERIC;
                case PARAM, TAG -> PARAM_OR_TAG;
                case ATTRIBUTE -> Attribute.fromKey(key).numeric() ? NUMERIC : STRING_ATTRIBUTE;
                case DATASET -> STRING_ATTRIBUTE;
            };
        }
    }

    /** The run attributes MLflow searches and orders by, with the names (and aliases) it accepts. */
    public enum Attribute {
        RUN_ID("run_id", false), RUN_NAME("run_name", false), STATUS("status", false), USER_ID("user_id", false),
        ARTIFACT_URI("artifact_uri", false), START_TIME("start_time", true), END_TIME("end_time", true);

        private final String key;
        private final boolean numeric;

        Attribute(String key, boolean numeric) {
            this.key = key;
            this.numeric = numeric;
        }

        public String key() {
            return key;
        }

        public boolean numeric() {
            return numeric;
        }

        /** The attribute a key names in a filter, aliases included ({@code created}, {@code run name}). */
        public static Optional<Attribute> forFilter(String key) {
            return switch (key) {
                case "created", "Created" -> Optional.of(START_TIME);
                case "run name", "Run name", "Run Name" -> Optional.of(RUN_NAME);
                default -> byKey(key);
            };
        }

        /** The attribute a key names in an order-by ({@code created} is accepted, {@code run name} is not). */
        public static Optional<Attribute> forOrderBy(String key) {
            return key.equals("created") || key.equals("Created") ? Optional.of(START_TIME) : byKey(key);
        }

        static Attribute fromKey(String key) {
            return forFilter(key).orElseThrow(() -> new IllegalArgumentException("not a run attribute: " + key));
        }

        private static Optional<Attribute> byKey(String key) {
            for (Attribute a : values()) {
                if (a.key.equals(key)) {
                    return Optional.of(a);
                }
            }
            return Optional.empty();
        }
    }

    /** The right-hand side of a comparison. */
    public sealed interface Operand permits Number, Text, TextList, Absent {}

    /** A numeric literal; {@code integral} when it was written as an integer (MLflow then compares an int). */
    public record Number(double value, boolean integral, long longValue) implements Operand {
        public static Number of(double value) {
            return new Number(value, false, (long) value);
        }

        public static Number of(long value) {
            return new Number(value, true, value);
        }
    }

    /** A quoted string, as written between its quotes (MLflow does not unescape). */
    public record Text(String value) implements Operand {
        public Text {
            requireNonNull(value, "value is null");
        }
    }

    /** A parenthesised, non-empty list of strings ({@code IN}, {@code NOT IN}). */
    public record TextList(List<String> values) implements Operand {
        public TextList {
            values = List.copyOf(requireNonNull(values, "values is null"));
            if (values.isEmpty()) {
                throw new IllegalArgumentException("an IN list is not empty");
            }
        }
    }

    /** No operand ({@code IS NULL}, {@code IS NOT NULL}). */
    public record Absent() implements Operand {}

    /**
     * One comparison. The key of an {@link Entity#ATTRIBUTE} is the attribute's own name (aliases
     * resolved), of a {@link Entity#DATASET} one of {@code name}, {@code digest}, {@code context}.
     * The constructor enforces MLflow's rules: which comparators each kind takes and which operand.
     */
    public record Comparison(Entity entity, String key, Comparator comparator, Operand operand) {
        static final Set<String> DATASET_KEYS = Set.of("name", "digest", "context");

        public Comparison {
            requireNonNull(entity, "entity is null");
            requireNonNull(key, "key is null");
            requireNonNull(comparator, "comparator is null");
            requireNonNull(operand, "operand is null");
            if (entity == Entity.ATTRIBUTE && Attribute.forFilter(key).map(a -> !a.key().equals(key)).orElse(true)) {
                throw new IllegalArgumentException("not a run attribute's own name: " + key);
            }
            if (entity == Entity.DATASET && !DATASET_KEYS.contains(key)) {
                throw new IllegalArgumentException("not a dataset key: " + key);
            }
            String problem = problem(entity, key, comparator, operand);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
        }

        /** The attribute an {@link Entity#ATTRIBUTE} comparison looks at. */
        public Attribute attribute() {
            if (entity != Entity.ATTRIBUTE) {
                throw new IllegalStateException(entity + " comparison has no attribute");
            }
            return Attribute.fromKey(key);
        }

        /** Why this comparison is not one MLflow accepts, or null. Shared with the parser's messages. */
        static String problem(Entity entity, String key, Comparator comparator, Operand operand) {
            String what = describe(entity, key);
            if (!Comparator.validFor(entity, key).contains(comparator)) {
                return "comparator '" + comparator.text() + "' is not valid for " + what + "; valid: "
                        + Comparator.validFor(entity, key).stream().map(Comparator::text).toList();
            }
            boolean numeric = entity == Entity.METRIC || entity == Entity.ATTRIBUTE && Attribute.fromKey(key).numeric();
            boolean list = comparator == Comparator.IN || comparator == Comparator.NOT_IN;
            boolean none = comparator == Comparator.IS_NULL || comparator == Comparator.IS_NOT_NULL;
            if (none) {
                return operand instanceof Absent ? null : comparator.text() + " takes no value";
            }
            if (numeric) {
                return operand instanceof Number ? null : what + " is compared with a number";
            }
            if (list) {
                if (entity == Entity.ATTRIBUTE && Attribute.fromKey(key) != Attribute.RUN_ID) {
                    return "only attributes.run_id (and datasets) compare with a list, not " + what;
                }
                return operand instanceof TextList ? null : comparator.text() + " takes a parenthesised list of quoted strings";
            }
            return operand instanceof Text ? null : what + " is compared with a quoted string";
        }

        private static String describe(Entity entity, String key) {
            return switch (entity) {
                case METRIC -> "metric '" + key + "'";
                case PARAM -> "param '" + key + "'";
                case TAG -> "tag '" + key + "'";
                case ATTRIBUTE -> "attribute '" + key + "'";
                case DATASET -> "dataset '" + key + "'";
            };
        }
    }
}
