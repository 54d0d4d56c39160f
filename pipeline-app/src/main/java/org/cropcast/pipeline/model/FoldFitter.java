package org.cropcast.pipeline.model;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import org.cropcast.pipeline.config.GbtSettings;
import org.cropcast.pipeline.config.Detrend;
import org.cropcast.pipeline.config.Regression;
import org.cropcast.pipeline.data.Panel;
import org.cropcast.pipeline.errors.PipelineErrorCode;
import org.cropcast.tracking.CropcastException;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Fits the trend-plus-anomaly model on any subset of training years without leakage: the trends,
 * the feature standardisation and the regression see only the training years.
 *
 * <p>For speed the regression's cross products are accumulated once per year (streamed over the
 * panel's rows, on features shifted by their overall mean to keep the sums well conditioned); a
 * fold sums the years it trains on, standardises algebraically and solves the normal equations
 * with a Cholesky decomposition (EJML). Only the anomaly-dependent X'a is streamed per fold.
 */
public final class FoldFitter {
    private final Panel panel;
    private final BitSet selected;
    private final Detrend detrend;
    private final Regression regression;
    private final double ridgeAlpha;
    private final Optional<GbtSettings> gbt;
    /** regression auto: the learners it chooses between, in the order a tie is settled (empty otherwise). */
    private final List<Learner> candidates;
    /** Inner folds of regression auto's choice. */
    public static final int INNER_FOLDS = 5;
    /** regression auto: the ridge penalties it tries besides the configured {@code ridge_alpha}. */
    public static final List<Double> AUTO_RIDGE_ALPHAS = List.of(1.0, 10.0, 100.0, 1000.0, 10000.0);

    /** A learner and its penalty (ridge only): what regression auto chooses between. */
    public record Learner(Regression regression, double ridgeAlpha) {
        /** "none (trend only)", "ridge (alpha 10.0)", "gbt". */
        @Override
        public String toString() {
            return switch (regression) {
                case RIDGE -> "ridge (alpha " + ridgeAlpha + ")";
                case NONE -> "none (trend only)";
                default -> regression.configName();
            };
        }
    }

    /**
     * regression auto's candidates, in the order a tie is settled (the simpler first): the trend
     * alone, ridge from the strongest penalty down to the weakest ({@link #AUTO_RIDGE_ALPHAS} and
     * the configured one), then gbt.
     */
    public static List<Learner> autoCandidates(double ridgeAlpha) {
        java.util.TreeSet<Double> alphas = new java.util.TreeSet<>(java.util.Comparator.reverseOrder());
        alphas.addAll(AUTO_RIDGE_ALPHAS);
        alphas.add(ridgeAlpha);
        List<Learner> out = new java.util.ArrayList<>();
        out.add(new Learner(Regression.NONE, 0));
        alphas.forEach(alpha -> out.add(new Learner(Regression.RIDGE, alpha)));
        out.add(new Learner(Regression.GBT, 0));
        return List.copyOf(out);
    }
    private final int origin;
    private final int p;
    /** Cells of selected regions with a target and every feature. */
    private final BitSet complete;
    private final double[] shift;
    /** Per panel year: count, sums (p) and cross products (p x p) of shifted features. */
    private final long[] yearCount;
    private final double[][] yearSums;
    private final double[][] yearCross;

    /** Receives each training row of a fit (for the fit dataset); features are read from the panel. */
    @FunctionalInterface
    public interface TrainingRowSink {
        void row(int region, int year, double target, double trend, double anomaly);
    }

    public FoldFitter(Panel panel, BitSet selected, Detrend detrend, Regression regression, double ridgeAlpha, int origin) {
        this(panel, selected, detrend, regression, ridgeAlpha, Optional.empty(), origin);
    }

