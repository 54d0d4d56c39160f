package org.cropcast.pipeline.model;

import java.util.List;
import java.util.Optional;
import org.cropcast.pipeline.config.Detrend;
import org.cropcast.pipeline.config.Regression;

/**
 * A fitted trend-plus-anomaly model: per region a polynomial trend in
 * {@code t = (year - trendOrigin) / TREND_SCALE}, and a linear model of the anomaly on standardised
 * features {@code z = (x - mean) / sd}, or (regression gbt) boosted trees on the raw features. A
 * missing or not yet observable feature contributes {@code z = 0} (its training mean); the trees
 * are given its training mean.
 *
 * @param trendCoefficients {@code coefficients()} values per region (constant first); NaN for
 *     regions that were not fitted
 * @param intercept the mean training anomaly (0 for regression none)
 * @param beta per feature, on the standardised scale (empty for regression none)
 * @param means per feature, training mean in the feature's own unit
 * @param sds per feature, training standard deviation (population, ddof 0)
 * @param trainingRows rows used by the regression (0 for regression none)
 * @param trees regression gbt: the boosted trees of the anomaly on the raw features (beta is then 0
 *     per feature, the intercept the trees' base score); empty for the linear models
 * @param ridgeAlpha regression ridge: the penalty it was fitted with (for regression auto the one
 *     its inner cross-validation chose); 0 otherwise
 */
public record FittedModel(
        Detrend detrend,
        Regression regression,
        int trendOrigin,
        List<String> regions,
        double[] trendCoefficients,
        List<String> featureNames,
        double intercept,
        double[] beta,
        double[] means,
        double[] sds,
        long trainingRows,
        Optional<TreeEnsemble> trees,
        double ridgeAlpha) {
    public static final double TREND_SCALE = 10.0;

    public FittedModel {
        regions = List.copyOf(regions);
        featureNames = List.copyOf(featureNames);
        if ((regression == Regression.GBT) != trees.isPresent()) {
            throw new IllegalArgumentException("regression " + regression.configName() + (trees.isPresent() ? " with" : " without") + " trees");
        }
    }

    /** A linear (or trend-only) model. */
    public FittedModel(Detrend detrend, Regression regression, int trendOrigin, List<String> regions, double[] trendCoefficients,
            List<String> featureNames, double intercept, double[] beta, double[] means, double[] sds, long trainingRows,
            double ridgeAlpha) {
        this(detrend, regression, trendOrigin, regions, trendCoefficients, featureNames, intercept, beta, means, sds, trainingRows,
                Optional.empty(), ridgeAlpha);
    }

    /** The learner and its penalty (for regression auto: the one chosen). */
    public FoldFitter.Learner learner() {
        return new FoldFitter.Learner(regression, ridgeAlpha);
    }

    public double trend(int region, int year) {
        int k = detrend.coefficients();
        double t = (year - trendOrigin) / TREND_SCALE;
        double value = 0;
        double power = 1;
        for (int i = 0; i < k; i++) {
            value += trendCoefficients[region * k + i] * power;
            power *= t;
        }
        return value;
    }

    /**
     * The predicted anomaly from raw feature values at {@code offset} of {@code features};
     * {@code observable[f] == false} treats feature f as unknown (z = 0).
     */
    public double anomaly(double[] features, int offset, boolean[] observable) {
        if (regression == Regression.NONE) {
            return 0;
        }
        if (trees.isPresent()) {
            float[] row = new float[means.length];
            for (int f = 0; f < row.length; f++) {
                double x = features[offset + f];
                row[f] = (float) (Double.isNaN(x) || (observable != null && !observable[f]) ? means[f] : x);
            }
            return trees.get().predict(row, 1)[0];
        }
        double value = intercept;
        for (int f = 0; f < beta.length; f++) {
            double x = features[offset + f];
            if (Double.isNaN(x) || (observable != null && !observable[f])) {
                continue;
            }
            value += beta[f] * (x - means[f]) / sds[f];
        }
        return value;
    }
}
