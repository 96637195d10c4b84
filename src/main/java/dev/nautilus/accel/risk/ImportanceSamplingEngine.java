package dev.nautilus.accel.risk;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Importance sampling for tail probabilities and far-tail VaR/ES of normal returns (Glasserman,
 * Heidelberger and Shahabuddin, "Variance reduction techniques for estimating value-at-risk",
 * Management Science 46(10), 2000). The loss of a delta-gamma portfolio is written as
 * L = c + b . Y + sum_j lambda_j Y_j^2 with Y standard normal (X = mu + C Y, C = L_chol U, U the
 * eigenvectors of -1/2 L_chol^T Gamma L_chol); sampling uses the exponentially twisted measure
 * Y_j ~ N(theta b_j s_j^2, s_j^2), s_j^2 = 1 / (1 - 2 theta lambda_j), with theta solving
 * psi'(theta) = x - c for the target loss x (psi the cumulant generating function of L - c). For a
 * linear portfolio (Gamma = 0) this is the mean shift that puts the mean loss at x. Each scenario
 * carries the likelihood ratio exp(-theta (L - c) + psi(theta)), so the weighted estimators are
 * unbiased for the original measure.
 *
 * <p>Losses are from full revaluation by a {@link PortfolioPnl} (by default the delta-gamma
 * portfolio itself, when the quadratic form is the exact loss and the weights are exact);
 * a different revaluation keeps the estimator unbiased but the twist is then only as good as
 * the delta-gamma approximation. Standard errors: tail probability from the sample variance of
 * the weighted indicator; VaR and ES from {@value #BATCHES} batches. Not thread-safe: call from one
 * thread at a time.
 */
public final class ImportanceSamplingEngine implements RiskEngine {
    /** Batches for the VaR/ES standard errors. */
    public static final int BATCHES = 10;
    /** Fewest scenarios accepted. */
    public static final int MIN_SCENARIOS = 1000;

    private final int n;
    private final double[] mu;
    /** C row-major: X = mu + C Y. */
    private final double[] c;
    private final double constant;
    private final double[] b;
    private final double[] lambda;
    private final PortfolioPnl revaluation;
    private final int scenarios;
    private final long seed;
    private final int threads;
    private RiskProgress progress;

    /**
     * A tail probability estimate P(L &gt; x).
     *
     * @param threshold the loss x
     * @param probability the estimate
     * @param stdError its standard error
     * @param varianceReduction p (1 - p) / (per-scenario variance of the IS estimator): how many
     *     plain Monte Carlo scenarios one IS scenario is worth
     * @param theta the twisting parameter used
     * @param scenarios scenarios used
     */
    public record TailProbability(double threshold, double probability, double stdError, double varianceReduction,
            double theta, int scenarios) {
    }

    /**
     * @param model the return model (normal)
     * @param portfolio the delta-gamma portfolio that defines the twist (and, by default, the loss)
     * @param revaluation the full revaluation for the losses, or null to use {@code portfolio}
     * @param scenarios scenarios, &gt;= {@value #MIN_SCENARIOS}
     * @param seed random seed
     * @param threads worker threads &gt;= 1
     * @throws IllegalArgumentException for mismatched dimensions or out-of-range arguments
     */
    public ImportanceSamplingEngine(MarketModel model, DeltaGammaPortfolio portfolio, PortfolioPnl revaluation,
            int scenarios, long seed, int threads) {
        PortfolioPnl reval = revaluation == null ? portfolio : revaluation;
        if (portfolio.dimension() != model.dimension() || reval.dimension() != model.dimension()) {
            throw new IllegalArgumentException("dimension mismatch: the portfolio has " + reval.dimension() + " assets, the model "
                    + model.name() + " has " + model.dimension());
        }
        if (scenarios < MIN_SCENARIOS) {
            throw new IllegalArgumentException("too few scenarios for importance sampling: " + scenarios + "; use at least " + MIN_SCENARIOS);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads " + threads + " must be >= 1");
        }
        this.n = model.dimension();
        this.mu = model.mean();
        this.revaluation = reval;
        this.scenarios = scenarios;
        this.seed = seed;
        this.threads = threads;
        double[] delta = portfolio.delta();
        double[][] gamma = portfolio.gamma();
        double[][] l = model.cholesky();
        // loss = c0 + g . eps + 1/2 eps^T H eps, eps = X - mu, g = -(delta + Gamma mu), H = -Gamma
        double c0 = 0;
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            double gm = 0;
            for (int j = 0; j < n; j++) {
                gm += gamma[i][j] * mu[j];
            }
            c0 -= delta[i] * mu[i] + 0.5 * mu[i] * gm;
            g[i] = -(delta[i] + gm);
        }
        // M = 1/2 L^T H L
        double[][] hl = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s -= gamma[i][j] * l[j][k];
                }
                hl[i][k] = s;
            }
        }
        double[][] m = new double[n][n];
        for (int p = 0; p < n; p++) {
            for (int q = 0; q < n; q++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += l[i][p] * hl[i][q];
                }
                m[p][q] = 0.5 * s;
            }
        }
        for (int p = 0; p < n; p++) {
            for (int q = p + 1; q < n; q++) {
                double avg = 0.5 * (m[p][q] + m[q][p]);
                m[p][q] = avg;
                m[q][p] = avg;
            }
        }
        this.lambda = new double[n];
        double[][] u = Matrices.symmetricEigen(m, lambda);
        this.c = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += l[i][j] * u[j][k];
                }
                c[i * n + k] = s;
            }
        }
        this.b = new double[n];
        for (int k = 0; k < n; k++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += c[i * n + k] * g[i];
            }
            b[k] = s;
        }
        this.constant = c0;
    }

    /**
     * @param progress told how far the simulation has got, or null
     * @return this engine
     */
    public ImportanceSamplingEngine progress(RiskProgress progress) {
        this.progress = progress;
        return this;
    }

    /** @return mean of the quadratic loss approximation, c + sum lambda_j */
    public double approximateMeanLoss() {
        double s = constant;
        for (double l : lambda) {
            s += l;
        }
        return s;
    }

    /** @return standard deviation of the quadratic loss approximation, sqrt(sum b_j^2 + 2 lambda_j^2) */
    public double approximateLossSd() {
        double s = 0;
        for (int j = 0; j < n; j++) {
            s += b[j] * b[j] + 2 * lambda[j] * lambda[j];
        }
        return Math.sqrt(s);
    }

    private double psi(double theta) {
        double s = 0;
        for (int j = 0; j < n; j++) {
            double d = 1 - 2 * theta * lambda[j];
            s += theta * theta * b[j] * b[j] / (2 * d) - 0.5 * Math.log(d);
        }
        return s;
    }

    private double psiPrime(double theta) {
        double s = 0;
        for (int j = 0; j < n; j++) {
            double d = 1 - 2 * theta * lambda[j];
            s += theta * b[j] * b[j] * (1 - theta * lambda[j]) / (d * d) + lambda[j] / d;
        }
        return s;
    }

    /**
     * @param threshold target loss x
     * @return theta &gt;= 0 with psi'(theta) = x - c (0 if x is at or below the mean loss)
     */
    public double twistFor(double threshold) {
        double target = threshold - constant;
        if (target <= psiPrime(0)) {
            return 0;
        }
        double lmax = 0;
        for (double l : lambda) {
            lmax = Math.max(lmax, l);
        }
        double hiLimit = lmax > 0 ? 1 / (2 * lmax) : Double.POSITIVE_INFINITY;
        double lo = 0;
        double hi = Double.isInfinite(hiLimit) ? 1 : hiLimit * 0.5;
        while (psiPrime(hi) < target) {
            lo = hi;
            hi = Double.isInfinite(hiLimit) ? hi * 2 : (hi + hiLimit) / 2;
            if (hi - lo < 1e-300 || Double.isInfinite(hi)) {
                break;
            }
        }
        for (int it = 0; it < 200; it++) {
            double mid = 0.5 * (lo + hi);
            if (psiPrime(mid) < target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    /** Simulates losses and likelihood ratios under the twist theta. */
    private void simulate(double theta, double[] losses, double[] weights) {
        double[] mean = new double[n];
        double[] sd = new double[n];
        for (int j = 0; j < n; j++) {
            double s2 = 1 / (1 - 2 * theta * lambda[j]);
            sd[j] = Math.sqrt(s2);
            mean[j] = theta * b[j] * s2;
        }
        double logPsi = psi(theta);
        int blocks = (scenarios + MonteCarloEngine.BLOCK - 1) / MonteCarloEngine.BLOCK;
        Workers.run(blocks, threads, () -> new IntConsumer() {
            private final double[] y = new double[n];
            private final double[] x = new double[n];

            @Override
            public void accept(int blk) {
                SplittableRandom rng = new SplittableRandom(Workers.mix(seed, blk));
                int from = blk * MonteCarloEngine.BLOCK;
                int to = Math.min(scenarios, from + MonteCarloEngine.BLOCK);
                for (int s = from; s < to; s++) {
                    double q = 0;
                    for (int j = 0; j < n; j++) {
                        double yj = mean[j] + sd[j] * rng.nextGaussian();
                        y[j] = yj;
                        q += b[j] * yj + lambda[j] * yj * yj;
                    }
                    for (int i = 0; i < n; i++) {
                        double acc = 0;
                        int row = i * n;
                        for (int k = 0; k < n; k++) {
                            acc += c[row + k] * y[k];
                        }
                        x[i] = mu[i] + acc;
                    }
                    losses[s] = -revaluation.pnl(x);
                    weights[s] = Math.exp(-theta * q + logPsi);
                }
            }
        }, progress);
    }

    /**
     * Estimates P(L &gt; threshold), twisting so the loss is centred on the threshold.
     *
     * @param threshold the loss x (units of the portfolio)
     * @return the estimate with its standard error and variance reduction
     * @throws IllegalArgumentException if the threshold is not finite
     */
    public TailProbability tailProbability(double threshold) {
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("loss threshold " + threshold + " must be a finite number");
        }
        double theta = twistFor(threshold);
        double[] losses = new double[scenarios];
        double[] weights = new double[scenarios];
        simulate(theta, losses, weights);
        double s1 = 0;
        double s2 = 0;
        for (int i = 0; i < scenarios; i++) {
            if (losses[i] > threshold) {
                s1 += weights[i];
                s2 += weights[i] * weights[i];
            }
        }
        double p = s1 / scenarios;
        double var = Math.max(0, s2 / scenarios - p * p) * scenarios / (scenarios - 1.0);
        double vr = var > 0 ? p * (1 - p) / var : Double.POSITIVE_INFINITY;
        return new TailProbability(threshold, p, Math.sqrt(var / scenarios), vr, theta, scenarios);
    }

    /**
     * VaR and ES at every level from one twisted sample, twisted for the highest level (its
     * delta-gamma normal approximation); the weighted empirical tail gives each level.
     *
     * @throws IllegalArgumentException for a level outside (0, 1)
     */
    @Override
    public RiskResult estimate(double... levels) {
        RiskEngine.checkLevels(levels);
        double top = 0;
        for (double a : levels) {
            top = Math.max(top, a);
        }
        double theta = twistFor(approximateMeanLoss() + approximateLossSd() * NormalDistribution.inverseCdf(top));
        double[] losses = new double[scenarios];
        double[] weights = new double[scenarios];
        simulate(theta, losses, weights);
        double[][] batchVar = new double[levels.length][BATCHES];
        double[][] batchEs = new double[levels.length][BATCHES];
        double[] out2 = new double[2];
        for (int k = 0; k < BATCHES; k++) {
            int from = (int) ((long) scenarios * k / BATCHES);
            int to = (int) ((long) scenarios * (k + 1) / BATCHES);
            double[] l = java.util.Arrays.copyOfRange(losses, from, to);
            double[] w = java.util.Arrays.copyOfRange(weights, from, to);
            sortTogether(l, w);
            for (int i = 0; i < levels.length; i++) {
                weightedTail(l, w, levels[i], out2);
                batchVar[i][k] = out2[0];
                batchEs[i][k] = out2[1];
            }
        }
        sortTogether(losses, weights);
        List<RiskEstimate> out = new ArrayList<>(levels.length);
        for (int i = 0; i < levels.length; i++) {
            weightedTail(losses, weights, levels[i], out2);
            out.add(new RiskEstimate(levels[i], out2[0], LossSample.sampleStandardDeviation(batchVar[i]) / Math.sqrt(BATCHES), out2[1],
                    LossSample.sampleStandardDeviation(batchEs[i]) / Math.sqrt(BATCHES)));
        }
        return new RiskResult("is", scenarios, out);
    }

    /** VaR and ES of the weighted sample (losses ascending, weights with them). */
    static void weightedTail(double[] losses, double[] weights, double level, double[] out) {
        int m = losses.length;
        double target = (1 - level) * m;
        double cum = 0;
        double sum = 0;
        int k = m - 1;
        for (; k > 0; k--) {
            if (cum + weights[k] >= target) {
                break;
            }
            cum += weights[k];
            sum += weights[k] * losses[k];
        }
        double var = losses[k];
        double es = (sum + (target - cum) * var) / target;
        out[0] = var;
        out[1] = es;
    }

    /** Heap sort of keys ascending, moving the values with them; no allocation. */
    static void sortTogether(double[] keys, double[] values) {
        int m = keys.length;
        for (int i = m / 2 - 1; i >= 0; i--) {
            siftDown(keys, values, i, m);
        }
        for (int end = m - 1; end > 0; end--) {
            swap(keys, values, 0, end);
            siftDown(keys, values, 0, end);
        }
    }

    private static void siftDown(double[] k, double[] v, int i, int m) {
        while (true) {
            int child = 2 * i + 1;
            if (child >= m) {
                return;
            }
            if (child + 1 < m && k[child + 1] > k[child]) {
                child++;
            }
            if (k[i] >= k[child]) {
                return;
            }
            swap(k, v, i, child);
            i = child;
        }
    }

    private static void swap(double[] k, double[] v, int i, int j) {
        double t = k[i];
        k[i] = k[j];
        k[j] = t;
        t = v[i];
        v[i] = v[j];
        v[j] = t;
    }
}