    /** @param gbt the trees' hyperparameters, required for regression gbt */
    public FoldFitter(Panel panel, BitSet selected, Detrend detrend, Regression regression, double ridgeAlpha,
            Optional<GbtSettings> gbt, int origin) {
        if (regression.growsTrees() && gbt.isEmpty()) {
            throw new IllegalArgumentException("regression " + regression.configName() + " needs its gbt settings");
        }
        this.candidates = regression == Regression.AUTO ? autoCandidates(ridgeAlpha) : List.of();
        this.gbt = gbt;
        this.panel = panel;
        this.selected = selected;
        this.detrend = detrend;
        this.regression = regression;
        this.ridgeAlpha = ridgeAlpha;
        this.origin = origin;
        this.p = regression == Regression.NONE ? 0 : panel.featureCount();
        int years = panel.years();
        this.complete = new BitSet(panel.regionCount() * years);
        this.shift = new double[p];
        this.yearCount = new long[years];
        this.yearSums = new double[years][p];
        this.yearCross = new double[years][p * p];
        if (p > 0) {
            accumulateYears();
        }
    }

    private void accumulateYears() {
        double[] features = panel.features();
        double[] target = panel.target();
        int years = panel.years();
        long n = 0;
        for (int r = selected.nextSetBit(0); r >= 0; r = selected.nextSetBit(r + 1)) {
            for (int y = 0; y < years; y++) {
                int cell = r * years + y;
                if (Double.isNaN(target[cell])) {
                    continue;
                }
                boolean ok = true;
                for (int f = 0; f < p && ok; f++) {
                    ok = !Double.isNaN(features[cell * p + f]);
                }
                if (ok) {
                    complete.set(cell);
                    n++;
                    for (int f = 0; f < p; f++) {
                        shift[f] += features[cell * p + f];
                    }
                }
            }
        }
        if (n > 0) {
            for (int f = 0; f < p; f++) {
                shift[f] /= n;
            }
        }
        double[] x = new double[p];
        for (int cell = complete.nextSetBit(0); cell >= 0; cell = complete.nextSetBit(cell + 1)) {
            int y = cell % years;
            for (int f = 0; f < p; f++) {
                x[f] = features[cell * p + f] - shift[f];
            }
            yearCount[y]++;
            double[] sums = yearSums[y];
            double[] cross = yearCross[y];
            for (int i = 0; i < p; i++) {
                double xi = x[i];
                sums[i] += xi;
                int row = i * p;
                for (int j = i; j < p; j++) {
                    cross[row + j] += xi * x[j];
                }
            }
        }
    }

    /** Fits on {@code trainYears}; {@code foldLabel} names the fold in errors. */
    public FittedModel fit(int[] trainYears, String foldLabel) {
        return fit(trainYears, foldLabel, null);
    }

    /** Hands every training row of a fit (years with a target, selected regions) to the sink. */
    public void trainingRows(int[] trainYears, FittedModel model, TrainingRowSink sink) {
        emitRows(trainYears, model, sink);
    }

    /**
     * A fitter with the same settings on only the features that {@code mask} lets through (this
     * one when it lets every feature through); regression none when it lets none through.
     */
    public FoldFitter withFeatures(boolean[] mask) {
        int kept = FeatureCutoff.count(mask);
        if (kept == panel.featureCount()) {
            return this;
        }
        return new FoldFitter(panel.withFeatures(mask), selected, detrend, kept == 0 ? Regression.NONE : regression, ridgeAlpha, gbt,
                origin);
    }

    /** The features this fitter's models use (those of its panel). */
    public List<String> featureNames() {
        return panel.featureNames();
    }

    private FittedModel fit(int[] trainYears, String foldLabel, TrainingRowSink sink) {
        Learner learner = regression == Regression.AUTO ? choose(trainYears, foldLabel) : new Learner(regression, ridgeAlpha);
        return fit(trainYears, foldLabel, sink, learner);
    }

