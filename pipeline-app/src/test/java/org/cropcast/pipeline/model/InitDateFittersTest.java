package org.cropcast.pipeline.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.MonthDay;
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
import org.junit.jupiter.api.Test;

/**
 * The model at an init date is fitted on exactly the features observable that day. The panel has
 * two weather features without signal (periods 6 and 7), a wide feature without a period (0) and a
 * planted leak of period 9: the yield's anomaly itself, plus a little noise.
 */
class InitDateFittersTest {
    private static final int REGIONS = 8;
    private static final int FIRST = 2001;
    private static final int YEARS = 20;
    private static final List<String> NAMES = List.of("june", "july", "leak_sep", "soil");
    private static final int[] PERIODS = {6, 7, 9, 0};
    private static final int LEAK = 2;
    private static final GbtSettings GBT = new GbtSettings(40, 2, 0.1, 1.0, 5, 3);

    /** @param leakScale the leak's weight on the anomaly (0: the leak is noise) */
    private static Panel panel(long seed, double leakScale) {
        SplittableRandom random = new SplittableRandom(seed);
        int p = NAMES.size();
        int cells = REGIONS * YEARS;
        double[] target = new double[cells];
        double[] features = new double[cells * p];
        double[] nan = new double[cells];
        Arrays.fill(nan, Double.NaN);
        List<String> regions = new ArrayList<>();
        for (int r = 0; r < REGIONS; r++) {
            regions.add("R" + r);
            for (int y = 0; y < YEARS; y++) {
                int cell = r * YEARS + y;
                double anomaly = random.nextGaussian();
                target[cell] = 10 + r + 0.2 * y + anomaly;
                features[cell * p] = 20 + random.nextGaussian();
                features[cell * p + 1] = 22 + random.nextGaussian();
                features[cell * p + LEAK] = leakScale * anomaly + 0.1 * random.nextGaussian();
                features[cell * p + 3] = 5 + random.nextGaussian();
            }
        }
        // the leak is missing in two rows: they still train the models that do not use it
        features[(2 * YEARS + 3) * p + LEAK] = Double.NaN;
        features[(5 * YEARS + 11) * p + LEAK] = Double.NaN;
        return new Panel(regions, FIRST, YEARS, target, nan, nan, NAMES, PERIODS, features, "test.csv");
    }

    private static InitDateFitters fitters(Panel panel, Regression regression) {
        BitSet all = new BitSet();
        all.set(0, REGIONS);
        return new InitDateFitters(panel, all, Detrend.LINEAR, regression, 1.0, Optional.of(GBT), FIRST);
    }

    private static int[] train(int testYear) {
        return IntStream.range(FIRST, FIRST + YEARS).filter(y -> y != testYear).toArray();
    }

    @Test
    void theAugustModelHasExactlyTheObservableFeaturesAndNeverSeesSeptember() {
        Panel leaky = panel(5, 1.0);
        Panel clean = panel(5, 0.0); // the same panel with the leak turned to noise
        boolean[] august = FeatureCutoff.mask(PERIODS, MonthDay.of(8, 1));
        assertThat(august).containsExactly(true, true, false, true);
        for (Regression regression : List.of(Regression.RIDGE, Regression.GBT)) {
            FittedModel atAugust = fitters(leaky, regression).fitter(august).fit(train(2010), "fold 2010");
            assertThat(atAugust.featureNames()).as(regression + ": the design of 08-01").containsExactly("june", "july", "soil");
            assertThat(atAugust.means()).hasSize(3);
            FittedModel cleanAugust = fitters(clean, regression).fitter(august).fit(train(2010), "fold 2010");
            // the September values cannot reach the 08-01 model: the same fit with and without the leak
            assertThat(atAugust.intercept()).isEqualTo(cleanAugust.intercept());
            assertThat(atAugust.beta()).isEqualTo(cleanAugust.beta());
            if (regression == Regression.GBT) {
                assertThat(atAugust.trees().orElseThrow().base64()).isEqualTo(cleanAugust.trees().orElseThrow().base64());
            }
            // rows that lack only the leak train the 08-01 model, not the all-features one
            FittedModel all = fitters(leaky, regression).all().fit(train(2010), "fold 2010");
            assertThat(all.featureNames()).isEqualTo(NAMES);
            assertThat(atAugust.trainingRows()).isEqualTo(all.trainingRows() + 2).isEqualTo((long) REGIONS * (YEARS - 1));
            // the estimate at 08-01 reads the observable values alone: the September value is ignored
            int cell = leaky.cell(3, 2010);
            double[] row = Arrays.copyOfRange(leaky.features(), cell * 4, cell * 4 + 4);
            FeatureCutoff.Estimate estimate = FeatureCutoff.estimate(atAugust, 3, 2010, row, 0, august);
            row[LEAK] = 1e6;
            assertThat(FeatureCutoff.estimate(atAugust, 3, 2010, row, 0, august)).isEqualTo(estimate);
            assertThat(estimate.present()).isEqualTo(3);
        }
    }

