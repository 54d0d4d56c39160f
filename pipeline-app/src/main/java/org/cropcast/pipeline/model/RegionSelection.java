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
 * it is included). Regions without any target value in the window are never selected.
 */
public final class RegionSelection {
    private RegionSelection() {}

    /**
     * @param threshold in (0, 1]; empty or 1 selects every region with a target in the window
     * @param productionColumn the configured production column, for messages
     */
    public static BitSet select(Panel panel, int startYear, int endYear, java.util.Optional<Double> threshold,
            java.util.Optional<String> productionColumn) {
        BitSet withTarget = new BitSet(panel.regionCount());
        double[] total = new double[panel.regionCount()];
        double grand = 0;
        for (int r = 0; r < panel.regionCount(); r++) {
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