    private FittedModel fit(int[] trainYears, String foldLabel, TrainingRowSink sink, Learner learner) {
        int k = detrend.coefficients();
        double[] coefficients = new double[panel.regionCount() * k];
        Arrays.fill(coefficients, Double.NaN);
        fitTrends(trainYears, foldLabel, coefficients);
        FittedModel trendOnly = new FittedModel(detrend, Regression.NONE, origin, panel.regions(), coefficients,
                List.of(), 0, new double[0], new double[0], new double[0], 0, 0);
        if (p == 0) {
            emitRows(trainYears, trendOnly, sink);
            return new FittedModel(detrend, learner.regression(), origin, panel.regions(), coefficients,
                    learner.regression() == Regression.NONE ? List.of() : panel.featureNames(), 0, new double[0], new double[0],
                    new double[0], 0, learner.regression() == Regression.RIDGE ? learner.ridgeAlpha() : 0);
        }
        return fitRegression(trainYears, foldLabel, trendOnly, sink, learner);
    }

    private void fitTrends(int[] trainYears, String foldLabel, double[] coefficients) {
        int k = detrend.coefficients();
        DMatrixRMaj a = new DMatrixRMaj(k, k);
        DMatrixRMaj b = new DMatrixRMaj(k, 1);
        DMatrixRMaj solution = new DMatrixRMaj(k, 1);
        double[] target = panel.target();
        for (int r = selected.nextSetBit(0); r >= 0; r = selected.nextSetBit(r + 1)) {
            a.zero();
            b.zero();
            int count = 0;
            for (int year : trainYears) {
                double value = target[panel.cell(r, year)];
                if (Double.isNaN(value)) {
                    continue;
                }
                count++;
                double t = (year - origin) / FittedModel.TREND_SCALE;
                double[] powers = {1, t, t * t};
                for (int i = 0; i < k; i++) {
                    b.data[i] += powers[i] * value;
                    for (int j = 0; j < k; j++) {
                        a.data[i * k + j] += powers[i] * powers[j];
                    }
                }
            }
            if (count < detrend.minimumYears()) {
                throw new CropcastException(PipelineErrorCode.TOO_FEW_TRAINING_YEARS, panel.targetFile() + ": region '"
                        + panel.regions().get(r) + "' has " + count + " training year(s) with a target in " + foldLabel
                        + "; detrend " + detrend.configName() + " needs at least " + detrend.minimumYears());
            }
            if (!CommonOps_DDRM.solve(a, b, solution)) {
                throw new CropcastException(PipelineErrorCode.TOO_FEW_TRAINING_YEARS, panel.targetFile() + ": region '"
                        + panel.regions().get(r) + "': the " + detrend.configName() + " trend cannot be fitted in " + foldLabel);
            }
            System.arraycopy(solution.data, 0, coefficients, r * k, k);
        }
    }

    private void emitRows(int[] trainYears, FittedModel trend, TrainingRowSink sink) {
        if (sink == null) {
            return;
        }
        double[] target = panel.target();
        for (int r = selected.nextSetBit(0); r >= 0; r = selected.nextSetBit(r + 1)) {
            for (int year : trainYears) {
                double value = target[panel.cell(r, year)];
                if (!Double.isNaN(value)) {
                    double t = trend.trend(r, year);
                    sink.row(r, year, value, t, value - t);
                }
            }
        }
    }

