package dev.nautilus.accel.cli;

import dev.nautilus.accel.risk.LinearPortfolio;
import dev.nautilus.accel.risk.MarketModel;
import dev.nautilus.accel.risk.MonteCarloEngine;
import dev.nautilus.accel.risk.ParametricEngine;
import dev.nautilus.accel.risk.QuasiMonteCarloEngine;
import dev.nautilus.accel.risk.RiskEstimate;
import java.util.Arrays;

/**
 * The measurements of {@code nautilus bench risk}: parametric evaluation rate, Monte Carlo
 * throughput, and the accuracy of MC and RQMC against the closed form. Every figure is measured
 * here; nothing is assumed. Not thread-safe (one run at a time).
 */
final class RiskBench {
    private RiskBench() {}

    /** Levels the parametric loop cycles through, so each call computes its quantile. */
    private static final double[] LEVELS = {0.95, 0.975, 0.99, 0.995};

    /**
     * @param mean portfolio mean
     * @param sd portfolio sd (precomputed)
     * @param evaluations how many VaR+ES evaluations
     * @return evaluations per second, and a checksum in [1] so the loop is not dead code
     */
    static double[] parametricRate(double mean, double sd, int evaluations) {
        double sum = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < evaluations; i++) {
            double level = LEVELS[i & 3];
            sum += ParametricEngine.valueAtRisk(mean, sd + i * 1e-18, level);
        }
        long t1 = System.nanoTime();
        return new double[] {evaluations / ((t1 - t0) / 1e9), sum};
    }

    /**
     * @param model the model
     * @param w weights
     * @param scenarios scenarios per run
     * @param threads threads
     * @return scenarios per second (all threads together)
     */
    static double monteCarloRate(MarketModel model, double[] w, int scenarios, int threads, long seed) {
        MonteCarloEngine e = new MonteCarloEngine(model, new LinearPortfolio(w), scenarios, seed, threads, Double.POSITIVE_INFINITY);
        long t0 = System.nanoTime();
        double[] losses = e.simulateLosses();
        long t1 = System.nanoTime();
        if (losses.length != scenarios) {
            throw new IllegalStateException("simulated " + losses.length + " of " + scenarios);
        }
        return scenarios / ((t1 - t0) / 1e9);
    }

    /** Which estimator an accuracy run uses. */
    enum Estimator {
        MC("mc"), RQMC_CHOLESKY("rqmc-cholesky"), RQMC_PCA("rqmc-pca"), RQMC_GRADIENT("rqmc-gradient");

        final String label;

        Estimator(String label) {
            this.label = label;
        }
    }

    /**
     * Relative RMSE of VaR and ES over {@code reps} seeds against the exact values.
     *
     * @return {var relative RMSE, es relative RMSE}
     */
    static double[] relativeRmse(Estimator est, MarketModel model, double[] w, int n, double level, int reps, int randomisations,
            int threads, double exactVar, double exactEs) {
        double sv = 0;
        double se = 0;
        for (int r = 0; r < reps; r++) {
            long seed = 10_000L * n + r;
            RiskEstimate e = switch (est) {
                case MC -> new MonteCarloEngine(model, new LinearPortfolio(w), n, seed, threads, Double.POSITIVE_INFINITY)
                        .estimate(level).at(level);
                case RQMC_CHOLESKY -> new QuasiMonteCarloEngine(model, new LinearPortfolio(w), n, randomisations, seed, threads,
                        QuasiMonteCarloEngine.Ordering.CHOLESKY, true).estimate(level).at(level);
                case RQMC_PCA -> new QuasiMonteCarloEngine(model, new LinearPortfolio(w), n, randomisations, seed, threads,
                        QuasiMonteCarloEngine.Ordering.PCA, true).estimate(level).at(level);
                case RQMC_GRADIENT -> new QuasiMonteCarloEngine(model, new LinearPortfolio(w), n, randomisations, seed, threads,
                        QuasiMonteCarloEngine.Ordering.GRADIENT, true).estimate(level).at(level);
            };
            sv += Math.pow(e.valueAtRisk() / exactVar - 1, 2);
            se += Math.pow(e.expectedShortfall() / exactEs - 1, 2);
        }
        return new double[] {Math.sqrt(sv / reps), Math.sqrt(se / reps)};
    }

    /**
     * @param logN log2 of the sizes
     * @param err errors
     * @return least-squares slope of log(err) against log(N)
     */
    static double logLogSlope(int[] logN, double[] err) {
        int k = logN.length;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < k; i++) {
            mx += logN[i] * Math.log(2);
            my += Math.log(err[i]);
        }
        mx /= k;
        my /= k;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < k; i++) {
            double x = logN[i] * Math.log(2) - mx;
            sxy += x * (Math.log(err[i]) - my);
            sxx += x * x;
        }
        return sxy / sxx;
    }

    /**
     * @param v values
     * @return their median
     */
    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }
}
