package org.cropcast.pipeline.model;

import java.util.Locale;
import org.cropcast.pipeline.errors.PipelineErrorCode;
import org.cropcast.tracking.CropcastException;

/** How the detrended anomaly is predicted from the standardised features. */
public enum Regression {
    /** Trend only: the predicted anomaly is zero. */
    NONE,
    OLS,
    /** Ridge: {@code ridge_alpha} is added to the diagonal of Z'Z (the intercept is not penalised). */
    RIDGE;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Regression parse(String text) {
        if (text == null) {
            return NONE;
        }
        for (Regression r : values()) {
            if (r.configName().equalsIgnoreCase(text.trim())) {
                return r;
            }
        }
        throw new CropcastException(PipelineErrorCode.INVALID_STAGE_CONFIG,
                "regression: unknown value '" + text + "' (expected none, ols or ridge)");
    }
}
