package org.cropcast.pipeline.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.cropcast.pipeline.config.Detrend;
import org.cropcast.pipeline.config.GbtSettings;
import org.cropcast.pipeline.config.Regression;
import org.cropcast.pipeline.data.Panel;
import org.cropcast.tracking.CropcastException;
import org.junit.jupiter.api.Test;

/**
 * regression gbt: XGBoost's trees of the anomaly, seeded and single-threaded (the same data give
 * the same trees), learning a hump in temperature that no linear term can, giving a feature that
 * is not present its training mean, and surviving {@code model.json} unchanged.
 */
class GradientBoostedTreesTest {
    private static final int REGIONS = 12;
    private static final int FIRST = 1991;
    private static final int YEARS = 30;
    private static final GbtSettings GBT = new GbtSettings(200, 3, 0.05, 0.8, 5, 7);

    /** Yield = region level + trend - 0.3 (t - 24)^2 + noise; t a July temperature, r a rainfall without effect. */
    private static Panel humpPanel(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int cells = REGIONS * YEARS;
        double[] target = new double[cells];
        double[] features = new double[cells * 2];
        double[] nan = new double[cells];
        Arrays.fill(nan, Double.NaN);
        List<String> regions = new ArrayList<>();
        for (int r = 0; r < REGIONS; r++) {
            regions.add("R" + r);
            for (int y = 0; y < YEARS; y++) {
                int cell = r * YEARS + y;
                double t = 24 + 3 * random.nextGaussian();
                double rain = 3 + random.nextGaussian();
                features[cell * 2] = t;
                features[cell * 2 + 1] = rain;
                target[cell] = 8 + r + 0.1 * y - 0.3 * (t - 24) * (t - 24) + 0.2 * random.nextGaussian();
            }
        }
        return new Panel(regions, FIRST, YEARS, target, nan, nan, List.of("t2m_m07", "rain_m07"), new int[] {7, 7}, features,
                "hump.csv");
    }

    private static BitSet all() {
        BitSet selected = new BitSet();
        selected.set(0, REGIONS);
        return selected;
    }

    private static FoldFitter fitter(Panel panel, Regression regression) {
        return new FoldFitter(panel, all(), Detrend.LINEAR, regression, 1.0,
                regression.growsTrees() ? Optional.of(GBT) : Optional.empty(), FIRST);
    }

    /** Leave-one-year-out RMSE of the anomaly model over every region-year. */
    private static double hindcastRmse(Panel panel, Regression regression) {
        FoldFitter fitter = fitter(panel, regression);
        double sum = 0;
        int n = 0;
        for (int test = FIRST; test < FIRST + YEARS; test++) {
            int year = test;
            int[] train = IntStream.range(FIRST, FIRST + YEARS).filter(y -> y != year).toArray();
            FittedModel model = fitter.fit(train, "fold " + test);
            for (int r = 0; r < REGIONS; r++) {
                int cell = panel.cell(r, test);
                double predicted = model.trend(r, test) + model.anomaly(panel.features(), cell * 2, null);
                sum += Math.pow(predicted - panel.target()[cell], 2);
                n++;
            }
        }
        return Math.sqrt(sum / n);
    }

    @Test
    void learnsAHumpThatNoLinearTermCan() {
        Panel panel = humpPanel(5);
        double trees = hindcastRmse(panel, Regression.GBT);
        double ridge = hindcastRmse(panel, Regression.RIDGE);
        double trend = hindcastRmse(panel, Regression.NONE);
        // the hump is symmetric: a straight line in t explains almost none of it
        assertThat(ridge).isGreaterThan(0.9 * trend);
        assertThat(trees).as("trees %s, ridge %s, trend %s", trees, ridge, trend).isLessThan(0.6 * ridge);
    }

    @Test
    void theSameDataAndSeedGiveTheSameTrees() {
        Panel panel = humpPanel(9);
        int[] train = IntStream.range(FIRST, FIRST + YEARS - 1).toArray();
        FittedModel a = fitter(panel, Regression.GBT).fit(train, "fold a");
        FittedModel b = fitter(panel, Regression.GBT).fit(train, "fold b");
        assertThat(a.trees().orElseThrow().base64()).isEqualTo(b.trees().orElseThrow().base64());
        FittedModel reseeded = new FoldFitter(panel, all(), Detrend.LINEAR, Regression.GBT, 1.0,
                Optional.of(new GbtSettings(200, 3, 0.05, 0.8, 5, 8)), FIRST).fit(train, "fold c");
        assertThat(reseeded.trees().orElseThrow().base64()).as("subsampling follows the seed")
                .isNotEqualTo(a.trees().orElseThrow().base64());
        assertThat(a.trainingRows()).isEqualTo((long) REGIONS * (YEARS - 1));
        assertThat(a.beta()).containsOnly(0.0);
    }

    @Test
    void aFeatureNotPresentIsGivenItsTrainingMean() {
        Panel panel = humpPanel(11);
        int[] train = IntStream.range(FIRST, FIRST + YEARS - 1).toArray();
        FittedModel model = fitter(panel, Regression.GBT).fit(train, "fold");
        double[] row = {31.0, 2.0};
        double[] atMean = {model.means()[0], 2.0};
        double cutOff = model.anomaly(row, 0, new boolean[] {false, true});
        assertThat(cutOff).isEqualTo(model.anomaly(atMean, 0, null));
        assertThat(model.anomaly(new double[] {Double.NaN, 2.0}, 0, null)).isEqualTo(cutOff);
        // and the hot July, when known, is predicted well below the mean July
        assertThat(model.anomaly(row, 0, null)).isLessThan(cutOff - 5);
    }