    @Test
    void theObservableSetsOfTheInitMonths() {
        List<InitDateFitters.ObservableSet> sets = InitDateFitters.sets(PERIODS);
        assertThat(sets).extracting(InitDateFitters.ObservableSet::months)
                .containsExactly(List.of(1, 2, 3, 4, 5, 6), List.of(7), List.of(8, 9), List.of(10, 11, 12));
        assertThat(sets.get(0).mask()).containsExactly(false, false, false, true);
        assertThat(sets.get(3).mask()).containsExactly(true, true, true, true);
        // with no feature observable, the model is the trend alone
        Panel panel = panel(5, 1.0);
        FittedModel none = fitters(panel, Regression.RIDGE).fitter(new boolean[4]).fit(train(2010), "fold 2010");
        assertThat(none.regression()).isEqualTo(Regression.NONE);
        assertThat(none.featureNames()).isEmpty();
        assertThat(FeatureCutoff.estimate(none, 0, 2010, panel.features(), 0, new boolean[4]).anomaly()).isZero();
    }

    @Test
    void autoChoosesPerInitDateAndShrinksToTheTrendWithoutSignal() {
        Panel leaky = panel(9, 1.0);
        InitDateFitters fitters = fitters(leaky, Regression.AUTO);
        boolean[] august = FeatureCutoff.mask(PERIODS, MonthDay.of(8, 1));
        FittedModel atAugust = fitters.fitter(august).fit(train(2012), "fold 2012");
        FittedModel all = fitters.all().fit(train(2012), "fold 2012");
        // every feature known, the leak is a straight line: ridge with a weak penalty
        assertThat(all.regression()).isEqualTo(Regression.RIDGE);
        assertThat(all.ridgeAlpha()).isLessThanOrEqualTo(10.0);
        // on 1 August only noise is observable: the inner cross-validation keeps (about) the trend
        assertThat(atAugust.learner()).satisfiesAnyOf(
                l -> assertThat(l.regression()).isEqualTo(Regression.NONE),
                l -> assertThat(l.ridgeAlpha()).isGreaterThanOrEqualTo(1000.0));
        double largest = 0;
        for (int r = 0; r < REGIONS; r++) {
            int cell = leaky.cell(r, 2012);
            largest = Math.max(largest, Math.abs(FeatureCutoff.estimate(atAugust, r, 2012, leaky.features(), cell * 4, august).anomaly()));
        }
        assertThat(largest).as("the 08-01 anomaly stays near 0 (the anomaly's sd is 1)").isLessThan(0.1);
        // the choice is the learner refitted on every training year, as a plain fit of it would be
        if (atAugust.regression() == Regression.RIDGE) {
            BitSet selected = new BitSet();
            selected.set(0, REGIONS);
            FittedModel plain = new FoldFitter(leaky.withFeatures(august), selected, Detrend.LINEAR, Regression.RIDGE,
                    atAugust.ridgeAlpha(), FIRST).fit(train(2012), "fold 2012");
            assertThat(atAugust.beta()).isEqualTo(plain.beta());
        }
    }
}
