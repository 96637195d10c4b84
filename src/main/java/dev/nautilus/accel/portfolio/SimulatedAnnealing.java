package dev.nautilus.accel.portfolio;

/**
 * Simulated annealing on the Ising form of a QUBO: Metropolis single-spin updates in sequential
 * sweeps (spin 0, 1, ..., n-1), inverse temperature rising geometrically from {@code betaHot}
 * to {@code betaCold} over the sweeps, independent reads from random starts spread over threads.
 *
 * <p>Default inverse-temperature range, derived from the couplings in the spirit of dwave-neal
 * (which takes the hottest beta from the largest and the coldest from the smallest possible flip
 * energy): for each spin {@code i} let {@code t_i = 2 sqrt(h_i^2 + sum_j J_ij^2)} (the typical
 * size of its flip energy in a random state) and {@code m_i = 2 min(|h_i|, |J_ij|)} over its
 * nonzero coefficients (its smallest possible uphill move); then hot {@code beta = ln 8 / median(t)}
 * (a typical uphill flip is accepted with probability 1/8 at the start) and cold
 * {@code beta = ln 100 / median(m)} (a typical smallest uphill flip is accepted with probability
 * 1/100 at the end). Typical rather than extreme values: with neal's extremes (and the final
 * state) only 50-60% of 1000-sweep reads hit the best-known value on bqp50 instances 9 and 10.
 * Each read returns the lowest-energy state it visited (tracked incrementally; the state is
 * copied only when the energy improves).
 *
 * <p>Inner loop: every spin keeps its local field {@code f_i = h_i + sum_j J_ij s_j}; an attempt
 * computes {@code dE = -2 s_i f_i} in O(1); a rejected attempt costs nothing more; an accepted
 * flip updates the fields of the neighbours (one compressed row). Moves with
 * {@code beta dE > 44.4} are rejected without drawing a random number (their acceptance
 * probability is below 2^-64). Allocation-free per sweep.
 *
 * <p>Immutable and thread-safe; see {@link ReadRunner} for seeding.
 */
public final class SimulatedAnnealing implements QuboSolver {
    private static final double REJECT_ABOVE = 44.3614195558365; // ln(2^64)

    private final int reads;
    private final long sweeps;
    private final long seed;
    private final int threads;
    private final double betaHot;
    private final double betaCold;

    /**
     * @param reads independent runs, at least 1
     * @param sweeps sweeps per read, at least 1
     * @param seed base seed
     * @param threads threads that share the reads, at least 1
     */
    public SimulatedAnnealing(int reads, long sweeps, long seed, int threads) {
        this(reads, sweeps, seed, threads, Double.NaN, Double.NaN);
    }

    /**
     * @param reads independent runs, at least 1
     * @param sweeps sweeps per read, at least 1
     * @param seed base seed
     * @param threads threads that share the reads, at least 1
     * @param betaHot first inverse temperature, or NaN for the default
     * @param betaCold last inverse temperature, or NaN for the default
     */
    public SimulatedAnnealing(int reads, long sweeps, long seed, int threads, double betaHot, double betaCold) {
        ReadRunner.checkCommon(reads, threads, sweeps);
        if (!Double.isNaN(betaHot) && !(betaHot > 0 && betaCold >= betaHot)) {
            throw new IllegalArgumentException("inverse temperatures must satisfy 0 < betaHot <= betaCold, got "
                    + betaHot + " and " + betaCold);
        }
        this.reads = reads;
        this.sweeps = sweeps;
        this.seed = seed;
        this.threads = threads;
        this.betaHot = betaHot;
        this.betaCold = betaCold;
    }

    @Override
    public String name() {
        return "sa";
    }

    /**
     * @param model an Ising model
     * @return {@code {hot, cold}}: the default inverse-temperature range described in the class comment
     */
    public static double[] defaultBetaRange(IsingModel model) {
        int n = model.size();
        double[] typical = new double[n];
        double[] smallest = new double[n];
        Couplings c = model.couplings();
        int rows = 0;
        for (int i = 0; i < n; i++) {
            double h = model.field(i);
            double sq = h * h;
            double min = h != 0 ? Math.abs(h) : Double.POSITIVE_INFINITY;
            for (int k = c.rowStart[i]; k < c.rowStart[i + 1]; k++) {
                double v = c.vals[k];
                sq += v * v;
                if (v != 0) {
                    min = Math.min(min, Math.abs(v));
                }
            }
            if (sq > 0) {
                typical[rows] = 2 * Math.sqrt(sq);
                smallest[rows++] = 2 * min;
            }
        }
        if (rows == 0) {
            return new double[] {1, 1};
        }
        java.util.Arrays.sort(typical, 0, rows);
        java.util.Arrays.sort(smallest, 0, rows);
        double hot = Math.log(8) / typical[rows / 2];
        double cold = Math.log(100) / smallest[rows / 2];
        return new double[] {hot, Math.max(hot, cold)};
    }

