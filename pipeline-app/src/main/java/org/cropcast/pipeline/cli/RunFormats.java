package org.cropcast.pipeline.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.cropcast.pipeline.runs.RunsReader.RunView;
import org.cropcast.tracking.ArtifactEntry;
import org.cropcast.tracking.Metric;
import org.cropcast.tracking.Run;
import org.cropcast.tracking.RunInfo;
import org.cropcast.tracking.RunTags;
import org.cropcast.tracking.TerminalText;

/** How runs look on the terminal and in {@code --json}. */
final class RunFormats {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    /**
     * JSON escapes C0 controls anyway; these escapes add every other character a terminal would
     * interpret ({@link TerminalText#isInterpreted}: DEL, C1 controls such as the CSI U+009B, bidi
     * overrides, line separators) as {@code \}{@code uXXXX}, so that {@code --json} printed to a
     * terminal is as inert as the text output, and a JSON reader still gets the original string.
     */
    private static final CharacterEscapes TERMINAL_SAFE = new CharacterEscapes() {
        private final int[] ascii = standardAsciiEscapesForJSON();

        {
            ascii[0x7f] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int c) {
            return TerminalText.isInterpreted(c) && Character.getType(c) != Character.SURROGATE
                    ? new SerializedString(String.format("\\u%04X", c)) : null;
        }
    };
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    static {
        JSON.getFactory().setCharacterEscapes(TERMINAL_SAFE);
    }

    private RunFormats() {}

    static String time(long epochMillis, Clock clock) {
        return TIME.format(Instant.ofEpochMilli(epochMillis).atZone(clock.getZone()));
    }

    static String isoTime(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }

    /** "12.3s", "4m05s", "2h03m". */
    static String duration(long millis) {
        Duration d = Duration.ofMillis(Math.max(0, millis));
        if (d.toSeconds() < 60) {
            return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
        }
        if (d.toMinutes() < 60) {
            return String.format(Locale.ROOT, "%dm%02ds", d.toMinutes(), d.toSecondsPart());
        }
        return String.format(Locale.ROOT, "%dh%02dm", d.toHours(), d.toMinutesPart());
    }

    static String duration(RunInfo info, Clock clock) {
        long end = info.endTimeMillis().orElse(clock.millis());
        return duration(end - info.startTimeMillis()) + (info.endTimeMillis().isEmpty() ? "+" : "");
    }

    /** The status column: {@code RUNNING (stale)} when the heartbeat stopped. */
    static String status(RunView view) {
        return view.run().info().status() + (view.stale() ? " (stale)" : "");
    }

    static String stage(Run run) {
        return run.data().tags().getOrDefault(RunTags.STAGE, "");
    }

    static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return String.valueOf(value);
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.valueOf((long) value);
        }
        return String.format(Locale.ROOT, "%.6g", value).replaceAll("(\\.\\d*?)0+(e|$)", "$1$2").replaceAll("\\.(e|$)", "$1");
    }

    static Map<String, Object> json(RunView view, Clock clock) {
        Run run = view.run();
        RunInfo info = run.info();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("run_id", info.runId().value());
        out.put("run_name", info.runName());
        out.put("experiment_id", info.experimentId().value());
        out.put("experiment_name", view.experimentName());
        out.put("status", info.status().name());
        out.put("health", view.health().name());
        out.put("stale", view.stale());
        out.put("stage", stage(run));
        out.put("user", info.userId());
        out.put("start_time", isoTime(info.startTimeMillis()));
        out.put("end_time", info.endTimeMillis().map(RunFormats::isoTime).orElse(null));
        out.put("duration_seconds", (info.endTimeMillis().orElse(clock.millis()) - info.startTimeMillis()) / 1000.0);
        out.put("artifact_uri", info.artifactUri());
        out.put("params", new TreeMap<>(run.data().params()));
        Map<String, Object> metrics = new TreeMap<>();
        for (Map.Entry<String, Metric> e : run.data().latestMetrics().entrySet()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("value", jsonNumber(e.getValue().value()));
            m.put("step", e.getValue().step());
            m.put("timestamp", e.getValue().timestampMillis());
            metrics.put(e.getKey(), m);
        }
        out.put("metrics", metrics);
        out.put("tags", new TreeMap<>(run.data().tags()));
        return out;
    }

    static Map<String, Object> json(ArtifactEntry entry) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("path", entry.path());
        out.put("is_dir", entry.directory());
        out.put("file_size", entry.sizeBytes().orElse(null));
        return out;
    }

    /** JSON has no NaN or infinities: they are written as strings, as MLflow's REST API does. */
    static Object jsonNumber(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? String.valueOf(value) : value;
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    static List<String> sortedKeys(Map<String, ?> map) {
        return map.keySet().stream().sorted().toList();
    }
}
