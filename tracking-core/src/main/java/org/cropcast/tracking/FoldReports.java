package org.cropcast.tracking;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link FoldReportLogger} of a run: uploads each per-fold report under
 * {@code reports/folds/{foldKey}/}. When no run is active, or the upload fails, it logs a warning
 * and skips: a report is never worth failing a fit for.
 */
public final class FoldReports {
    /** The artifact directory of per-fold reports. */
    public static final String DIRECTORY = "reports/folds";
    private static final Logger LOG = LoggerFactory.getLogger(FoldReports.class);

    private FoldReports() {}

    /** {@code reports/folds/{foldKey}}. */
    public static String directory(String foldKey) {
        return ArtifactPaths.join(DIRECTORY, foldKey);
    }

    /** A logger uploading to whatever run {@code activeRun} gives at call time (empty: none active). */
    public static FoldReportLogger logger(Supplier<Optional<? extends ActiveRun>> activeRun) {
        return (foldKey, file) -> report(activeRun.get(), foldKey, file);
    }

    private static void report(Optional<? extends ActiveRun> run, String foldKey, Path file) {
        if (run.isEmpty()) {
            LOG.warn("no active run: fold report {} for fold {} not uploaded", file, foldKey);
            return;
        }
        try {
            run.get().logArtifact(file, directory(foldKey));
        } catch (CropcastException e) {
            LOG.warn("fold report {} for fold {} not uploaded: {}", file, foldKey, Redactor.redact(e.getMessage()));
        }
    }
}
