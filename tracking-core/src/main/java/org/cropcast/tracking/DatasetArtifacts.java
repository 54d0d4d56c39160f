package org.cropcast.tracking;

/**
 * Where the datasets of a run go among its artifacts: {@code datasets/fit.parquet},
 * {@code datasets/pred.parquet}, and each reference-data spec's files under
 * {@code datasets/{spec_name}/}, so two specs (CONAB-final and CONAB-LEV) never collide. The
 * hindcast writes its datasets to these paths ({@code HindcastStage} in pipeline-app).
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
}
