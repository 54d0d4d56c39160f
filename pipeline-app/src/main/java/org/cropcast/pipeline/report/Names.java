package org.cropcast.pipeline.report;

/** Turns region, spec and issue names into metric keys and column names. */
public final class Names {
    /** The region name of a national row in the stages' Parquet outputs. */
    public static final String NATIONAL = "NATIONAL";

    private Names() {}

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
