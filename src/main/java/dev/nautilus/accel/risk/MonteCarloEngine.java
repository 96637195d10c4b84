package dev.nautilus.accel.risk;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Plain Monte Carlo VaR and ES with full revaluation: scenarios of asset returns
 * X = mu + L Z (L the Cholesky factor of the covariance), with Z standard normal, or
 * multivariate Student-t with nu degrees of freedom (Z scaled by sqrt((nu - 2) / W), W ~
 * chi-square(nu), so the covariance is still the model's), each revalued by a {@link PortfolioPnl}.
 *
 * <p>Scenarios are made in blocks of {@value #BLOCK}; block b draws from its own
 * {@link SplittableRandom} seeded from (seed, b), so a seed gives the same answer for any thread
 * count. VaR uses {@link QuantileConvention#EMPIRICAL}; standard errors as {@link LossSample}.
 * The scenario loop allocates nothing but one generator per block.
 *
 * <p>Not thread-safe: call from one thread at a time (it runs its own workers).
 */
public final class MonteCarloEngine implements RiskEngine {
    /** Scenarios per block (unit of work and of random streams). */
    public static final int BLOCK = 4096;
    /** Fewest scenarios that must lie beyond each level. */
    public static final int MIN_TAIL = 10;

    private final int n;
    private final double[] mu;
    private final double[] lowerPacked;
    private final PortfolioPnl pnl;
    private final int scenarios;
    private final long seed;
    private final int threads;
    private final double dof;
    private RiskProgress progress;


    /**
     * @param model the return model
     * @param pnl the portfolio revaluation; its dimension must equal the model's
     * @param scenarios number of scenarios, &gt;= 1
     * @param seed random seed
     * @param threads worker threads, &gt;= 1
     * @param dof Student-t degrees of freedom (&gt; 2), or {@link Double#POSITIVE_INFINITY} for normal
     * @throws IllegalArgumentException on a dimension mismatch or an out-of-range argument
     */
    public MonteCarloEngine(MarketModel model, PortfolioPnl pnl, int scenarios, long seed, int threads, double dof) {
        if (pnl.dimension() != model.dimension()) {
            throw new IllegalArgumentException("dimension mismatch: the portfolio has " + pnl.dimension() + " assets, the model "
                    + model.name() + " has " + model.dimension());
        }
        if (scenarios < 1) {
            throw new IllegalArgumentException("scenarios " + scenarios + " must be >= 1");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads " + threads + " must be >= 1");
        }
        if (!(dof > 2)) {
            throw new IllegalArgumentException("Student-t degrees of freedom " + dof + " must be > 2 (finite variance); use"
                    + " infinity for the normal distribution");
        }
        this.n = model.dimension();
        this.mu = model.mean();
        this.lowerPacked = packLower(model.cholesky());
        this.pnl = pnl;
        this.scenarios = scenarios;
        this.seed = seed;
        this.threads = threads;
        this.dof = dof;
    }

    /**
     * @param progress told how far the simulation has got, or null
     * @return this engine
     */
    public MonteCarloEngine progress(RiskProgress progress) {
        this.progress = progress;
        return this;
    }

    static double[] packLower(double[][] l) {
        int n = l.length;
        double[] p = new double[n * (n + 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                p[k++] = l[i][j];
            }
        }
        return p;
    }

    /**
     * Simulates the losses (negated P&amp;L) of all scenarios, in scenario order.
     *
     * @return a new array of {@code scenarios} losses
     */
    public double[] simulateLosses() {
        double[] out = new double[scenarios];
        int blocks = (scenarios + BLOCK - 1) / BLOCK;
        Workers.run(blocks, threads, () -> new Block(out), progress);
        return out;
    }

    /** One worker's scratch and the scenario loop. */
    private final class Block implements IntConsumer {
        private final double[] out;
        private final double[] z = new double[n];
        private final double[] x = new double[n];

        Block(double[] out) {
            this.out = out;
        }

        @Override
        public void accept(int b) {
            SplittableRandom rng = new SplittableRandom(Workers.mix(seed, b));
            int from = b * BLOCK;
            int to = Math.min(scenarios, from + BLOCK);
            boolean studentT = dof != Double.POSITIVE_INFINITY;
            double[] l = lowerPacked;
            for (int s = from; s < to; s++) {
                for (int j = 0; j < n; j++) {
                    z[j] = rng.nextGaussian();
                }
                double scale = studentT ? Math.sqrt((dof - 2) / chiSquare(rng, dof)) : 1;
                int k = 0;
                for (int i = 0; i < n; i++) {
                    double acc = 0;
                    for (int j = 0; j <= i; j++) {
                        acc += l[k++] * z[j];
                    }
                    x[i] = mu[i] + scale * acc;
                }
                out[s] = -pnl.pnl(x);
            }
        }
    }

    /** Chi-square(nu) = 2 Gamma(nu / 2), Gamma by Marsaglia and Tsang (2000). */
    static double chiSquare(SplittableRandom rng, double nu) {
        double shape = nu / 2;
        double boost = 1;
        if (shape < 1) {
            boost = Math.pow(rng.nextDouble(), 1 / shape);
            shape += 1;
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double g = rng.nextGaussian();
            double v = 1 + c * g;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = rng.nextDouble();
            if (u < 1 - 0.0331 * g * g * g * g || Math.log(u) < 0.5 * g * g + d * (1 - v + Math.log(v))) {
                return 2 * d * v * boost;
            }
        }
    }

    /**
     * @throws IllegalArgumentException for a level outside (0, 1) or one with fewer than
     *     {@value #MIN_TAIL} scenarios beyond it
     */
    @Override
    public RiskResult estimate(double... levels) {
        RiskEngine.checkLevels(levels);
        for (double a : levels) {
            LossSample.checkTail(scenarios, a, MIN_TAIL, "scenarios");
        }
        double[] losses = simulateLosses();
        Arrays.sort(losses);
        List<RiskEstimate> out = new ArrayList<>(levels.length);
        for (double a : levels) {
            out.add(LossSample.estimate(losses, 0, scenarios, a, QuantileConvention.EMPIRICAL));
        }
        return new RiskResult(dof == Double.POSITIVE_INFINITY ? "mc" : "mc-t", scenarios, out);
    }
}
