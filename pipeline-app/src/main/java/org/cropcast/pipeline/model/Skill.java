package org.cropcast.pipeline.model;

/**
 * Error statistics of estimates against observed values: RMSE, MAE, MAPE (percent of the observed
 * value), bias (mean of estimate minus observed) and R² ({@code 1 - SSE / SST} around the mean of
 * the observed values; NaN with fewer than two values or no spread).
 */
public record Skill(long n, double rmse, double mae, double mape, double bias, double r2) {
    public static final Skill EMPTY = new Skill(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /** Accumulates pairs without keeping them. */
    public static final class Accumulator {
        private long n;
        private long nPct;
        private double sumError;
        private double sumSquared;
        private double sumAbs;
        private double sumPct;
        private double sumObserved;
        private double sumObservedSquared;

        /** Adds one pair; pairs with a NaN side are skipped. */
        public void add(double estimate, double observed) {
            if (Double.isNaN(estimate) || Double.isNaN(observed)) {
                return;
            }
            double error = estimate - observed;
            n++;
            sumError += error;
            sumSquared += error * error;
            sumAbs += Math.abs(error);
            if (observed != 0) {
                nPct++;
                sumPct += Math.abs(error / observed);
            }
            sumObserved += observed;
            sumObservedSquared += observed * observed;
        }

        public long count() {
            return n;
        }

        /** The mean of the observed values added (NaN when none). */
        public double meanObserved() {
            return n == 0 ? Double.NaN : sumObserved / n;
        }

        /** RMSE over the mean observed value, in percent (NaN when empty or the mean is 0). */
        public double nrmse() {
            double mean = meanObserved();
            return n == 0 || mean == 0 ? Double.NaN : 100 * Math.sqrt(sumSquared / n) / Math.abs(mean);
        }

        public Skill skill() {
            if (n == 0) {
                return EMPTY;
            }
            double mean = sumObserved / n;
            double sst = sumObservedSquared - n * mean * mean;
            double r2 = n < 2 || sst <= 1e-12 * Math.max(1, sumObservedSquared) ? Double.NaN : 1 - sumSquared / sst;
            return new Skill(n, Math.sqrt(sumSquared / n), sumAbs / n, nPct == 0 ? Double.NaN : 100 * sumPct / nPct,
                    sumError / n, r2);
        }
    }
}
