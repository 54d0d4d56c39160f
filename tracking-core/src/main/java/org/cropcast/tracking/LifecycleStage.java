package org.cropcast.tracking;

/** MLflow's lifecycle stages of experiments and runs. */
public enum LifecycleStage {
    ACTIVE,
    DELETED;

    /** The lower-case form MLflow stores ({@code active}, {@code deleted}). */
    public String mlflowName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static LifecycleStage fromMlflowName(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }
}
