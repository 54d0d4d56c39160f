package org.cropcast.tracking;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The run of one pipeline invocation while it is open: what a stage uses to track its work.
 * Opened and closed by the run scope ({@code RunScope}); a stage never ends the run itself.
 * Every method is safe to call from several threads.
 */
public interface ActiveRun {
    RunId runId();

    ExperimentId experimentId();

    /** The run directory (local path or object-store location) this invocation writes to. */
    Location runDirectory();

    /** The stage name: {@code hindcast}, {@code fit-production} or {@code forecast}. */
    String stage();

    /** Logs metrics (split into batches as the backend requires). */
    void logMetrics(List<Metric> metrics);

    /** Logs one metric at the given step, timestamped by the injected clock. */
    void logMetric(String key, double value, long step);

    /** Sets tags (later values replace earlier ones); values are redacted. */
    void setTags(Map<String, String> tags);

    /** Uploads a local file under {@code artifactPath} of the run's artifact root. */
    void logArtifact(Path localFile, String artifactPath);

    /**
     * Logs a file or prefix from storage (local or object store) under {@code artifactPath}:
     * copied directly where the artifact store can (S3 to S3), otherwise staged to a temporary
     * directory that is always removed.
     */
    void logArtifact(Location source, String artifactPath);

    /** The callback the fitting code calls each time it saves a per-fold PNG. */
    FoldReportLogger foldReportLogger();
}
