package org.cropcast.pipeline.model;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import org.cropcast.pipeline.data.Panel;
import org.cropcast.pipeline.errors.PipelineErrorCode;
import org.cropcast.tracking.CropcastException;

/**
 * Selects the largest producers: regions sorted by total production over [startYear, endYear],
 * taken until their cumulative share of the total reaches the threshold (the region that crosses
 * it is included), among the {@link #eligible} regions. Regions without any target value in the
 * window are never selected.
 */
public final class RegionSelection {
    private RegionSelection() {}

    /**
     * @param threshold in (0, 1]; empty or 1 selects every region with a target in the window
     * @param productionColumn the configured production column, for messages
     */
    public static BitSet select(Panel panel, BitSet eligible, int startYear, int endYear, java.util.Optional<Double> threshold,
            java.util.Optional<String> productionColumn) {
        BitSet withTarget = new BitSet(panel.regionCount());
        double[] total = new double[panel.regionCount()];
        double grand = 0;
        for (int r = eligible.nextSetBit(0); r >= 0; r = eligible.nextSetBit(r + 1)) {
            for (int year = startYear; year <= endYear; year++) {
                int cell = panel.cell(r, year);
                if (!Double.isNaN(panel.target()[cell])) {
                    withTarget.set(r);
                }
                double production = panel.production()[cell];
                if (!Double.isNaN(production) && production > 0) {
                    total[r] += production;
                }
            }
            grand += total[r];
        }
        if (withTarget.isEmpty()) {
            throw new CropcastException(PipelineErrorCode.EMPTY_SELECTION, panel.targetFile()
                    + ": no region has a target value in " + startYear + "-" + endYear);
        }
        if (threshold.isEmpty() || threshold.get() >= 1.0) {
            return withTarget;
        }
        double share = threshold.get();
        if (productionColumn.isEmpty()) {
            throw new CropcastException(PipelineErrorCode.EMPTY_SELECTION, "production_cumulative_threshold " + share
                    + " needs target.production_column (" + panel.targetFile() + " has none configured); omit it or set it to 1");
        }
        if (!(share > 0) || grand <= 0) {
            throw new CropcastException(PipelineErrorCode.EMPTY_SELECTION, panel.targetFile() + ": production_cumulative_threshold "
                    + share + " selects no region (total '" + productionColumn.get() + "' in " + startYear + "-" + endYear
                    + " is " + grand + ")");
        }
        List<Integer> order = new ArrayList<>();
        for (int r = withTarget.nextSetBit(0); r >= 0; r = withTarget.nextSetBit(r + 1)) {
            if (total[r] > 0) {
                order.add(r);
            }
        }
        order.sort(Comparator.comparingDouble((Integer r) -> -total[r]).thenComparing(r -> panel.regions().get(r)));
        BitSet selected = new BitSet(panel.regionCount());
        double cumulative = 0;
        for (int r : order) {
            selected.set(r);
            cumulative += total[r];
            if (cumulative >= share * grand * (1 - 1e-12)) {
                break;
            }
        }
        if (selected.isEmpty()) {
            throw new CropcastException(PipelineErrorCode.EMPTY_SELECTION, panel.targetFile()
                    + ": production_cumulative_threshold " + share + " selects no region with a target");
        }
        return selected;
    }

    /**
     * The regions that {@code include_regions}, {@code exclude_regions} and
     * {@code min_years_per_region} leave, before the production threshold. A name that is not a
     * region of the target is an error (a typo would otherwise select silently); regions dropped
     * for too few years are named in {@code notes}.
     *
     * @param include empty = every region
     * @param minYears regions with fewer target years in [startYear, endYear] are dropped (0 = none)
     */
    public static BitSet eligible(Panel panel, int startYear, int endYear, List<String> include, List<String> exclude,
            int minYears, List<String> notes) {
        BitSet eligible = new BitSet(panel.regionCount());
        if (include.isEmpty()) {
            eligible.set(0, panel.regionCount());
        } else {
            eligible.or(indexes(panel, include, "include_regions"));
        }
        eligible.andNot(indexes(panel, exclude, "exclude_regions"));
        if (eligible.isEmpty()) {
            throw new CropcastException(PipelineErrorCode.BAD_REGION_SELECTION, "include_regions " + include
                    + " and exclude_regions " + exclude + " leave no region of " + panel.targetFile());
        }
        if (minYears > 0) {
            List<String> dropped = new ArrayList<>();
            for (int r = eligible.nextSetBit(0); r >= 0; r = eligible.nextSetBit(r + 1)) {
                int years = 0;
                for (int year = startYear; year <= endYear; year++) {
                    years += Double.isNaN(panel.target(r, year)) ? 0 : 1;
                }
                if (years < minYears) {
                    eligible.clear(r);
                    dropped.add(panel.regions().get(r) + " (" + years + ")");
                }
            }
            if (eligible.isEmpty()) {
                throw new CropcastException(PipelineErrorCode.BAD_REGION_SELECTION, "min_years_per_region " + minYears
                        + " leaves no region of " + panel.targetFile() + " (" + startYear + "-" + endYear + ")");
            }
            if (!dropped.isEmpty()) {
                notes.add("min_years_per_region " + minYears + " drops " + dropped.size() + " region(s) with fewer target years in "
                        + startYear + "-" + endYear + ": " + String.join(", ", dropped.subList(0, Math.min(8, dropped.size())))
                        + (dropped.size() > 8 ? " and " + (dropped.size() - 8) + " more" : ""));
            }
        }
        return eligible;
    }

    private static BitSet indexes(Panel panel, List<String> names, String key) {
        BitSet out = new BitSet(panel.regionCount());
        List<String> unknown = new ArrayList<>();
        for (String name : names) {
            int r = panel.regions().indexOf(name);
            if (r < 0) {
                unknown.add("'" + name + "'");
            } else {
                out.set(r);
            }
        }
        if (!unknown.isEmpty()) {
            String example = panel.regions().isEmpty() ? "" : "; its regions are e.g. '" + panel.regions().get(0) + "'";
            throw new CropcastException(PipelineErrorCode.BAD_REGION_SELECTION, key + ": " + String.join(", ", unknown)
                    + " is not a region of " + panel.targetFile() + example);
        }
        return out;
    }

    /** Selected regions ordered by descending total production in the window (then name). */
    public static List<Integer> byProduction(Panel panel, BitSet selected, int startYear, int endYear) {
        double[] total = new double[panel.regionCount()];
        List<Integer> order = new ArrayList<>();
        for (int r = selected.nextSetBit(0); r >= 0; r = selected.nextSetBit(r + 1)) {
            for (int year = startYear; year <= endYear; year++) {
                int cell = panel.cell(r, year);
                double w = !Double.isNaN(panel.production()[cell]) ? panel.production()[cell] : panel.area()[cell];
                if (!Double.isNaN(w)) {
                    total[r] += w;
                }
            }
            order.add(r);
        }
        order.sort(Comparator.comparingDouble((Integer r) -> -total[r]).thenComparing(r -> panel.regions().get(r)));
        return order;
    }
}
