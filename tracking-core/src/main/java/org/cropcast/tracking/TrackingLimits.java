package org.cropcast.tracking;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * MLflow's validation rules for keys, values and batches (mlflow/utils/validation.py), shared by
 * every {@link RunStore} so all backends accept and reject the same input.
 *
 * <ul>
 *   <li>Keys (params, tags, metrics): 1 to {@value #MAX_KEY_LENGTH} characters of ASCII letters,
 *       digits, '_', '-', '.', ' ' and '/'; path-unique as MLflow requires (no empty, '.' or '..'
 *       segment, no leading '/', no leading '..', no trailing '/'). MLflow also allows ':' on POSIX
 *       and Unicode letters; cropcast is stricter so its keys are valid on every MLflow platform.</li>
 *   <li>Param values: at most {@value #MAX_PARAM_VALUE_LENGTH} characters; run-tag values at most
 *       {@value #MAX_TAG_VALUE_LENGTH}. <strong>Over-long values are an error
 *       ({@link TrackingErrorCode#VALUE_TOO_LONG}), never truncated.</strong> MLflow truncates with a
 *       warning by default ({@code MLFLOW_TRUNCATE_LONG_VALUES=true}); cropcast does not, because a
 *       truncated write-once param would silently differ from the configuration it records and a
 *       later resume could never match it. Callers that log free text (an error message as a tag)
 *       shorten it first with {@link #truncateTagValue}.</li>
 *   <li>Metric timestamps must be non-negative; NaN and the infinities are legal values.</li>
 *   <li>A batch must not name one param key twice.</li>
 * </ul>
 * Lengths count Unicode code points, as Python's {@code len} does.
 */
public final class TrackingLimits {
    public static final int MAX_KEY_LENGTH = 250;
    public static final int MAX_PARAM_VALUE_LENGTH = 6000;
    public static final int MAX_TAG_VALUE_LENGTH = 8000;
    public static final int MAX_EXPERIMENT_NAME_LENGTH = 500;
    public static final int MAX_RUN_NAME_LENGTH = 250;
    /** MLflow's log_batch limits; stores split larger batches. */
    public static final int MAX_METRICS_PER_BATCH = 1000;
    public static final int MAX_PARAMS_PER_BATCH = 100;
    public static final int MAX_TAGS_PER_BATCH = 100;
    public static final int MAX_ENTITIES_PER_BATCH = 1000;

    private static final Pattern KEY_CHARS = Pattern.compile("[A-Za-z0-9_./ -]+");

    private TrackingLimits() {}

    /** Validates a param, tag or metric key; {@code kind} names it in the message ("param", "tag", "metric"). */
    public static String validateKey(String kind, String key) {
        if (key == null || key.isEmpty()) {
            throw invalidKey(kind, key == null ? "null" : "", "it is empty");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw invalidKey(kind, key, "it is longer than " + MAX_KEY_LENGTH + " characters");
        }
        if (!KEY_CHARS.matcher(key).matches()) {
            throw invalidKey(kind, key,
                    "keys may only contain letters, digits, underscores (_), dashes (-), periods (.), spaces ( ) and slashes (/)");
        }
        if (key.startsWith("/") || key.startsWith("..") || key.endsWith("/")) {
            throw invalidKey(kind, key, "it is not a normalised relative path");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw invalidKey(kind, key, "it is not a normalised relative path");
            }
        }
        return key;
    }

    public static void validateParam(Param param) {
        validateKey("param", param.key());
        validateLength("param", param.key(), param.value(), MAX_PARAM_VALUE_LENGTH);
    }

    public static void validateTag(Tag tag) {
        validateKey("tag", tag.key());
        validateLength("tag", tag.key(), tag.value(), MAX_TAG_VALUE_LENGTH);
    }

    public static void validateMetric(Metric metric) {
        validateKey("metric", metric.key());
        if (metric.timestampMillis() < 0) {
            throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT,
                    "metric '" + metric.key() + "' has a negative timestamp " + metric.timestampMillis());
        }
    }

    /**
     * Validates every entry of a batch and rejects a param key named twice, before anything is
     * written; stores call this first so a bad batch writes nothing.
     */
    public static void validateBatch(List<Metric> metrics, List<Param> params, List<Tag> tags) {
        metrics.forEach(TrackingLimits::validateMetric);
        params.forEach(TrackingLimits::validateParam);
        tags.forEach(TrackingLimits::validateTag);
        Map<String, String> seen = new HashMap<>();
        List<String> duplicates = new ArrayList<>();
        for (Param param : params) {
            if (seen.putIfAbsent(param.key(), param.value()) != null && !duplicates.contains(param.key())) {
                duplicates.add(param.key());
            }
        }
        if (!duplicates.isEmpty()) {
            throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT,
                    "duplicate param keys in one batch: " + duplicates);
        }
    }

    public static String validateExperimentName(String name) {
        if (name == null || name.isBlank()) {
            throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT, "invalid experiment name: it is empty");
        }
        if (name.codePointCount(0, name.length()) > MAX_EXPERIMENT_NAME_LENGTH) {
            throw new CropcastException(TrackingErrorCode.VALUE_TOO_LONG,
                    "experiment name '" + Redactor.truncateForMessage(name) + "' is longer than "
                            + MAX_EXPERIMENT_NAME_LENGTH + " characters");
        }
        return name;
    }

    public static String validateRunName(String name) {
        if (name.codePointCount(0, name.length()) > MAX_RUN_NAME_LENGTH) {
            throw new CropcastException(TrackingErrorCode.VALUE_TOO_LONG,
                    "run name '" + Redactor.truncateForMessage(name) + "' is longer than " + MAX_RUN_NAME_LENGTH + " characters");
        }
        return name;
    }

    /** Shortens free text to fit a tag value, marking the cut. */
    public static String truncateTagValue(String value) {
        if (value.codePointCount(0, value.length()) <= MAX_TAG_VALUE_LENGTH) {
            return value;
        }
        String marker = "...[truncated]";
        int end = value.offsetByCodePoints(0, MAX_TAG_VALUE_LENGTH - marker.length());
        return value.substring(0, end) + marker;
    }

    /** Splits a list into consecutive chunks of at most {@code size} elements (for backend batch limits). */
    public static <T> List<List<T>> chunks(List<T> list, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be positive");
        }
        List<List<T>> chunks = new ArrayList<>();
        for (int i = 0; i < list.size(); i += size) {
            chunks.add(List.copyOf(list.subList(i, Math.min(list.size(), i + size))));
        }
        return chunks;
    }

    private static void validateLength(String kind, String key, String value, int max) {
        int length = value.codePointCount(0, value.length());
        if (length > max) {
            throw new CropcastException(TrackingErrorCode.VALUE_TOO_LONG,
                    kind + " '" + key + "' value is " + length + " characters long; the maximum is " + max);
        }
    }

    private static CropcastException invalidKey(String kind, String key, String why) {
        String shown = Redactor.truncateForMessage(key.replace("\0", "\\0"));
        return new CropcastException(TrackingErrorCode.INVALID_KEY, "invalid " + kind + " key '" + shown + "': " + why);
    }
}
