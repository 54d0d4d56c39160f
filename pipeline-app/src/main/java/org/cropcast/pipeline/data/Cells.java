package org.cropcast.pipeline.data;

import java.util.Locale;
import java.util.Set;
import org.cropcast.pipeline.errors.PipelineErrorCode;
import org.cropcast.tracking.CropcastException;

/** Parses cells into numbers and years, naming file, column and row when a cell is not one. */
public final class Cells {
    private static final Set<String> MISSING = Set.of("", "na", "nan", "null", "none", "n/a", "-", "inf", "-inf", "+inf");

    private Cells() {}

    /** True for the markers of a missing value: empty, NA, NaN, null, None, N/A, '-'. */
    public static boolean isMissing(String cell) {
        return cell == null || MISSING.contains(cell.trim().toLowerCase(Locale.ROOT));
    }

    /**
     * The cell as a number; NaN when missing. Infinite values ("inf", as a division by a zero area
     * writes them) are missing too: they are not measurements.
     */
    public static double number(String cell, String file, String column, long row) {
        if (isMissing(cell)) {
            return Double.NaN;
        }
        try {
            double value = Double.parseDouble(cell.trim());
            if (Double.isInfinite(value) && cell.chars().anyMatch(Character::isDigit)) {
                // '1e400' is a number beyond the double range, not a missing marker: silently NaN would drop a row
                throw notNumeric(cell, file, column, row, "a number within the double range (about ±1.8e308)");
            }
            return Double.isInfinite(value) ? Double.NaN : value;
        } catch (NumberFormatException e) {
            throw notNumeric(cell, file, column, row, "a number");
        }
    }

    /**
     * The cell as a year. {@code integer}: "2018" (or "2018.0" as Parquet doubles print);
     * {@code crop_year_harvest}: "2017/18" is 2018, the harvest year.
     */
    public static int year(String cell, YearFormat format, String file, String column, long row) {
        if (isMissing(cell)) {
            throw notNumeric(cell, file, column, row, "a year");
        }
        String text = cell.trim();
        try {
            if (format == YearFormat.CROP_YEAR_HARVEST) {
                int slash = text.indexOf('/');
                if (slash <= 0) {
                    throw notNumeric(cell, file, column, row, "a crop year like 2017/18");
                }
                int start = Integer.parseInt(text.substring(0, slash));
                return start + 1;
            }
            if (text.endsWith(".0")) {
                text = text.substring(0, text.length() - 2);
            }
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw notNumeric(cell, file, column, row, format == YearFormat.CROP_YEAR_HARVEST ? "a crop year like 2017/18" : "an integer year");
        }
    }

    /** The cell as an integer period (a month, say). */
    public static int period(String cell, String file, String column, long row) {
        double value = number(cell, file, column, row);
        if (Double.isNaN(value) || value != Math.rint(value)) {
            throw notNumeric(cell, file, column, row, "an integer period");
        }
        return (int) value;
    }

    /** The cell as an ISO date (yyyy-mm-dd). */
    public static java.time.LocalDate date(String cell, String file, String column, long row) {
        try {
            return java.time.LocalDate.parse(cell == null ? "" : cell.trim());
        } catch (java.time.format.DateTimeParseException e) {
            throw notNumeric(cell, file, column, row, "an ISO date (yyyy-mm-dd)");
        }
    }

    private static CropcastException notNumeric(String cell, String file, String column, long row, String what) {
        String shown = cell == null ? "" : cell.length() > 40 ? cell.substring(0, 40) + "..." : cell;
        return new CropcastException(PipelineErrorCode.NON_NUMERIC_VALUE,
                file + ": column '" + column + "', row " + row + ": '" + shown + "' is not " + what);
    }

    /** How a year column is written. */
    public enum YearFormat {
        INTEGER,
        CROP_YEAR_HARVEST;

        /** Parses the config value; absent means {@link #INTEGER}. */
        public static YearFormat parse(String text, String key) {
            if (text == null || text.isBlank() || text.equalsIgnoreCase("integer")) {
                return INTEGER;
            }
            if (text.equalsIgnoreCase("crop_year_harvest")) {
                return CROP_YEAR_HARVEST;
            }
            throw new CropcastException(PipelineErrorCode.INVALID_STAGE_CONFIG,
                    key + ": unknown year_format '" + text + "' (expected integer or crop_year_harvest)");
        }
    }
}
