package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A search over the active runs of one experiment, with MLflow's semantics: the runs that satisfy
 * the status and the filter, ordered by the order-by clauses, then by start time (newest first,
 * unless ordered on), then by run id.
 *
 * @param status only runs with this status, when present (as {@code attributes.status = '...'})
 * @param maxResults at most this many runs (1 to 50,000, as MLflow allows)
 * @param filter MLflow's search filter ({@link RunFilter#NONE} for none)
 * @param orderBy MLflow's order-by clauses, each key at most once
 */
public record RunSearch(ExperimentId experimentId, Optional<RunStatus> status, int maxResults, RunFilter filter,
        List<RunOrder> orderBy) {
    public static final int MAX_RESULTS_LIMIT = 50_000;

    public RunSearch {
        requireNonNull(experimentId, "experimentId is null");
        requireNonNull(status, "status is null");
        requireNonNull(filter, "filter is null");
        orderBy = List.copyOf(requireNonNull(orderBy, "orderBy is null"));
        if (maxResults < 1 || maxResults > MAX_RESULTS_LIMIT) {
            throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT,
                    "maxResults must be in [1, " + MAX_RESULTS_LIMIT + "], got " + maxResults);
        }
        long distinct = orderBy.stream().map(o -> o.entity() + "\0" + o.key()).distinct().count();
        if (distinct != orderBy.size()) {
            throw new CropcastException(TrackingErrorCode.INVALID_FILTER, "order-by names a key twice: "
                    + orderBy.stream().map(RunOrder::text).toList());
        }
    }

    /** A search by status alone, newest first. */
    public RunSearch(ExperimentId experimentId, Optional<RunStatus> status, int maxResults) {
        this(experimentId, status, maxResults, RunFilter.NONE, List.of());
    }

    public static RunSearch all(ExperimentId experimentId) {
        return new RunSearch(experimentId, Optional.empty(), 1000);
    }

    /** This search with a filter. */
    public RunSearch withFilter(RunFilter newFilter) {
        return new RunSearch(experimentId, status, maxResults, newFilter, orderBy);
    }

    /** This search with order-by clauses. */
    public RunSearch withOrderBy(List<RunOrder> newOrderBy) {
        return new RunSearch(experimentId, status, maxResults, filter, newOrderBy);
    }

    /**
     * The filter as one MLflow filter string, the status included ({@code attributes.status = 'X'}
     * first); empty when there is neither.
     */
    public String filterText() {
        String statusText = status.map(s -> "attributes.status = '" + s.name() + "'").orElse("");
        if (filter.text().isBlank()) {
            return statusText;
        }
        return statusText.isEmpty() ? filter.text() : statusText + " and " + filter.text();
    }
}