    private FittedModel fitRegression(int[] trainYears, String foldLabel, FittedModel trend, TrainingRowSink sink, Learner learner) {
        Regression regression = learner.regression();
        long n = 0;
        double[] sums = new double[p];
        double[] cross = new double[p * p];
        for (int year : trainYears) {
            int y = year - panel.firstYear();
            n += yearCount[y];
            for (int i = 0; i < p; i++) {
                sums[i] += yearSums[y][i];
            }
            double[] c = yearCross[y];
            for (int i = 0; i < p * p; i++) {
                cross[i] += c[i];
            }
        }
        if (n <= p + 1) {
            throw singular(foldLabel, "only " + n + " complete training rows for " + p + " features");
        }
        double[] mean = new double[p];
        double[] sd = new double[p];
        for (int i = 0; i < p; i++) {
            mean[i] = sums[i] / n;
            double variance = cross[i * p + i] / n - mean[i] * mean[i];
            sd[i] = Math.sqrt(Math.max(variance, 0));
            double scale = Math.abs(shift[i] + mean[i]) + 1;
            if (!(sd[i] > 1e-9 * scale)) {
                throw singular(foldLabel, "feature '" + panel.featureNames().get(i) + "' is constant over the training rows");
            }
        }
        if (regression == Regression.NONE) {
            // regression auto chose the trend: the features stay in the model's schema with coefficient 0
            emitRows(trainYears, trend, sink);
            double[] originalMean = new double[p];
            for (int i = 0; i < p; i++) {
                originalMean[i] = mean[i] + shift[i];
            }
            return new FittedModel(detrend, Regression.NONE, origin, panel.regions(), trend.trendCoefficients(), panel.featureNames(),
                    0, new double[p], originalMean, sd, n, 0);
        }
        // X'a streamed over the training rows (a = target - trend), on shifted features
        double[] target = panel.target();
        double[] features = panel.features();
        double[] xa = new double[p];
        double sumA = 0;
        boolean trees = regression == Regression.GBT;
        float[] treeX = trees ? new float[Math.toIntExact(n * p)] : null;
        float[] treeY = trees ? new float[Math.toIntExact(n)] : null;
        int treeRow = 0;
        for (int r = selected.nextSetBit(0); r >= 0; r = selected.nextSetBit(r + 1)) {
            for (int year : trainYears) {
                int cell = panel.cell(r, year);
                double value = target[cell];
                if (Double.isNaN(value)) {
                    continue;
                }
                double t = trend.trend(r, year);
                double anomaly = value - t;
                if (sink != null) {
                    sink.row(r, year, value, t, anomaly);
                }
                if (!complete.get(cell)) {
                    continue;
                }
                sumA += anomaly;
                int offset = cell * p;
                if (trees) {
                    for (int f = 0; f < p; f++) {
                        treeX[treeRow * p + f] = (float) features[offset + f];
                    }
                    treeY[treeRow++] = (float) anomaly;
                }
                for (int f = 0; f < p; f++) {
                    xa[f] += (features[offset + f] - shift[f]) * anomaly;
                }
            }
        }
        if (trees) {
            double[] originalMean = new double[p];
            for (int i = 0; i < p; i++) {
                originalMean[i] = mean[i] + shift[i];
            }
            TreeEnsemble ensemble = TreeEnsemble.train(treeX, treeRow, p, treeY, sumA / n, gbt.orElseThrow());
            return new FittedModel(detrend, regression, origin, panel.regions(), trend.trendCoefficients(), panel.featureNames(),
                    sumA / n, new double[p], originalMean, sd, n, Optional.of(ensemble), 0);
        }
        DMatrixRMaj zz = new DMatrixRMaj(p, p);
        DMatrixRMaj za = new DMatrixRMaj(p, 1);
        for (int i = 0; i < p; i++) {
            for (int j = i; j < p; j++) {
                double value = (cross[i * p + j] - n * mean[i] * mean[j]) / (sd[i] * sd[j]);
                zz.set(i, j, value);
                zz.set(j, i, value);
            }
            za.set(i, 0, (xa[i] - mean[i] * sumA) / sd[i]);
        }
        if (regression == Regression.RIDGE) {
            for (int i = 0; i < p; i++) {
                zz.add(i, i, learner.ridgeAlpha());
            }
        }
        DMatrixRMaj beta = new DMatrixRMaj(p, 1);
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.symmPosDef(p);
        // scale to correlations so that the singularity check does not depend on n
        DMatrixRMaj scaled = zz.copy();
        CommonOps_DDRM.scale(1.0 / n, scaled);
        if (reciprocalCondition(scaled) < 1e-10 || !solver.setA(scaled)) {
            throw singular(foldLabel, "the features are collinear");
        }
        CommonOps_DDRM.scale(1.0 / n, za);
        solver.solve(za, beta);
        double[] originalMean = new double[p];
        for (int i = 0; i < p; i++) {
            originalMean[i] = mean[i] + shift[i];
        }
        return new FittedModel(detrend, regression, origin, panel.regions(), trend.trendCoefficients(),
                panel.featureNames(), sumA / n, beta.data.clone(), originalMean, sd, n,
                regression == Regression.RIDGE ? learner.ridgeAlpha() : 0);
    }

