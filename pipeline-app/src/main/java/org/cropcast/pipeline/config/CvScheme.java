package org.cropcast.pipeline.config;

import java.util.Locale;

/** How the hindcast's folds train: on every other year of the window, or on the years before the test year. */
public enum CvScheme {
    LEAVE_ONE_YEAR_OUT,
    EXPANDING_WINDOW;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The value a configuration names; {@code cv_scheme: unknown value ...} otherwise. */
    public static CvScheme of(String configName) {
        return ConfigEnums.of(CvScheme.class, "cv_scheme", configName);
    }
}
