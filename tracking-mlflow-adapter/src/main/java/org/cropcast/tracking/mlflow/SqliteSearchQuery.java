package org.cropcast.tracking.mlflow;

import static java.util.Objects.requireNonNull;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.cropcast.tracking.RunFilter.Attribute;
import org.cropcast.tracking.RunFilter.Comparator;
import org.cropcast.tracking.RunFilter.Comparison;
import org.cropcast.tracking.RunFilter.Entity;
import org.cropcast.tracking.RunFilter.Number;
import org.cropcast.tracking.RunFilter.Text;
import org.cropcast.tracking.RunFilter.TextList;
import org.cropcast.tracking.RunOrder;
import org.cropcast.tracking.RunSearch;

/**
 * A {@link RunSearch} as one parameterised SQL query over MLflow's schema, with the semantics of
 * MLflow's SQL store ({@code _get_sqlalchemy_filter_clauses}, {@code _get_orderby_clauses}) on
 * SQLite. Every value from the filter is a bound parameter; only the shape of the query comes from
 * the filter, so a prepared statement is reused by every search of the same shape.
 * <ul>
 *   <li>a metric, param or tag comparison is an {@code EXISTS} over its table (MLflow inner-joins
 *       a subquery and takes distinct runs: the same runs); metrics are the latest values, and a
 *       NaN ({@code is_nan}) satisfies {@code !=} only;</li>
 *   <li>{@code run_name} compares the {@code mlflow.runName} tag, other attributes their column;</li>
 *   <li>{@code LIKE} is case-sensitive, as MLflow makes it ({@code PRAGMA case_sensitive_like}):
 *       here as the equivalent {@code GLOB}, so no connection state is changed; {@code ILIKE} is
 *       {@code lower(value)} matched against the lowered pattern (SQLite lowers ASCII only);</li>
 *   <li>datasets: the run's inputs joined to {@code datasets} (and {@code input_tags} for context);</li>
 *   <li>order: per clause, runs with a value first (for metrics: numbers, then NaN, then missing),
 *       then the value; then start time descending unless ordered on; then run id.</li>
 * </ul>
 */
final class SqliteSearchQuery {
    private static final String RUN_NAME_TAG = SqliteRunStore.RUN_NAME_TAG;
    private static final String DATASET_CONTEXT_TAG = "mlflow.data.context";

    private final String sql;
    private final List<Object> parameters;

    private SqliteSearchQuery(String sql, List<Object> parameters) {
        this.sql = sql;
        this.parameters = List.copyOf(parameters);
    }

    /**
     * The query for a search in one experiment.
     *
     * @param runColumns the runs columns to select, comma-separated, unqualified (they are
     *     qualified here, as the joined tables have columns of the same names)
     */
    static SqliteSearchQuery of(RunSearch search, long experimentId, String runColumns) {
        requireNonNull(search, "search is null");
        List<Object> joinParameters = new ArrayList<>();
        List<Object> whereParameters = new ArrayList<>();
        StringBuilder joins = new StringBuilder();
        List<String> orderTerms = new ArrayList<>();
        int alias = 0;
        boolean startTimeOrdered = false;
        for (RunOrder order : search.orderBy()) {
            alias++;
            String column;
            String presence;
            if (order.entity() == Entity.ATTRIBUTE) {
                column = "runs." + runColumn(order.attribute());
                presence = "CASE WHEN " + column + " IS NULL THEN 1 ELSE 0 END";
                startTimeOrdered |= order.attribute() == Attribute.START_TIME;
            } else {
                String table = "o" + alias;
                joins.append(" LEFT JOIN ").append(table(order.entity())).append(' ').append(table)
                        .append(" ON ").append(table).append(".run_uuid = runs.run_uuid AND ").append(table).append(".key = ?");
                joinParameters.add(order.key());
                column = table + ".value";
                presence = order.entity() == Entity.METRIC
                        ? "CASE WHEN " + table + ".is_nan = 1 THEN 1 WHEN " + column + " IS NULL THEN 2 ELSE 0 END"
                        : "CASE WHEN " + column + " IS NULL THEN 1 ELSE 0 END";
            }
            orderTerms.add(presence);
            orderTerms.add(column + (order.ascending() ? "" : " DESC"));
        }
        if (!startTimeOrdered) {
            orderTerms.add("runs.start_time DESC");
        }
        orderTerms.add("runs.run_uuid");

        StringBuilder where = new StringBuilder(" WHERE runs.experiment_id = ? AND runs.lifecycle_stage = 'active'");
        whereParameters.add(experimentId);
        search.status().ifPresent(status -> {
            where.append(" AND runs.status = ?");
            whereParameters.add(status.name());
        });
        for (Comparison comparison : search.filter().comparisons()) {
            where.append(" AND ").append(condition(comparison, whereParameters));
        }

        String columns = Arrays.stream(runColumns.split(","))
                .map(String::strip)
                .map(c -> "runs." + c)
                .collect(Collectors.joining(", "));
        String sql = "SELECT " + columns + " FROM runs" + joins + where + " ORDER BY " + String.join(", ", orderTerms) + " LIMIT ?";
        List<Object> parameters = new ArrayList<>(joinParameters);
        parameters.addAll(whereParameters);
        parameters.add(search.maxResults());
        return new SqliteSearchQuery(sql, parameters);
    }

    String sql() {
        return sql;
    }

    List<Object> parameters() {
        return parameters;
    }

