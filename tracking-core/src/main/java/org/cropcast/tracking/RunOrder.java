package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.cropcast.tracking.RunFilter.Attribute;
import org.cropcast.tracking.RunFilter.Entity;

/**
 * One order-by clause in MLflow's grammar ({@code metrics.rmse ASC}, {@code attributes.start_time DESC},
 * {@code params.`hindcast/detrend`}): ascending unless {@code DESC}. Runs with no value for the key
 * come last either way; for metrics NaN comes after every number and before a missing value. Ties
 * are broken by start time (newest first, unless start time is itself ordered on), then run id.
 *
 * @param text the clause as written; sent as it is to an MLflow server
 * @param entity {@link Entity#METRIC}, {@link Entity#PARAM}, {@link Entity#TAG} or {@link Entity#ATTRIBUTE}
 * @param key the attribute's own name ({@code created} resolved to {@code start_time}) for an attribute
 */
public record RunOrder(String text, Entity entity, String key, boolean ascending) {
    public RunOrder {
        requireNonNull(text, "text is null");
        requireNonNull(entity, "entity is null");
        requireNonNull(key, "key is null");
        if (entity == Entity.DATASET) {
            throw new IllegalArgumentException("runs are not ordered by dataset");
        }
        if (entity == Entity.ATTRIBUTE && Attribute.forOrderBy(key).map(a -> !a.key().equals(key)).orElse(true)) {
            throw new IllegalArgumentException("not a run attribute's own name: " + key);
        }
    }

    /**
     * Parses one clause. Fails with {@link TrackingErrorCode#INVALID_FILTER}, a one-line message
     * naming the position of the culprit.
     */
    public static RunOrder parse(String text) {
        requireNonNull(text, "text is null");
        return RunFilterParser.parseOrder(text);
    }

    /** Parses several clauses (a {@link RunSearch} rejects a key ordered on twice, as MLflow does). */
    public static List<RunOrder> parseAll(List<String> texts) {
        return texts.stream().map(RunOrder::parse).toList();
    }

    public Attribute attribute() {
        if (entity != Entity.ATTRIBUTE) {
            throw new IllegalStateException(entity + " order has no attribute");
        }
        return Attribute.forOrderBy(key).orElseThrow();
    }
}
