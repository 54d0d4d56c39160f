package org.cropcast.tracking;

import java.nio.file.Path;

/**
 * Called by fitting code each time it saves a per-fold report (a PNG). Uploads the file under
 * {@code reports/folds/{foldKey}/}. When no run is active it logs a warning and skips: it never
 * throws because tracking is unavailable.
 */
@FunctionalInterface
public interface FoldReportLogger {
    void reportSaved(String foldKey, Path file);
}
