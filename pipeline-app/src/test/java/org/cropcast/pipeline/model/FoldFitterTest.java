package org.cropcast.pipeline.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import org.cropcast.pipeline.config.Detrend;
import org.cropcast.pipeline.config.Regression;
import org.cropcast.pipeline.data.Panel;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.junit.jupiter.api.Test;

/**
 * The fold fitter's streamed, algebraically standardised normal equations against a direct
 * least-squares solve (Householder QR) on the explicit design, and its freedom from leakage.
 */
class FoldFitterTest {
    private static final int REGIONS = 7;
    private static final int FIRST = 2001;
    private static final int YEARS = 15;
    private static final int P = 3;

    private static Panel panel(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int cells = REGIONS * YEARS;
        double[] target = new double[cells];
        double[] features = new double[cells * P];
        double[] nan = new double[cells];
        Arrays.fill(nan, Double.NaN);
        List<String> regions = new ArrayList<>();
        for (int r = 0; r < REGIONS; r++) {
            regions.add("R" + r);
            for (int y = 0; y < YEARS; y++) {
                int cell = r * YEARS + y;
                double value = 5 + r + 0.3 * y + 0.01 * y * y;
                for (int f = 0; f < P; f++) {
                    double x = 20 + 5 * f + random.nextGaussian() * (1 + f);
                    features[cell * P + f] = x;
                    value += (f - 1) * 0.4 * x;
                }
                target[cell] = value + 0.2 * random.nextGaussian();
            }
        }
        target[2 * YEARS + 4] = Double.NaN; // a missing target
        features[(3 * YEARS + 6) * P + 1] = Double.NaN; // a missing feature: row left out of the regression
        return new Panel(regions, FIRST, YEARS, target, nan, nan, List.of("a", "b", "c"), new int[P], features, "test.csv");
    }

    private static BitSet all() {
        BitSet selected = new BitSet();
        selected.set(0, REGIONS);
        return selected;
    }

    private static int[] trainYears(int testYear) {
        return java.util.stream.IntStream.range(FIRST, FIRST + YEARS).filter(y -> y != testYear).toArray();
    }

    @Test
    void matchesADirectLeastSquaresSolve() {
        Panel panel = panel(3);
        int[] train = trainYears(2008);
        for (Regression regression : List.of(Regression.OLS, Regression.RIDGE)) {
            double alpha = regression == Regression.RIDGE ? 2.5 : 0;
            FittedModel model = new FoldFitter(panel, all(), Detrend.QUADRATIC, regression, alpha, FIRST).fit(train, "fold 2008");

            // trend: per-region quadratic by QR
            double[] trendAt = new double[panel.regionCount() * panel.years()];
            for (int r = 0; r < REGIONS; r++) {
                List<double[]> rows = new ArrayList<>();
                List<Double> ys = new ArrayList<>();
                for (int year : train) {
                    double v = panel.target(r, year);
                    if (!Double.isNaN(v)) {
                        double t = (year - FIRST) / 10.0;
                        rows.add(new double[] {1, t, t * t});
                        ys.add(v);
                    }
                }
                double[] coefficients = leastSquares(rows, ys);
                for (int i = 0; i < 3; i++) {
                    assertThat(model.trendCoefficients()[r * 3 + i]).isCloseTo(coefficients[i], within(1e-8));
                }
                for (int year : train) {
                    double t = (year - FIRST) / 10.0;
                    trendAt[panel.cell(r, year)] = coefficients[0] + coefficients[1] * t + coefficients[2] * t * t;
                }
            }
            // regression: explicit standardised design with an intercept, complete rows only
            List<double[]> xs = new ArrayList<>();
            List<Double> anomalies = new ArrayList<>();
            for (int r = 0; r < REGIONS; r++) {
                for (int year : train) {
                    int cell = panel.cell(r, year);
                    double[] x = Arrays.copyOfRange(panel.features(), cell * P, cell * P + P);
                    if (Double.isNaN(panel.target()[cell]) || Arrays.stream(x).anyMatch(Double::isNaN)) {
                        continue;
                    }
                    xs.add(x);
                    anomalies.add(panel.target()[cell] - trendAt[cell]);
                }
            }
            assertThat(model.trainingRows()).isEqualTo(xs.size());
            int n = xs.size();
            double[] mean = new double[P];
            double[] sd = new double[P];
            for (double[] x : xs) {
                for (int f = 0; f < P; f++) {
                    mean[f] += x[f] / n;
                }
            }
            for (double[] x : xs) {
                for (int f = 0; f < P; f++) {
                    sd[f] += (x[f] - mean[f]) * (x[f] - mean[f]) / n;
                }
            }
            List<double[]> design = new ArrayList<>();
            for (double[] x : xs) {
                double[] row = new double[P + 1];
                row[0] = 1;
                for (int f = 0; f < P; f++) {
                    row[f + 1] = (x[f] - mean[f]) / Math.sqrt(sd[f]);
                }
                design.add(row);
            }
            double[] expected;
            if (regression == Regression.OLS) {
                expected = leastSquares(design, anomalies);
            } else {
                // ridge: augment the design with sqrt(alpha) rows on the (unpenalised intercept excluded) features
                List<double[]> augmented = new ArrayList<>(design);
                List<Double> ys = new ArrayList<>(anomalies);
                for (int f = 0; f < P; f++) {
                    double[] row = new double[P + 1];
                    row[f + 1] = Math.sqrt(alpha);
                    augmented.add(row);
                    ys.add(0.0);
                }
                expected = leastSquares(augmented, ys);
            }
            assertThat(model.intercept()).isCloseTo(expected[0], within(1e-8));
            for (int f = 0; f < P; f++) {
                assertThat(model.beta()[f]).as("%s beta %d", regression, f).isCloseTo(expected[f + 1], within(1e-8));
                assertThat(model.means()[f]).isCloseTo(mean[f], within(1e-9));
                assertThat(model.sds()[f]).isCloseTo(Math.sqrt(sd[f]), within(1e-9));
            }
        }
    }

