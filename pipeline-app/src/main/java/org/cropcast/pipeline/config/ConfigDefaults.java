package org.cropcast.pipeline.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.cropcast.tracking.UriSchemes;

/**
 * The defaults of the configuration, applied to the parsed tree before it is bound, so that the
 * resolved configuration ({@code config_resolved.yaml}) shows every value in force. Documented
 * field by field in {@code docs/CONFIGURATION.md}.
 */
public final class ConfigDefaults {
    public static final String DEFAULT_TRACKING_URI = "sqlite:///mlruns.db";
    public static final long DEFAULT_RANDOM_SEED = 42;
    public static final String DEFAULT_DETREND = Detrend.LINEAR.configName();
    public static final String DEFAULT_REGRESSION = Regression.RIDGE.configName();
    public static final double DEFAULT_RIDGE_ALPHA = 1.0;
    /** regression gbt: shallow, slow trees on a few hundred state-years (see docs/CONFIGURATION.md). */
    public static final int DEFAULT_GBT_TREES = 300;
    public static final int DEFAULT_GBT_MAX_DEPTH = 3;
    public static final double DEFAULT_GBT_LEARNING_RATE = 0.03;
    public static final double DEFAULT_GBT_SUBSAMPLE = 0.8;
    public static final double DEFAULT_GBT_MIN_CHILD_WEIGHT = 10.0;
    public static final double DEFAULT_PRODUCTION_CUMULATIVE_THRESHOLD = 1.0;
    public static final String DEFAULT_CV_SCHEME = CvScheme.LEAVE_ONE_YEAR_OUT.configName();
    /** The fewest training years of a fold, whatever the detrend (a quadratic needs 4, so 5 leaves residuals for all). */
    public static final int DEFAULT_MIN_TRAIN_YEARS = 5;
    /** The target's unit on plot axes and in summaries when {@code target.unit} is not set. */
    public static final String DEFAULT_UNIT = "target unit";
    /** The environment variable that gives {@code data_root} when the file does not. */
    public static final String INPUT_DATA_DIR = "INPUT_DATA_DIR";
    /** The environment variable that gives {@code mlflow_tracking_uri} when the file does not (as in Python MLflow). */
    public static final String MLFLOW_TRACKING_URI = "MLFLOW_TRACKING_URI";

    private ConfigDefaults() {}

    /**
     * Fills absent keys in place.
     *
     * @param baseDirectory where a relative {@code data_root} from the file resolves (the file's directory)
     */
    static void apply(ObjectNode root, Map<String, String> environment, Path baseDirectory) {
        JsonNode dataRoot = root.get("data_root");
        if (isAbsent(dataRoot)) {
            Optional.ofNullable(environment.get(INPUT_DATA_DIR)).filter(s -> !s.isBlank())
                    .ifPresent(env -> root.put("data_root", anchor(env, Path.of("").toAbsolutePath())));
        } else if (dataRoot.isTextual() && !dataRoot.asText().isBlank()) {
            root.put("data_root", anchor(dataRoot.asText(), baseDirectory));
        }
        if (isAbsent(root.get("experiment_key")) && root.path("experiment_name").isTextual()) {
            String key = slug(root.get("experiment_name").asText());
            if (!key.isEmpty()) {
                root.put("experiment_key", key);
            }
        }
        if (isAbsent(root.get("model_name")) && root.path("experiment_key").isTextual()) {
            root.put("model_name", root.get("experiment_key").asText()); // the registered model fit-production adds versions to
        }
        putIfAbsent(root, "random_seed", DEFAULT_RANDOM_SEED);
        putIfAbsent(root, "detrend", DEFAULT_DETREND);
        putIfAbsent(root, "regression", DEFAULT_REGRESSION);
        putIfAbsent(root, "ridge_alpha", DEFAULT_RIDGE_ALPHA);
        if (root.path("regression").isTextual() && Regression.GBT.configName().equalsIgnoreCase(root.get("regression").asText().trim())
                || root.get("gbt") instanceof ObjectNode) {
            // only for gbt (or a gbt section given): the resolved configuration of the linear models stays as it was
            ObjectNode gbt = root.get("gbt") instanceof ObjectNode given ? given : root.putObject("gbt");
            putIfAbsent(gbt, "trees", DEFAULT_GBT_TREES);
            putIfAbsent(gbt, "max_depth", DEFAULT_GBT_MAX_DEPTH);
            putIfAbsent(gbt, "learning_rate", DEFAULT_GBT_LEARNING_RATE);
            putIfAbsent(gbt, "subsample", DEFAULT_GBT_SUBSAMPLE);
            putIfAbsent(gbt, "min_child_weight", DEFAULT_GBT_MIN_CHILD_WEIGHT);
        }
        putIfAbsent(root, "production_cumulative_threshold", DEFAULT_PRODUCTION_CUMULATIVE_THRESHOLD);
        putIfAbsent(root, "cv_scheme", DEFAULT_CV_SCHEME);
        putIfAbsent(root, "min_train_years", DEFAULT_MIN_TRAIN_YEARS);
        putIfAbsent(root, "fit_dataset_features", true);
        if (isAbsent(root.get("mlflow_tracking_uri"))) {
            String fromEnvironment = environment.get(MLFLOW_TRACKING_URI);
            root.put("mlflow_tracking_uri", fromEnvironment == null || fromEnvironment.isBlank() ? DEFAULT_TRACKING_URI : fromEnvironment);
        }
        if (root.get("target") instanceof ObjectNode target) {
            putIfAbsent(target, "region_column", "region");
            putIfAbsent(target, "year_column", "year");
            putIfAbsent(target, "yield_column", "yield");
        }
        if (root.get("features") instanceof ObjectNode features) {
            putIfAbsent(features, "layout", "wide");
            putIfAbsent(features, "region_column", "region");
            putIfAbsent(features, "year_column", "year");
        }
        if (isAbsent(root.get("reference_data"))) {
            root.putArray("reference_data");
        } else if (root.get("reference_data") instanceof ArrayNode specs) {
            for (JsonNode spec : specs) {
                if (spec instanceof ObjectNode object) {
                    putIfAbsent(object, "layout", "long");
                    putIfAbsent(object, "region_column", "region");
                    putIfAbsent(object, "year_column", "year");
                }
            }
        }
    }

    /** A relative local path resolved against {@code base}; URIs ({@code s3://}, {@code file:}) unchanged. */
    static String anchor(String path, Path base) {
        if (UriSchemes.hasScheme(path)) {
            return path;
        }
        try {
            return base.resolve(path).normalize().toString();
        } catch (java.nio.file.InvalidPathException e) {
            return path; // reported by validation, naming the key
        }
    }

    /** The experiment key derived from a name: lower case, runs of other characters as '-'. */
    public static String slug(String name) {
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return slug.length() > 64 ? slug.substring(0, 64).replaceAll("-+$", "") : slug;
    }

    private static boolean isAbsent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    private static void putIfAbsent(ObjectNode node, String key, Object value) {
        if (!isAbsent(node.get(key))) {
            return;
        }
        if (value instanceof Long l) {
            node.put(key, l);
        } else if (value instanceof Integer i) {
            node.put(key, i);
        } else if (value instanceof Double d) {
            node.put(key, d);
        } else if (value instanceof Boolean b) {
            node.put(key, b);
        } else {
            node.put(key, (String) value);
        }
    }
}