    /** Binds the parameters to a statement prepared from {@link #sql()}. */
    void bind(PreparedStatement statement) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            statement.setObject(i + 1, parameters.get(i));
        }
    }

    private static String condition(Comparison c, List<Object> parameters) {
        return switch (c.entity()) {
            case METRIC -> metricCondition(c, parameters);
            case PARAM, TAG -> keyedCondition(table(c.entity()), c.key(), c, parameters);
            case ATTRIBUTE -> c.attribute() == Attribute.RUN_NAME
                    ? keyedCondition("tags", RUN_NAME_TAG, c, parameters)
                    : valueCondition("runs." + runColumn(c.attribute()), c, parameters);
            case DATASET -> datasetCondition(c, parameters);
        };
    }

    private static String metricCondition(Comparison c, List<Object> parameters) {
        parameters.add(c.key());
        parameters.add(((Number) c.operand()).value());
        String nan = c.comparator() == Comparator.NE ? " OR f.is_nan = 1)" : " AND f.is_nan = 0)";
        return "EXISTS (SELECT 1 FROM latest_metrics f WHERE f.run_uuid = runs.run_uuid AND f.key = ? AND (f.value "
                + sqlOperator(c.comparator()) + " ?" + nan + ")";
    }

    /** A comparison on a key-value table (params, tags): the run has the key and its value compares. */
    private static String keyedCondition(String table, String key, Comparison c, List<Object> parameters) {
        String exists = "EXISTS (SELECT 1 FROM " + table + " f WHERE f.run_uuid = runs.run_uuid AND f.key = ?";
        parameters.add(key);
        return switch (c.comparator()) {
            case IS_NULL -> "NOT " + exists + ")";
            case IS_NOT_NULL -> exists + ")";
            default -> exists + " AND " + valueCondition("f.value", c, parameters) + ")";
        };
    }

    private static String datasetCondition(Comparison c, List<Object> parameters) {
        String from = "EXISTS (SELECT 1 FROM datasets d JOIN inputs i ON i.source_id = d.dataset_uuid";
        if (c.key().equals("context")) {
            parameters.add(DATASET_CONTEXT_TAG);
            String join = " JOIN input_tags t ON t.input_uuid = i.input_uuid AND t.name = ? AND ";
            return from + join + valueCondition("t.value", c, parameters) + " WHERE i.destination_id = runs.run_uuid)";
        }
        return from + " WHERE i.destination_id = runs.run_uuid AND " + valueCondition("d." + c.key(), c, parameters) + ")";
    }

    /** {@code column <comparator> ?} for a text or numeric value, a list, or a LIKE pattern. */
    private static String valueCondition(String column, Comparison c, List<Object> parameters) {
        switch (c.comparator()) {
            case LIKE -> {
                parameters.add(likeToGlob(((Text) c.operand()).value()));
                return column + " GLOB ?";
            }
            case ILIKE -> {
                parameters.add(likeToGlob(asciiLower(((Text) c.operand()).value())));
                return "lower(" + column + ") GLOB ?";
            }
            case IN, NOT_IN -> {
                List<String> values = ((TextList) c.operand()).values();
                parameters.addAll(values);
                String marks = String.join(", ", java.util.Collections.nCopies(values.size(), "?"));
                return column + (c.comparator() == Comparator.IN ? " IN (" : " NOT IN (") + marks + ")";
            }
            case EQ, NE, LT, LE, GT, GE -> {
                if (c.operand() instanceof Text t) {
                    parameters.add(t.value());
                } else if (c.operand() instanceof Number n) {
                    parameters.add(n.integral() ? (Object) n.longValue() : (Object) n.value());
                } else {
                    throw new IllegalStateException("no value to compare: " + c);
                }
                return column + " " + sqlOperator(c.comparator()) + " ?";
            }
            case IS_NULL, IS_NOT_NULL -> throw new IllegalStateException("IS NULL on a column: " + c);
        }
        throw new IllegalStateException("unreachable: " + c);
    }

    private static String sqlOperator(Comparator comparator) {
        return switch (comparator) {
            case EQ -> "=";
            case NE -> "!=";
            case LT -> "<";
            case LE -> "<=";
            case GT -> ">";
            case GE -> ">=";
            case LIKE, ILIKE, IN, NOT_IN, IS_NULL, IS_NOT_NULL -> throw new IllegalStateException("not an operator: " + comparator);
        };
    }

    private static String table(Entity entity) {
        return switch (entity) {
            case METRIC -> "latest_metrics";
            case PARAM -> "params";
            case TAG -> "tags";
            case ATTRIBUTE, DATASET -> throw new IllegalStateException("no key-value table for " + entity);
        };
    }

    private static String runColumn(Attribute attribute) {
        return switch (attribute) {
            case RUN_ID -> "run_uuid";
            case RUN_NAME -> "name";
            case STATUS -> "status";
            case USER_ID -> "user_id";
            case ARTIFACT_URI -> "artifact_uri";
            case START_TIME -> "start_time";
            case END_TIME -> "end_time";
        };
    }

    /**
     * A LIKE pattern (no escape character) as the GLOB pattern that matches the same strings
     * case-sensitively: {@code %} becomes {@code *}, {@code _} becomes {@code ?}, and GLOB's own
     * special characters are bracketed.
     */
    static String likeToGlob(String like) {
        StringBuilder glob = new StringBuilder(like.length() + 8);
        like.codePoints().forEach(cp -> {
            switch (cp) {
                case '%' -> glob.append('*');
                case '_' -> glob.append('?');
                case '*', '?', '[' -> glob.append('[').appendCodePoint(cp).append(']');
                default -> glob.appendCodePoint(cp);
            }
        });
        return glob.toString();
    }

    private static String asciiLower(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.chars().forEach(ch -> out.append((char) (ch >= 'A' && ch <= 'Z' ? ch + 32 : ch)));
        return out.toString();
    }
}
