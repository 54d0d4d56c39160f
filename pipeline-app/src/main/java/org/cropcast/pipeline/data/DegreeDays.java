package org.cropcast.pipeline.data;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cropcast.pipeline.config.PipelineConfig.DailySpec;
import org.cropcast.pipeline.errors.PipelineErrorCode;
import org.cropcast.tracking.CropcastException;

/**
 * Growing degree days per region, year and month from a daily Tmin/Tmax file
 * ({@code features.daily}): per day {@code (clamp(tmax) + clamp(tmin)) / 2 - base} with
 * {@code clamp(t) = min(max(t, base), cap)}, summed over each configured month. A month is missing
 * (NaN) unless every one of its days has both temperatures; a day given twice is an error.
 */
public final class DegreeDays {
    /** Per matched region index: per year: per configured month, the sum (NaN = incomplete). */
    private final Map<Long, double[]> sums = new HashMap<>();
    private final Map<Long, int[]> days = new HashMap<>();
    private final int[] months;
    private final String name;
    private int minYear = Integer.MAX_VALUE;
    private int maxYear = Integer.MIN_VALUE;

    private DegreeDays(int[] months, String name) {
        this.months = months;
        this.name = name;
    }

    /** The degree days of one day. */
    public static double of(double tmin, double tmax, double base, double cap) {
        return (Math.min(Math.max(tmax, base), cap) + Math.min(Math.max(tmin, base), cap)) / 2 - base;
    }

    /** Reads the daily file; rows of regions not in {@code regionIndex} are skipped. */
    static DegreeDays read(DailySpec spec, Map<String, Integer> regionIndex, Path local) {
        String file = spec.path();
        int[] months = spec.periods().stream().mapToInt(Integer::intValue).toArray();
        int[] slotOfMonth = new int[13];
        Arrays.fill(slotOfMonth, -1);
        for (int i = 0; i < months.length; i++) {
            slotOfMonth[months[i]] = i;
        }
        DegreeDays out = new DegreeDays(months, spec.name());
        double base = spec.base();
        double cap = spec.cap();
        Set<Long> seen = new HashSet<>();
        List<String> columns = List.of(spec.regionColumn(), spec.dateColumn(), spec.tminColumn(), spec.tmaxColumn());
        TableReader.scan(local, file, columns, (row, cells) -> {
            Integer r = regionIndex.get(cells[0].trim());
            if (r == null) {
                return;
            }
            LocalDate date = Cells.date(cells[1], file, spec.dateColumn(), row);
            if (!seen.add(((long) r << 32) | date.toEpochDay() & 0xffffffffL)) {
                throw new CropcastException(PipelineErrorCode.DUPLICATE_ROW, file + ": row " + row + " repeats region '"
                        + cells[0].trim() + "', date " + date + " (columns '" + spec.regionColumn() + "', '" + spec.dateColumn() + "')");
            }
            int slot = slotOfMonth[date.getMonthValue()];
            if (slot < 0) {
                return;
            }
            double tmin = Cells.number(cells[2], file, spec.tminColumn(), row);
            double tmax = Cells.number(cells[3], file, spec.tmaxColumn(), row);
            long key = key(r, date.getYear());
            double[] sum = out.sums.computeIfAbsent(key, k -> new double[months.length]);
            int[] count = out.days.computeIfAbsent(key, k -> new int[months.length]);
            out.minYear = Math.min(out.minYear, date.getYear());
            out.maxYear = Math.max(out.maxYear, date.getYear());
            if (Double.isNaN(tmin) || Double.isNaN(tmax)) {
                return; // the day is missing: its month stays short of days
            }
            if (tmin > tmax) {
                throw new CropcastException(PipelineErrorCode.NON_NUMERIC_VALUE, file + ": row " + row + ": '" + spec.tminColumn()
                        + "' " + tmin + " is above '" + spec.tmaxColumn() + "' " + tmax);
            }
            sum[slot] += of(tmin, tmax, base, cap);
            count[slot]++;
        });
        return out;
    }

    private static long key(int region, int year) {
        return ((long) region << 32) | (year & 0xffffffffL);
    }

    boolean isEmpty() {
        return sums.isEmpty();
    }

    int minYear() {
        return minYear;
    }

    int maxYear() {
        return maxYear;
    }

    /** The feature names, {@code <name>_m<MM>} per month. */
    List<String> names() {
        List<String> names = new ArrayList<>();
        for (int month : months) {
            names.add(PanelLoader.longName(name, month));
        }
        return names;
    }

    int[] periods() {
        return months.clone();
    }

    /** The month's sum, or NaN when the file lacks a day of it. */
    double value(int region, int year, int slot) {
        long key = key(region, year);
        double[] sum = sums.get(key);
        if (sum == null) {
            return Double.NaN;
        }
        int length = YearMonth.of(year, months[slot]).lengthOfMonth();
        return days.get(key)[slot] == length ? sum[slot] : Double.NaN;
    }
}