    @Override
    public SolverResult solve(QuboModel model) {
        return solve(model, null);
    }

    @Override
    public SolverResult solve(QuboModel model, java.util.function.IntConsumer readsDone) {
        IsingModel ising = model.toIsing();
        double[] range = Double.isNaN(betaHot) ? defaultBetaRange(ising) : new double[] {betaHot, betaCold};
        double hot = range[0];
        double cold = range[1];
        int n = ising.size();
        return ReadRunner.run(name(), ising, n, reads, threads, seed, sweeps,
                () -> new Kernel(ising, hot, cold, sweeps), IsingModel::toBinary, model, readsDone);
    }

    /**
     * @param from the first value, positive
     * @param to the last value, positive
     * @param steps the number of values
     * @param k which value, {@code 0 <= k < steps}
     * @return value {@code k} of the geometric sequence from {@code from} to {@code to} ({@code to} if one step)
     */
    static double geometric(double from, double to, long steps, long k) {
        return steps == 1 ? to : from * Math.pow(to / from, k / (double) (steps - 1));
    }

    /** One thread's arrays: spins and local fields. */
    static final class Kernel implements ReadRunner.Kernel {
        private final IsingModel model;
        private final int n;
        private final double[] h;
        private final int[] rowStart;
        private final int[] cols;
        private final double[] vals;
        private final double hot;
        private final double cold;
        private final long sweeps;
        private final double[] field;
        private final byte[] s;
        private final byte[] best;
        private final double tolerance;
        private double energy;
        private double bestEnergy;

        Kernel(IsingModel m, double hot, double cold, long sweeps) {
            this.n = m.size();
            this.h = m.fields();
            this.rowStart = m.couplings().rowStart;
            this.cols = m.couplings().cols;
            this.vals = m.couplings().vals;
            this.hot = hot;
            this.cold = cold;
            this.sweeps = sweeps;
            this.field = new double[n];
            this.s = new byte[n];
            this.best = new byte[n];
            double scale = Math.abs(m.offset());
            for (int i = 0; i < n; i++) {
                scale = Math.max(scale, m.maxFlipDelta(i));
            }
            this.tolerance = 1e-12 * scale * Math.max(1, n);
            this.model = m;
        }

        @Override
        public long run(long seed, byte[] out) {
            Xoshiro256 rng = new Xoshiro256(seed);
            for (int i = 0; i < n; i++) {
                s[i] = (byte) ((rng.nextLong() & 1) == 0 ? -1 : 1);
            }
            initFields();
            energy = model.energy(s);
            bestEnergy = energy;
            System.arraycopy(s, 0, best, 0, n);
            for (long k = 0; k < sweeps; k++) {
                sweep(geometric(hot, cold, sweeps, k), rng);
            }
            System.arraycopy(best, 0, out, 0, n);
            return sweeps * n;
        }

        private void initFields() {
            for (int i = 0; i < n; i++) {
                double f = h[i];
                for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                    f += vals[k] * s[cols[k]];
                }
                field[i] = f;
            }
        }

        private void sweep(double beta, Xoshiro256 rng) {
            final double[] f = field;
            final byte[] sp = s;
            final double threshold = REJECT_ABOVE / beta;
            double e = energy;
            for (int i = 0; i < n; i++) {
                double dE = -2.0 * sp[i] * f[i];
                if (dE > 0) {
                    if (dE >= threshold || Math.exp(-beta * dE) <= rng.nextDouble()) {
                        continue;
                    }
                }
                byte ns = (byte) -sp[i];
                sp[i] = ns;
                double d = 2.0 * ns;
                for (int k = rowStart[i], end = rowStart[i + 1]; k < end; k++) {
                    f[cols[k]] += vals[k] * d;
                }
                e += dE;
                if (e < bestEnergy - tolerance) {
                    bestEnergy = e;
                    System.arraycopy(sp, 0, best, 0, n);
                }
            }
            energy = e;
        }
    }
}
