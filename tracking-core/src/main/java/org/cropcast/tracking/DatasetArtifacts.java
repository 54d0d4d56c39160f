package org.cropcast.tracking;

import java.nio.file.Path;

/**
 * Where the datasets of a run go among its artifacts: {@code datasets/fit.parquet},
 * {@code datasets/pred.parquet}, and each reference-data spec's files under
 * {@code datasets/{spec_name}/}, so two specs (CONAB-final and CONAB-LEV) never collide.
 */
public final class DatasetArtifacts {
    public static final String DIRECTORY = "datasets";
    public static final String FIT_FILE = "fit.parquet";
    public static final String PRED_FILE = "pred.parquet";
    /** {@code datasets/fit.parquet}. */
    public static final String FIT_PATH = DIRECTORY + "/" + FIT_FILE;
    /** {@code datasets/pred.parquet}. */
    public static final String PRED_PATH = DIRECTORY + "/" + PRED_FILE;

    private DatasetArtifacts() {}

    /** {@code datasets/{specName}}: the artifact directory of one reference-data spec. */
    public static String referenceDirectory(String specName) {
        String name = ArtifactPaths.validate(specName);
        if (name.isEmpty() || name.contains("/") || name.equals(FIT_FILE) || name.equals(PRED_FILE)) {
            throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT,
                    "invalid reference spec name '" + Redactor.truncateForMessage(specName)
                            + "': it must be one path segment other than " + FIT_FILE + " and " + PRED_FILE);
        }
        return DIRECTORY + "/" + name;
    }

    /** Logs the fit dataset; the file must be named {@value #FIT_FILE}. */
    public static void logFit(ActiveRun run, Path file) {
        run.logArtifact(requireName(file, FIT_FILE), DIRECTORY);
    }

    /** Logs the prediction dataset; the file must be named {@value #PRED_FILE}. */
    public static void logPred(ActiveRun run, Path file) {
        run.logArtifact(requireName(file, PRED_FILE), DIRECTORY);
    }

    /** Logs the fit dataset from storage (local or object store); it must be named {@value #FIT_FILE}. */
    public static void logFit(ActiveRun run, Location file) {
        requireName(file.fileName(), FIT_FILE);
        run.logArtifact(file, DIRECTORY);
    }

    /** Logs the prediction dataset from storage; it must be named {@value #PRED_FILE}. */
    public static void logPred(ActiveRun run, Location file) {
        requireName(file.fileName(), PRED_FILE);
        run.logArtifact(file, DIRECTORY);
    }

    /** Logs one file of a reference-data spec under {@code datasets/{specName}/}. */
    public static void logReference(ActiveRun run, String specName, Path file) {
        run.logArtifact(file, referenceDirectory(specName));
    }

    /** Logs a file or prefix of a reference-data spec from storage under {@code datasets/{specName}/}. */
    public static void logReference(ActiveRun run, String specName, Location source) {
        run.logArtifact(source, referenceDirectory(specName));
    }

    private static Path requireName(Path file, String expected) {
        requireName(file.getFileName() == null ? "" : file.getFileName().toString(), expected);
        return file;
    }

    private static void requireName(String actual, String expected) {
        if (!actual.equals(expected)) {
            throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT,
                    "dataset file must be named " + expected + ", got '" + Redactor.truncateForMessage(actual) + "'");
        }
    }
}
