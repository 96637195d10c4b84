package dev.nautilus.accel.risk;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Randomised quasi-Monte Carlo VaR and ES for normal returns: R independent randomisations
 * (scrambled Sobol, {@link SobolSequence}) of m points each, N = R m scenarios in all. A point u
 * becomes Z = Phi^-1(u) and returns X = mu + A Z, revalued by a {@link PortfolioPnl}.
 *
 * <p>The matrix A decides which Sobol coordinates carry the variance, which matters because the
 * leading Sobol coordinates are the best distributed ({@link Ordering}): the Cholesky factor, or
 * principal components (A = E Lambda^1/2, eigenvalues decreasing), so the first coordinates drive
 * the largest factors of the market.
 *
 * <p>Estimates pool all N losses (VaR by the {@link QuantileConvention#HAZEN} midpoint rule, which
 * suits stratified samples: each stratum of a net holds its points' share of probability; ES as the
 * sample tail mean); their standard errors are the spread of the R per-randomisation estimates,
 * sd / sqrt(R) (slightly conservative for the pooled estimate). Use m a power of two: Sobol nets
 * balance best there.
 *
 * <p>Not thread-safe: call from one thread at a time (it runs its own workers). The scenario loop
 * allocates nothing.
 */
public final class QuasiMonteCarloEngine implements RiskEngine {
    /** Points per unit of work. */
    public static final int CHUNK = 4096;

    /** How normal factors are mapped onto the asset returns. */
    public enum Ordering {
        /** A = Cholesky factor: coordinate 1 drives asset 1 only, and so on. */
        CHOLESKY,
        /** A = principal components scaled by sqrt(eigenvalue), largest first. */
        PCA,
        /**
         * A = L H, with H the Householder reflection that makes coordinate 1 carry the
         * portfolio's first-order P&amp;L: A^T g is parallel to e1 for the P&amp;L gradient g at the
         * mean (central differences of the {@link PortfolioPnl}). The linear transformation of
         * Imai and Tan (2006) in its simplest form: a linear portfolio becomes a one-dimensional
         * problem, so RQMC converges as in one dimension; for non-linear portfolios the first
         * coordinate carries the delta part.
         */
        GRADIENT
    }

    private final int n;
    private final double[] mu;
    private final double[] a;
    private final boolean packed;
    private final PortfolioPnl pnl;
    private final int perRandomisation;
    private final int randomisations;
    private final long seed;
    private final int threads;
    private final boolean linearScramble;
    private final Ordering ordering;
    private RiskProgress progress;

    /**
     * @param model the return model (normal)
     * @param pnl the revaluation; its dimension must equal the model's (at most
     *     {@value SobolSequence#MAX_DIMENSION})
     * @param scenarios total points N; each randomisation gets N / R (rounded down)
     * @param randomisations R &gt;= 2 independent randomisations, for the error estimate
     * @param seed seed of the randomisations
     * @param threads worker threads &gt;= 1
     * @param ordering how factors map to Sobol coordinates
     * @param linearScramble LMS plus digital shift (true) or the digital shift alone (false)
     * @throws IllegalArgumentException for mismatched dimensions or out-of-range arguments
     */
    public QuasiMonteCarloEngine(MarketModel model, PortfolioPnl pnl, int scenarios, int randomisations, long seed,
            int threads, Ordering ordering, boolean linearScramble) {
        if (pnl.dimension() != model.dimension()) {
            throw new IllegalArgumentException("dimension mismatch: the portfolio has " + pnl.dimension() + " assets, the model "
                    + model.name() + " has " + model.dimension());
        }
        if (model.dimension() > SobolSequence.MAX_DIMENSION) {
            throw new IllegalArgumentException(model.name() + " has " + model.dimension() + " assets; quasi-Monte Carlo supports at most "
                    + SobolSequence.MAX_DIMENSION + " (use --method mc)");
        }
        if (randomisations < 2) {
            throw new IllegalArgumentException("randomisations " + randomisations + " must be >= 2 to estimate the error");
        }
        if (scenarios / randomisations < 1) {
            throw new IllegalArgumentException("scenarios " + scenarios + " must be at least the number of randomisations ("
                    + randomisations + ")");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads " + threads + " must be >= 1");
        }
        this.n = model.dimension();
        this.mu = model.mean();
        this.pnl = pnl;
        this.perRandomisation = scenarios / randomisations;
        this.randomisations = randomisations;
        this.seed = seed;
        this.threads = threads;
        this.linearScramble = linearScramble;
        this.ordering = ordering;
        if (ordering == Ordering.CHOLESKY) {
            this.a = MonteCarloEngine.packLower(model.cholesky());
            this.packed = true;
        } else if (ordering == Ordering.GRADIENT) {
            this.a = gradientRotation(model, pnl);
            this.packed = false;
        } else {
            double[] values = new double[n];
            double[][] vectors = Matrices.symmetricEigen(model.covariance(), values);
            double[] full = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < n; k++) {
                    full[i * n + k] = vectors[i][k] * Math.sqrt(Math.max(0, values[k]));
                }
            }
            this.a = full;
            this.packed = false;
        }
    }

    /** A = L H with H e1 = u, u = L^T g / |L^T g|, so A^T g = |L^T g| e1; row-major n x n. */
    private static double[] gradientRotation(MarketModel model, PortfolioPnl pnl) {
        int n = model.dimension();
        double[] mu = model.mean();
        double[][] cov = model.covariance();
        double[][] l = model.cholesky();
        double[] g = new double[n];
        double[] x = mu.clone();
        for (int i = 0; i < n; i++) {
            double h = Math.sqrt(cov[i][i]) > 0 ? 1e-3 * Math.sqrt(cov[i][i]) : 1e-6;
            x[i] = mu[i] + h;
            double up = pnl.pnl(x);
            x[i] = mu[i] - h;
            double down = pnl.pnl(x);
            x[i] = mu[i];
            g[i] = (up - down) / (2 * h);
        }
        double[] u = new double[n];
        double norm = 0;
        for (int k = 0; k < n; k++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += l[i][k] * g[i];
            }
            u[k] = s;
            norm += s * s;
        }
        norm = Math.sqrt(norm);
        double[] full = new double[n * n];
        if (!(norm > 0)) {
            for (int i = 0; i < n; i++) {
                for (int k = 0; k <= i; k++) {
                    full[i * n + k] = l[i][k];
                }
            }
            return full;
        }
        // v = e1 - u, H = I - 2 v v^T / (v^T v) (H = I when u = e1)
        double[] v = new double[n];
        double vv = 0;
        for (int k = 0; k < n; k++) {
            v[k] = (k == 0 ? 1 : 0) - u[k] / norm;
            vv += v[k] * v[k];
        }
        for (int i = 0; i < n; i++) {
            double lv = 0;
            for (int k = 0; k < n; k++) {
                lv += l[i][k] * v[k];
            }
            for (int k = 0; k < n; k++) {
                full[i * n + k] = l[i][k] - (vv > 1e-30 ? 2 * lv * v[k] / vv : 0);
            }
        }
        return full;
    }

    /**
     * @param progress told how far the simulation has got, or null
     * @return this engine
     */
    public QuasiMonteCarloEngine progress(RiskProgress progress) {
        this.progress = progress;
        return this;
    }

    /** @return scenarios actually used, R * floor(N / R) */
    public int scenarios() {
        return perRandomisation * randomisations;
    }

    /**
     * Simulates the losses of every randomisation: randomisation r fills [r m, (r + 1) m).
     *
     * @return a new array of R m losses
     */
    public double[] simulateLosses() {
        int m = perRandomisation;
        double[] out = new double[m * randomisations];
        SobolSequence[] seqs = new SobolSequence[randomisations];
        for (int r = 0; r < randomisations; r++) {
            seqs[r] = SobolSequence.scrambled(n, Workers.mix(seed, r), linearScramble);
        }
        int chunks = (m + CHUNK - 1) / CHUNK;
        Workers.run(chunks * randomisations, threads, () -> new Chunk(out, seqs, chunks), progress);
        return out;
    }

    private final class Chunk implements IntConsumer {
        private final double[] out;
        private final SobolSequence[] seqs;
        private final int chunks;
        private final int[] state = new int[n];
        private final double[] u = new double[n];
        private final double[] z = new double[n];
        private final double[] x = new double[n];

        Chunk(double[] out, SobolSequence[] seqs, int chunks) {
            this.out = out;
            this.seqs = seqs;
            this.chunks = chunks;
        }

        @Override
        public void accept(int task) {
            int r = task / chunks;
            int c = task % chunks;
            int m = perRandomisation;
            int from = c * CHUNK;
            int to = Math.min(m, from + CHUNK);
            SobolSequence seq = seqs[r];
            seq.seek(from, state);
            int base = r * m;
            for (int i = from; i < to; i++) {
                seq.fill(i, state, u);
                for (int j = 0; j < n; j++) {
                    z[j] = NormalDistribution.inverseCdf(u[j]);
                }
                if (packed) {
                    int k = 0;
                    for (int p = 0; p < n; p++) {
                        double acc = 0;
                        for (int q = 0; q <= p; q++) {
                            acc += a[k++] * z[q];
                        }
                        x[p] = mu[p] + acc;
                    }
                } else {
                    for (int p = 0; p < n; p++) {
                        double acc = 0;
                        int row = p * n;
                        for (int q = 0; q < n; q++) {
                            acc += a[row + q] * z[q];
                        }
                        x[p] = mu[p] + acc;
                    }
                }
                out[base + i] = -pnl.pnl(x);
            }
        }
    }

    /**
     * @throws IllegalArgumentException for a level outside (0, 1) or with fewer than
     *     {@value MonteCarloEngine#MIN_TAIL} scenarios beyond it in one randomisation
     */
    @Override
    public RiskResult estimate(double... levels) {
        RiskEngine.checkLevels(levels);
        for (double lv : levels) {
            LossSample.checkTail(perRandomisation, lv, MonteCarloEngine.MIN_TAIL, "scenarios per randomisation");
        }
        double[] losses = simulateLosses();
        int m = perRandomisation;
        int r = randomisations;
        double[][] varR = new double[levels.length][r];
        double[][] esR = new double[levels.length][r];
        for (int k = 0; k < r; k++) {
            Arrays.sort(losses, k * m, (k + 1) * m);
            for (int i = 0; i < levels.length; i++) {
                varR[i][k] = QuantileConvention.HAZEN.quantile(losses, k * m, m, levels[i]);
                esR[i][k] = LossSample.expectedShortfall(losses, k * m, m, levels[i]);
            }
        }
        Arrays.sort(losses);
        int total = m * r;
        List<RiskEstimate> out = new ArrayList<>(levels.length);
        for (int i = 0; i < levels.length; i++) {
            double var = QuantileConvention.HAZEN.quantile(losses, 0, total, levels[i]);
            double es = LossSample.expectedShortfall(losses, 0, total, levels[i]);
            out.add(new RiskEstimate(levels[i], var, LossSample.sampleStandardDeviation(varR[i]) / Math.sqrt(r), es,
                    LossSample.sampleStandardDeviation(esR[i]) / Math.sqrt(r)));
        }
        return new RiskResult("rqmc", total, out);
    }
}
