package org.cropcast.pipeline.runs;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.cropcast.pipeline.errors.AppErrorCode;
import org.cropcast.tracking.CropcastException;

/**
 * The grid of a sweep: configuration keys (as {@code --set} takes them) and the values each takes.
 * Its combinations are the cartesian product, the first key varying slowest.
 */
public record SweepGrid(List<Axis> axes) {
    /** At most this many combinations in one sweep. */
    public static final int MAX_COMBINATIONS = 10_000;

    /** One key and its values, in the order given. */
    public record Axis(String key, List<String> values) {
        public Axis {
            requireNonNull(key, "key is null");
            values = List.copyOf(values);
            if (key.isBlank() || values.isEmpty()) {
                throw new IllegalArgumentException("an axis has a key and values");
            }
        }
    }

    /**
     * One combination: its 1-based index and the value of each key.
     *
     * @param settings key to value, in the grid's key order
     */
    public record Combination(int index, Map<String, String> settings) {
        public Combination {
            settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        }

        /** The {@code --set KEY=VALUE} overrides of this combination. */
        public List<String> overrides() {
            return settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        }

        /** {@code 03}, zero-padded to the width of the largest index. */
        public String label(int total) {
            return String.format(java.util.Locale.ROOT, "%0" + Integer.toString(total).length() + "d", index);
        }

        /** A run-directory name: the label and the settings, with characters other than {@code [A-Za-z0-9._=-]} as '_'. */
        public String directoryName(int total) {
            String text = label(total) + "-" + String.join("_", overrides());
            String safe = text.replaceAll("[^A-Za-z0-9._=-]", "_");
            return safe.length() > 120 ? safe.substring(0, 120) : safe;
        }

        /** {@code detrend=linear, regression.alpha=0.1}. */
        public String describe() {
            return String.join(", ", overrides());
        }
    }

    public SweepGrid {
        axes = List.copyOf(requireNonNull(axes, "axes is null"));
        if (axes.isEmpty()) {
            throw new IllegalArgumentException("a grid has at least one axis");
        }
    }

    /**
     * Parses {@code --grid KEY=V1,V2,...} options. Fails (exit 2) on a missing '=', an empty key or
     * value, a key given twice, a value repeated within a key, or too many combinations.
     */
    public static SweepGrid parse(List<String> specs) {
        if (specs.isEmpty()) {
            throw invalid("a sweep needs at least one --grid KEY=V1,V2,...");
        }
        List<Axis> axes = new ArrayList<>();
        LinkedHashSet<String> keys = new LinkedHashSet<>();
        long combinations = 1;
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            if (eq <= 0) {
                throw invalid("--grid '" + spec + "': expected KEY=V1,V2,... (for example --grid detrend=linear,quadratic)");
            }
            String key = spec.substring(0, eq).strip();
            if (!keys.add(key)) {
                throw invalid("--grid names '" + key + "' twice; give all its values in one --grid " + key + "=V1,V2");
            }
            List<String> values = new ArrayList<>();
            for (String value : spec.substring(eq + 1).split(",", -1)) {
                String v = value.strip();
                if (v.isEmpty()) {
                    throw invalid("--grid '" + spec + "': empty value");
                }
                if (values.contains(v)) {
                    throw invalid("--grid '" + spec + "': value '" + v + "' is given twice");
                }
                values.add(v);
            }
            combinations *= values.size();
            if (combinations > MAX_COMBINATIONS) {
                throw invalid("the grid has more than " + MAX_COMBINATIONS + " combinations");
            }
            axes.add(new Axis(key, values));
        }
        return new SweepGrid(axes);
    }

    /** Every combination, the first key varying slowest, indexed from 1. */
    public List<Combination> combinations() {
        List<Map<String, String>> partial = new ArrayList<>();
        partial.add(new LinkedHashMap<>());
        for (Axis axis : axes) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> prefix : partial) {
                for (String value : axis.values()) {
                    Map<String, String> settings = new LinkedHashMap<>(prefix);
                    settings.put(axis.key(), value);
                    next.add(settings);
                }
            }
            partial = next;
        }
        List<Combination> out = new ArrayList<>(partial.size());
        for (int i = 0; i < partial.size(); i++) {
            out.add(new Combination(i + 1, partial.get(i)));
        }
        return out;
    }

    /** The grid as {@code --grid} options would write it: {@code detrend=linear,quadratic;regression=ridge,ols}. */
    public String describe() {
        return String.join(";", specs());
    }

    /** The grid as the {@code --grid} options that give it. */
    public List<String> specs() {
        return axes.stream().map(a -> a.key() + "=" + String.join(",", a.values())).toList();
    }

    private static CropcastException invalid(String message) {
        return new CropcastException(AppErrorCode.INVALID_ARGUMENT, message);
    }
}
