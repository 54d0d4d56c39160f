package org.cropcast.pipeline.report;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything a run's report is drawn from, read back from the run itself: its identity, params and
 * tags, its metrics (latest values, and the histories by step of the per-fold or per-init-date
 * metrics), and the tables of its outputs. Built the same way after a stage and by
 * {@code cropcast runs report}, so the report shows the run's numbers and nothing else.
 *
 * @param unit the target's unit from the run's {@code config_resolved.yaml} ("" when none)
 * @param histories per metric key, the value at each step (the last one logged at that step)
 * @param predictions {@code datasets/pred.parquet} (hindcast) or every {@code forecasts/<init_date>/forecast.parquet} (forecast)
 * @param coefficients {@code reports/coefficients.csv} (hindcast), when the run has one
 * @param artifacts the run's artifact file paths (relative), for the links to the fold plots
 */
public record ReportInputs(
        String runId,
        String runName,
        String experimentName,
        String stage,
        String unit,
        Map<String, String> params,
        Map<String, String> tags,
        Map<String, Double> metrics,
        Map<String, NavigableMap<Long, Double>> histories,
        Optional<Table> predictions,
        Optional<Table> coefficients,
        List<String> artifacts) {
    public ReportInputs {
        requireNonNull(runId, "runId is null");
        runName = runName == null ? "" : runName;
        experimentName = experimentName == null ? "" : experimentName;
        requireNonNull(stage, "stage is null");
        unit = unit == null ? "" : unit;
        params = Map.copyOf(params);
        tags = Map.copyOf(tags);
        metrics = Map.copyOf(metrics);
        TreeMap<String, NavigableMap<Long, Double>> copy = new TreeMap<>();
        histories.forEach((key, steps) -> copy.put(key, java.util.Collections.unmodifiableNavigableMap(new TreeMap<>(steps))));
        histories = java.util.Collections.unmodifiableMap(copy);
        requireNonNull(predictions, "predictions is null");
        requireNonNull(coefficients, "coefficients is null");
        artifacts = List.copyOf(artifacts);
    }

    /** A latest metric value, NaN when the run has none under {@code key}. */
    public double metric(String key) {
        Double value = metrics.get(key);
        return value == null ? Double.NaN : value;
    }

    /** A metric's history by step; empty when the run has none. */
    public NavigableMap<Long, Double> history(String key) {
        NavigableMap<Long, Double> steps = histories.get(key);
        return steps == null ? java.util.Collections.emptyNavigableMap() : steps;
    }
}
