package org.cropcast.tracking;

/** The tag keys the run scope sets on every run. */
public final class RunTags {
    public static final String STAGE = "stage";
    public static final String RUN_DIR = "run_dir";
    public static final String CONFIG_PATH = "config_path";
    public static final String GIT_COMMIT = "git_commit";
    /** MLflow's source tags, shown as the run's "Source" in MLflow's UI. */
    public static final String MLFLOW_SOURCE_NAME = "mlflow.source.name";
    public static final String MLFLOW_SOURCE_TYPE = "mlflow.source.type";
    public static final String MLFLOW_SOURCE_GIT_COMMIT = "mlflow.source.git.commit";
    public static final String GIT_SHORT = "git_short";
    public static final String GIT_DIRTY = "git_dirty";
    public static final String JAVA_VERSION = "java_version";
    public static final String JAVA_VENDOR = "java_vendor";
    public static final String OS_NAME = "os_name";
    public static final String OS_ARCH = "os_arch";
    /** Prefix of library version tags: {@code lib/<name>}. */
    public static final String LIBRARY_PREFIX = "lib/";
    /** Epoch millis of the last heartbeat while the run is open. */
    public static final String HEARTBEAT = "cropcast.heartbeat";
    /** The redacted message of the exception that failed the run. */
    public static final String ERROR = "cropcast.error";
    /** Why the run ended when it was not a normal exit ({@code signal} for SIGINT/SIGTERM). */
    public static final String END_REASON = "cropcast.end_reason";
    /** MLflow's nested-run tag: the id of the run this run belongs to (its UI groups children under it). */
    public static final String PARENT_RUN_ID = "mlflow.parentRunId";

    private RunTags() {}
}
