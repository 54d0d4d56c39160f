package org.cropcast.pipeline.config;

import java.util.Locale;

/** How the detrended anomaly is predicted from the standardised features. */
public enum Regression {
    /** Trend only: the predicted anomaly is zero. */
    NONE,
    OLS,
    /** Ridge: {@code ridge_alpha} is added to the diagonal of Z'Z (the intercept is not penalised). */
    RIDGE,
    /**
     * Gradient-boosted regression trees (XGBoost) of the anomaly on the raw features, with the
     * hyperparameters of the {@code gbt} section; a feature not present is given its training mean,
     * as for the linear models.
     */
    GBT;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The value a configuration (or a saved model) names; {@code detrend: unknown value ...} otherwise. */
    public static Regression of(String configName) {
        return ConfigEnums.of(Regression.class, "regression", configName);
    }
}
