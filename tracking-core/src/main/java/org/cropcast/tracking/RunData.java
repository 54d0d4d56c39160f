package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/** A run's params, tags and latest metric values (by key), as immutable maps. */
public record RunData(Map<String, String> params, Map<String, String> tags, Map<String, Metric> latestMetrics) {
    public RunData {
        params = Map.copyOf(requireNonNull(params, "params is null"));
        tags = Map.copyOf(requireNonNull(tags, "tags is null"));
        latestMetrics = Map.copyOf(requireNonNull(latestMetrics, "latestMetrics is null"));
    }

    public static RunData empty() {
        return new RunData(Map.of(), Map.of(), Map.of());
    }
}