    @Test
    void theTestYearDoesNotLeakIntoTheFit() {
        Panel clean = panel(5);
        Panel changed = panel(5);
        int test = 2010;
        for (int r = 0; r < REGIONS; r++) {
            int cell = changed.cell(r, test);
            changed.target()[cell] += 1000;
            for (int f = 0; f < P; f++) {
                changed.features()[cell * P + f] *= 7;
            }
        }
        FittedModel a = new FoldFitter(clean, all(), Detrend.LINEAR, Regression.RIDGE, 1.0, FIRST).fit(trainYears(test), "fold");
        FittedModel b = new FoldFitter(changed, all(), Detrend.LINEAR, Regression.RIDGE, 1.0, FIRST).fit(trainYears(test), "fold");
        assertThat(b.trendCoefficients()).containsExactly(a.trendCoefficients(), within(1e-9));
        assertThat(b.beta()).containsExactly(a.beta(), within(1e-9));
        assertThat(b.means()).containsExactly(a.means(), within(1e-9));
        assertThat(b.sds()).containsExactly(a.sds(), within(1e-9));
        // while training on the test year would change it
        FittedModel leaky = new FoldFitter(changed, all(), Detrend.LINEAR, Regression.RIDGE, 1.0, FIRST)
                .fit(java.util.stream.IntStream.range(FIRST, FIRST + YEARS).toArray(), "all");
        assertThat(leaky.means()[0]).isNotCloseTo(a.means()[0], within(1e-3));
    }

    private static double[] leastSquares(List<double[]> rows, List<Double> ys) {
        int k = rows.get(0).length;
        DMatrixRMaj a = new DMatrixRMaj(rows.size(), k);
        DMatrixRMaj b = new DMatrixRMaj(rows.size(), 1);
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < k; j++) {
                a.set(i, j, rows.get(i)[j]);
            }
            b.set(i, 0, ys.get(i));
        }
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.leastSquares(rows.size(), k);
        assertThat(solver.setA(a)).isTrue();
        DMatrixRMaj x = new DMatrixRMaj(k, 1);
        solver.solve(b, x);
        return x.data;
    }

    @Test
    void skillAccumulatorMatchesTheDefinitions() {
        Skill.Accumulator acc = new Skill.Accumulator();
        double[] estimate = {2, 4, 7, Double.NaN};
        double[] observed = {1, 5, 6, 3};
        for (int i = 0; i < estimate.length; i++) {
            acc.add(estimate[i], observed[i]);
        }
        Skill s = acc.skill();
        assertThat(s.n()).isEqualTo(3);
        assertThat(s.rmse()).isCloseTo(1.0, within(1e-12));
        assertThat(s.mae()).isCloseTo(1.0, within(1e-12));
        assertThat(s.bias()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(s.mape()).isCloseTo(100 * (1.0 + 0.2 + 1.0 / 6) / 3, within(1e-9));
        // SST = (1-4)^2 + (5-4)^2 + (6-4)^2 = 14, SSE = 3
        assertThat(s.r2()).isCloseTo(1 - 3.0 / 14, within(1e-12));
    }
}