    /**
     * regression auto: the choice among the candidates ({@link #autoCandidates}) by an inner
     * cross-validation on the training years alone, with this fitter's features (at an init date,
     * those observable then): year i of {@code trainYears} is held out in inner fold {@code i % 5}.
     * Each candidate's squared errors are summed per held-out year; the best is the candidate with
     * the lowest mean squared error, and the one chosen is the first (simplest) candidate whose mean
     * excess over the best, per year, is within one standard error of that excess (the
     * one-standard-error rule, on differences paired by year): with little signal the choice
     * shrinks towards the trend rather than follow noise.
     */
    private Learner choose(int[] trainYears, String foldLabel) {
        int folds = Math.min(INNER_FOLDS, trainYears.length);
        int pp = panel.featureCount();
        double[][] errors = new double[candidates.size()][trainYears.length];
        long[] counts = new long[trainYears.length];
        for (int c = 0; c < candidates.size(); c++) {
            for (int k = 0; k < folds; k++) {
                int fold = k;
                int[] innerTrain = java.util.stream.IntStream.range(0, trainYears.length).filter(i -> i % folds != fold)
                        .map(i -> trainYears[i]).toArray();
                FittedModel model = fit(innerTrain, foldLabel + ", inner fold " + (k + 1) + " of " + folds, null, candidates.get(c));
                for (int i = fold; i < trainYears.length; i += folds) {
                    int year = trainYears[i];
                    long n = 0;
                    for (int r = selected.nextSetBit(0); r >= 0; r = selected.nextSetBit(r + 1)) {
                        int cell = panel.cell(r, year);
                        double observed = panel.target()[cell];
                        if (!Double.isNaN(observed)) {
                            double predicted = model.trend(r, year) + model.anomaly(panel.features(), cell * pp, null);
                            errors[c][i] += (predicted - observed) * (predicted - observed);
                            n++;
                        }
                    }
                    counts[i] = n;
                }
            }
        }
        int years = 0;
        for (long n : counts) {
            years += n > 0 ? 1 : 0;
        }
        double[] mean = new double[candidates.size()];
        int best = 0;
        for (int c = 0; c < candidates.size(); c++) {
            for (int i = 0; i < trainYears.length; i++) {
                mean[c] += counts[i] > 0 ? errors[c][i] / counts[i] / years : 0;
            }
            if (mean[c] < mean[best]) {
                best = c;
            }
        }
        for (int c = 0; c < best; c++) {
            double sum = 0;
            double squares = 0;
            for (int i = 0; i < trainYears.length; i++) {
                if (counts[i] > 0) {
                    double d = (errors[c][i] - errors[best][i]) / counts[i];
                    sum += d;
                    squares += d * d;
                }
            }
            double excess = sum / years;
            double variance = years > 1 ? (squares - years * excess * excess) / (years - 1) : 0;
            if (excess <= Math.sqrt(Math.max(variance, 0) / years)) {
                return candidates.get(c);
            }
        }
        return candidates.get(best);
    }

    /** Smallest over largest eigenvalue of a symmetric matrix (0 when singular). */
    private static double reciprocalCondition(DMatrixRMaj symmetric) {
        EigenDecomposition_F64<DMatrixRMaj> eigen = DecompositionFactory_DDRM.eig(symmetric.numRows, false, true);
        if (!eigen.decompose(symmetric.copy())) {
            return 0;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (int i = 0; i < eigen.getNumberOfEigenvalues(); i++) {
            double value = eigen.getEigenvalue(i).getReal();
            min = Math.min(min, value);
            max = Math.max(max, Math.abs(value));
        }
        return max == 0 ? 0 : min / max;
    }

    private CropcastException singular(String foldLabel, String why) {
        return new CropcastException(PipelineErrorCode.SINGULAR_DESIGN,
                "features: the " + regression.configName() + " design is singular in " + foldLabel + ": " + why);
    }
}
