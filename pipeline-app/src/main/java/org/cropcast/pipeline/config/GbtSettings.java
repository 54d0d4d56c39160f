package org.cropcast.pipeline.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The hyperparameters of {@code regression: gbt}, typed and checked (the {@code gbt} section with
 * its defaults; the seed is {@code random_seed}). The JSON names are those of the {@code gbt}
 * section and of {@code model.json}'s {@code gbt} (where these settings are unwrapped beside the
 * trees) and, prefixed {@code gbt.}, of the params ({@link #params}).
 *
 * @param trees boosting rounds, at least 1
 * @param maxDepth depth of each tree, 1-16
 * @param learningRate shrinkage (eta), in (0, 1]
 * @param subsample share of rows per tree, in (0, 1]
 * @param minChildWeight least hessian in a leaf, finite and >= 0
 * @param seed XGBoost's seed (row subsampling)
 */
public record GbtSettings(
        @JsonProperty("trees") int trees,
        @JsonProperty("max_depth") int maxDepth,
        @JsonProperty("learning_rate") double learningRate,
        @JsonProperty("subsample") double subsample,
        @JsonProperty("min_child_weight") double minChildWeight,
        @JsonProperty("seed") long seed) {
    public GbtSettings {
        if (trees < 1 || maxDepth < 1 || maxDepth > 16 || !(learningRate > 0 && learningRate <= 1)
                || !(subsample > 0 && subsample <= 1) || !(minChildWeight >= 0) || Double.isInfinite(minChildWeight)) {
            throw new IllegalArgumentException("invalid gbt settings: trees " + trees + ", max_depth " + maxDepth + ", learning_rate "
                    + learningRate + ", subsample " + subsample + ", min_child_weight " + minChildWeight);
        }
    }

    /** The defaults of {@link ConfigDefaults} with this seed. */
    public static GbtSettings defaults(long seed) {
        return new GbtSettings(ConfigDefaults.DEFAULT_GBT_TREES, ConfigDefaults.DEFAULT_GBT_MAX_DEPTH,
                ConfigDefaults.DEFAULT_GBT_LEARNING_RATE, ConfigDefaults.DEFAULT_GBT_SUBSAMPLE,
                ConfigDefaults.DEFAULT_GBT_MIN_CHILD_WEIGHT, seed);
    }

    /** The settings by their JSON names, in declaration order: {@code trees -> 200, max_depth -> 3, ...}, as text. */
    public Map<String, String> params() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("trees", String.valueOf(trees));
        params.put("max_depth", String.valueOf(maxDepth));
        params.put("learning_rate", String.valueOf(learningRate));
        params.put("subsample", String.valueOf(subsample));
        params.put("min_child_weight", String.valueOf(minChildWeight));
        params.put("seed", String.valueOf(seed));
        return params;
    }

    /** The section of a loaded configuration, if it has one. */
    public static Optional<GbtSettings> of(PipelineConfig config) {
        return Optional.ofNullable(config.gbt()).map(g -> new GbtSettings(g.trees(), g.maxDepth(), g.learningRate(),
                g.subsample(), g.minChildWeight(), config.randomSeed()));
    }
}
