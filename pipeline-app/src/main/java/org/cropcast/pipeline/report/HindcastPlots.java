package org.cropcast.pipeline.report;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cropcast.pipeline.data.Panel;
import org.cropcast.pipeline.model.FittedModel;

/** The hindcast's PNGs: a per-fold detrend plot and the summary of predicted against observed. */
public final class HindcastPlots {
    /** At most this many regions (the largest producers) are drawn per fold, as small multiples. */
    public static final int MAX_PANELS = 6;
    private static final Color OBSERVED = new Color(31, 119, 180);
    private static final Color TEST = new Color(214, 39, 40);
    private static final Color TREND = new Color(255, 127, 14);
    private static final Color PREDICTED = new Color(44, 160, 44);

    private HindcastPlots() {}

    /**
     * Observed yield in the training years, the fitted trend over the window, and the test year's
     * observation and prediction, for the top producers.
     */
    public static void fold(Path file, Panel panel, FittedModel model, List<Integer> topRegions, int testYear,
            int[] trainYears, int startYear, int endYear, double[] predictedByRegion, String unit, String selection) {
        List<Charts.Panel> panels = new ArrayList<>();
        for (int r : topRegions.subList(0, Math.min(MAX_PANELS, topRegions.size()))) {
            double[] tx = new double[trainYears.length];
            double[] ty = new double[trainYears.length];
            for (int i = 0; i < trainYears.length; i++) {
                tx[i] = trainYears[i];
                ty[i] = panel.target(r, trainYears[i]);
            }
            int span = endYear - startYear + 1;
            double[] lx = new double[span];
            double[] ly = new double[span];
            for (int i = 0; i < span; i++) {
                lx[i] = startYear + i;
                ly[i] = model.trend(r, startYear + i);
            }
            panels.add(new Charts.Panel(panel.regions().get(r), "year", "yield (" + unit + ")", List.of(
                    new Charts.Series("observed (training)", tx, ty, false, OBSERVED),
                    new Charts.Series("fitted trend", lx, ly, true, TREND),
                    new Charts.Series("observed in " + testYear + " (held out)", new double[] {testYear},
                            new double[] {panel.target(r, testYear)}, false, TEST),
                    new Charts.Series("predicted for " + testYear, new double[] {testYear},
                            new double[] {predictedByRegion[r]}, false, PREDICTED))));
        }
        Charts.writeGrid(file, "Fold " + testYear + ": yield and " + model.detrend().configName()
                + " trend fitted on the training years (" + unit + "), " + selection, panels, 3, true);
    }

    /** National predicted, trend-only and observed yield by test year, and region-years predicted vs observed. */
    public static void summary(Path file, double[] years, double[] observed, double[] predicted, double[] trend,
            double[] regionObserved, double[] regionPredicted, String unit, String weighting) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < regionObserved.length; i++) {
            if (!Double.isNaN(regionObserved[i]) && !Double.isNaN(regionPredicted[i])) {
                min = Math.min(min, Math.min(regionObserved[i], regionPredicted[i]));
                max = Math.max(max, Math.max(regionObserved[i], regionPredicted[i]));
            }
        }
        double[] diagonal = Double.isFinite(min) ? new double[] {min, max} : new double[0];
        List<Charts.Panel> panels = List.of(
                new Charts.Panel("National (" + weighting + ") by test year", "year", "yield (" + unit + ")", List.of(
                        new Charts.Series("observed", years, observed, true, Color.BLACK),
                        new Charts.Series("model", years, predicted, true, PREDICTED),
                        new Charts.Series("trend only", years, trend, true, TREND))),
                new Charts.Panel("Regions: predicted vs observed", "observed (" + unit + ")", "predicted (" + unit + ")",
                        List.of(new Charts.Series("region-years", regionObserved, regionPredicted, false, OBSERVED),
                                new Charts.Series("1:1", diagonal, diagonal, true, Color.GRAY))));
        Charts.writeGrid(file, "Hindcast: predicted against observed", panels, 2, true, 560, 400);
    }
}
