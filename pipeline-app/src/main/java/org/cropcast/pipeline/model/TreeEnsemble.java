package org.cropcast.pipeline.model;

import java.io.IOException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.cropcast.pipeline.config.GbtSettings;
import org.cropcast.pipeline.errors.PipelineErrorCode;
import org.cropcast.tracking.CropcastException;

/**
 * Gradient-boosted regression trees (XGBoost4J): trained on the raw feature values of complete
 * training rows, squared error, {@code base_score} the mean training anomaly, one thread and the
 * configured seed so that the same rows give the same trees. Saved as XGBoost's own UBJSON model
 * ({@link #FORMAT}), base64 in {@code model.json}.
 */
public final class TreeEnsemble {
    /** The serialised form: XGBoost's universal binary JSON model. */
    public static final String FORMAT = "xgboost-ubj";

    private final Booster booster;
    private final int features;
    private final byte[] serialised;

    private TreeEnsemble(Booster booster, int features, byte[] serialised) {
        this.booster = booster;
        this.features = features;
        this.serialised = serialised;
    }

    /**
     * Trains on {@code rows} rows of {@code p} features ({@code x} row-major) and their labels.
     *
     * @param baseScore the starting prediction of every row (the mean label)
     */
    public static TreeEnsemble train(float[] x, int rows, int p, float[] labels, double baseScore, GbtSettings settings) {
        DMatrix matrix = null;
        try {
            matrix = new DMatrix(x, rows, p, Float.NaN);
            matrix.setLabel(labels);
            Map<String, Object> params = new HashMap<>();
            params.put("objective", "reg:squarederror");
            params.put("booster", "gbtree");
            params.put("tree_method", "exact");
            params.put("eta", settings.learningRate());
            params.put("max_depth", settings.maxDepth());
            params.put("subsample", settings.subsample());
            params.put("min_child_weight", settings.minChildWeight());
            params.put("base_score", baseScore);
            params.put("seed", settings.seed());
            params.put("nthread", 1);
            params.put("verbosity", 0);
            Booster booster = XGBoost.train(matrix, params, settings.trees(), Map.of(), null, null);
            return new TreeEnsemble(booster, p, booster.toByteArray("ubj"));
        } catch (XGBoostError | UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw failure("cannot train the gradient-boosted trees", e);
        } finally {
            if (matrix != null) {
                matrix.dispose();
            }
        }
    }

    /** The trees of a saved model ({@link #base64()}), for {@code p} features. */
    public static TreeEnsemble fromBase64(String base64, int p) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new CropcastException(PipelineErrorCode.INVALID_MODEL, "the gbt trees are not base64: " + e.getMessage(), e);
        }
        try {
            Booster booster = XGBoost.loadModel(bytes);
            long saved = booster.getNumFeature();
            if (saved != p) {
                throw new CropcastException(PipelineErrorCode.INVALID_MODEL,
                        "the gbt trees are for " + saved + " features, the model lists " + p);
            }
            return new TreeEnsemble(booster, p, bytes);
        } catch (XGBoostError | IOException e) {
            throw new CropcastException(PipelineErrorCode.INVALID_MODEL, "the gbt trees are not a readable XGBoost model: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw failure("cannot load the gradient-boosted trees", e);
        }
    }

    /** The predictions for {@code rows} rows of raw features (row-major; NaN is not expected: give the training mean). */
    public synchronized float[] predict(float[] x, int rows) {
        if (x.length != rows * features) {
            throw new IllegalArgumentException(x.length + " values are not " + rows + " rows of " + features + " features");
        }
        try {
            float[][] out = booster.inplace_predict(x, rows, features, Float.NaN);
            float[] predictions = new float[rows];
            for (int i = 0; i < rows; i++) {
                predictions[i] = out[i][0];
            }
            return predictions;
        } catch (XGBoostError e) {
            throw failure("cannot predict with the gradient-boosted trees", e);
        }
    }

    public int features() {
        return features;
    }

    /** XGBoost's UBJSON model, base64. */
    public String base64() {
        return Base64.getEncoder().encodeToString(serialised);
    }

    private static CropcastException failure(String what, Throwable e) {
        return new CropcastException(PipelineErrorCode.LEARNER_FAILURE, what + " (XGBoost4J): "
                + String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName()), e);
    }
}