    @Test
    void aProductionModelKeepsItsTreesThroughModelJson() throws Exception {
        Panel panel = humpPanel(13);
        int[] years = IntStream.range(FIRST, FIRST + YEARS).toArray();
        FittedModel fitted = fitter(panel, Regression.GBT).fit(years, "fit-production");
        int[] regions = IntStream.range(0, REGIONS).toArray();
        ProductionModel model = ProductionModel.of(fitted, regions, panel.featurePeriods(), years, 1.0, Optional.of(GBT), "hash",
                "run", "t/ha", "equal", java.util.List.of(), java.util.List.of());
        assertThat(model.gbt().library()).isEqualTo("xgboost4j");
        assertThat(model.gbt().settings()).isEqualTo(GBT);
        assertThat(model.formatProblem()).isEmpty();
        JsonMapper json = JsonMapper.builder().build();
        ProductionModel read = json.readValue(json.writeValueAsBytes(model), ProductionModel.class);
        FittedModel back = read.toFitted();
        for (int cell = 0; cell < REGIONS * YEARS; cell += 7) {
            assertThat(back.anomaly(panel.features(), cell * 2, null)).isEqualTo(fitted.anomaly(panel.features(), cell * 2, null));
        }
        // a gbt model without its trees, or a linear one with trees, is not a valid model
        ProductionModel noTrees = new ProductionModel(read.format(), read.version(), read.configHash(), read.createdByRun(),
                read.targetUnit(), read.detrend(), read.regression(), read.ridgeAlpha(), read.trendOrigin(), read.trendScale(),
                read.trainingYears(), read.trainingRows(), read.nationalWeighting(), read.regions(), read.intercept(), read.features(),
                null, read.initMonths(), read.initModels());
        assertThat(noTrees.formatProblem()).hasValueSatisfying(p -> assertThat(p).contains("without its 'gbt' trees"));
        ProductionModel corrupt = new ProductionModel(read.format(), read.version(), read.configHash(), read.createdByRun(),
                read.targetUnit(), read.detrend(), read.regression(), read.ridgeAlpha(), read.trendOrigin(), read.trendScale(),
                read.trainingYears(), read.trainingRows(), read.nationalWeighting(), read.regions(), read.intercept(), read.features(),
                new ProductionModel.Trees("xgboost4j", new GbtSettings(200, 3, 0.05, 0.8, 5, 7), "xgboost-ubj", "bm90IGEgbW9kZWw="), read.initMonths(),
                read.initModels());
        assertThatThrownBy(corrupt::toFitted).isInstanceOf(CropcastException.class).hasMessageContaining("not a readable XGBoost model");
    }

    /** Yield = region level + trend + 0.8 t + noise: a straight line, which ridge fits and the trees only approximate. */
    private static Panel linearPanel(long seed) {
        Panel hump = humpPanel(seed);
        SplittableRandom random = new SplittableRandom(seed + 1);
        double[] target = hump.target().clone();
        for (int r = 0; r < REGIONS; r++) {
            for (int y = 0; y < YEARS; y++) {
                int cell = r * YEARS + y;
                target[cell] = 8 + r + 0.1 * y + 0.8 * (hump.features()[cell * 2] - 24) + 0.3 * random.nextGaussian();
            }
        }
        double[] nan = new double[REGIONS * YEARS];
        Arrays.fill(nan, Double.NaN);
        return new Panel(hump.regions(), FIRST, YEARS, target, nan, nan, hump.featureNames(), hump.featurePeriods(), hump.features(),
                "linear.csv");
    }

    @Test
    void autoChoosesByInnerCrossValidationOnTheTrainingYearsAlone() {
        int[] train = IntStream.range(FIRST, FIRST + YEARS).filter(y -> y != FIRST + 10).toArray();
        Panel hump = humpPanel(5);
        FittedModel chosen = fitter(hump, Regression.AUTO).fit(train, "fold");
        assertThat(chosen.regression()).as("the hump needs trees").isEqualTo(Regression.GBT);
        assertThat(chosen.trees().orElseThrow().base64()).as("the chosen learner refitted on every training year")
                .isEqualTo(fitter(hump, Regression.GBT).fit(train, "fold").trees().orElseThrow().base64());
        Panel linear = linearPanel(5);
        FittedModel straight = fitter(linear, Regression.AUTO).fit(train, "fold");
        assertThat(straight.regression()).as("a straight line is ridge's").isEqualTo(Regression.RIDGE);
        assertThat(straight.beta()).isEqualTo(fitter(linear, Regression.RIDGE).fit(train, "fold").beta());

        // the test year's data cannot sway the choice: the hump's test year replaced by a straight line's
        double[] mixed = hump.target().clone();
        for (int r = 0; r < REGIONS; r++) {
            int cell = hump.cell(r, FIRST + 10);
            mixed[cell] = linear.target()[cell] + 50;
        }
        double[] nan = new double[REGIONS * YEARS];
        Arrays.fill(nan, Double.NaN);
        Panel changed = new Panel(hump.regions(), FIRST, YEARS, mixed, nan, nan, hump.featureNames(), hump.featurePeriods(),
                hump.features(), "changed.csv");
        assertThat(fitter(changed, Regression.AUTO).fit(train, "fold").trees().orElseThrow().base64())
                .isEqualTo(chosen.trees().orElseThrow().base64());
    }
}
