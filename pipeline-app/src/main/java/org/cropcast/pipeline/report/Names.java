package org.cropcast.pipeline.report;

/** Turns region, spec and issue names into metric keys and column names. */
public final class Names {
    /** The region name of a national row in the stages' Parquet outputs. */
    public static final String NATIONAL = "NATIONAL";

    private Names() {}

    /**
     * Refuses names whose keys collide once made safe ({@code 'R 01'} and {@code 'R_01'} both
     * become the metric key segment {@code R_01}): one region's skill would shadow the other's.
     *
     * @param keysByName each name (as the message shows it, say {@code "region 'R 01'"}) and its key
     * @param what what the key is ("metric key", "column")
     */
    public static void requireUnique(java.util.Map<String, String> keysByName, String what) {
        java.util.Map<String, String> seen = new java.util.HashMap<>();
        keysByName.forEach((name, key) -> {
            String other = seen.putIfAbsent(key, name);
            if (other != null) {
                throw new org.cropcast.tracking.CropcastException(org.cropcast.pipeline.errors.PipelineErrorCode.NAME_COLLISION,
                        org.cropcast.tracking.Redactor.truncateForMessage(other + " and " + name + " both become the " + what + " '" + key
                                + "'; rename one of them"));
            }
        });
    }

    /** A metric key segment: MLflow allows letters, digits, '_', '-', '.', ' ' and '/'; others become '_'. */
    public static String metricSegment(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
            out.append(ok ? c : '_');
        }
        return out.toString();
    }

    /** A column name: letters, digits and '_' only. */
    public static String column(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            out.append(ok ? c : '_');
        }
        return out.toString();
    }
}
