package dev.nautilus.accel.portfolio;

/**
 * Simulated bifurcation (Goto, Endo, Suzuki et al., Science Advances 2021): ballistic (bSB) or
 * discrete (dSB). Each spin is a particle with position {@code x_i} and momentum {@code y_i},
 * integrated by symplectic Euler with perfectly inelastic walls at {@code |x_i| = 1}:
 * <pre>y_i += dt (-(a0 - a(t)) x_i - c0 sum_j J_ij g(x_j))
 * x_i += dt a0 y_i;   if |x_i| &gt; 1: x_i = sign(x_i), y_i = 0</pre>
 * with {@code g(x) = x} (ballistic) or {@code sign(x)} (discrete), {@code a(t)} rising linearly
 * from 0 to {@code a0 = 1} over the steps, and the answer {@code s_i = sign(x_i)}. Fields
 * {@code h} are handled exactly by an auxiliary spin fixed by symmetry ({@code J_{i,aux} = h_i},
 * answer {@code s_i * s_aux}). {@code c0 = 0.5 / (sqrt(N) sigma_J)} with {@code sigma_J} the
 * root-mean-square coupling, as in Goto et al.
 *
 * <p>Time-step stability rule: at {@code a = 0} the linear dynamics is a set of oscillators with
 * {@code omega_k^2 = a0 (a0 + c0 lambda_k)} over the eigenvalues {@code lambda_k} of {@code J};
 * symplectic Euler is stable iff {@code dt omega < 2} for every mode, so
 * <pre>dt &lt; dt_max = 2 / sqrt(a0 (a0 + c0 lambda_max(J)))</pre>
 * ({@link #maxStableTimeStep}; {@code lambda_max} by power iteration). Above it the fastest mode
 * grows without bound when the walls are off ({@link #linearPhaseAmplitude} shows it on models
 * whose modes all have {@code omega^2 > 0}; a mode with {@code omega^2 < 0} grows at any step
 * size, which is the bifurcation itself, not an integration error); with walls
 * the trajectory is bounded but chaotic and the answer degrades. The default is
 * {@code dt = 0.9 dt_max} (on bqp50 at 1000 steps dSB hit the best-known value in 96% of reads at
 * 0.9 and 89% at 0.5).
 *
 * <p>Immutable and thread-safe.
 */
public final class SimulatedBifurcation implements QuboSolver {
    private final int reads;
    private final long steps;
    private final long seed;
    private final int threads;
    private final boolean discrete;
    private final double dtFraction;

    /**
     * @param reads independent runs (random initial positions), at least 1
     * @param steps integration steps per read, at least 1
     * @param seed base seed
     * @param threads threads that share the reads, at least 1
     * @param discrete dSB ({@code true}) or bSB ({@code false})
     */
    public SimulatedBifurcation(int reads, long steps, long seed, int threads, boolean discrete) {
        this(reads, steps, seed, threads, discrete, 0.9);
    }

    /**
     * @param reads independent runs, at least 1
     * @param steps integration steps per read, at least 1
     * @param seed base seed
     * @param threads threads that share the reads, at least 1
     * @param discrete dSB ({@code true}) or bSB ({@code false})
     * @param dtFraction time step as a fraction of {@link #maxStableTimeStep}, positive
     */
    public SimulatedBifurcation(int reads, long steps, long seed, int threads, boolean discrete, double dtFraction) {
        ReadRunner.checkCommon(reads, threads, steps);
        if (!(dtFraction > 0) || dtFraction > 100) {
            throw new IllegalArgumentException("time step fraction must be in (0, 100], got " + dtFraction);
        }
        this.reads = reads;
        this.steps = steps;
        this.seed = seed;
        this.threads = threads;
        this.discrete = discrete;
        this.dtFraction = dtFraction;
    }

    @Override
    public String name() {
        return discrete ? "dsb" : "sb";
    }

    /** The homogeneous model SB integrates (fields moved onto an auxiliary last spin) and its constants. */
    static final class Prepared {
        final int n;
        final boolean aux;
        final int[] rowStart;
        final int[] cols;
        final double[] vals;
        final double c0;
        final double lambdaMax;

        Prepared(IsingModel m) {
            boolean hasField = false;
            for (int i = 0; i < m.size(); i++) {
                hasField |= m.field(i) != 0;
            }
            Couplings c;
            if (hasField) {
                Couplings.Accumulator acc = new Couplings.Accumulator(m.size() + 1);
                Couplings src = m.couplings();
                for (int i = 0; i < m.size(); i++) {
                    for (int k = src.rowStart[i]; k < src.rowStart[i + 1]; k++) {
                        if (src.cols[k] > i) {
                            acc.add(i, src.cols[k], src.vals[k]);
                        }
                    }
                    if (m.field(i) != 0) {
                        acc.add(i, m.size(), m.field(i));
                    }
                }
                c = acc.build();
            } else {
                c = m.couplings();
            }
            this.aux = hasField;
            this.n = c.n;
            this.rowStart = c.rowStart;
            this.cols = c.cols;
            this.vals = c.vals;
            double sq = 0;
            for (double v : vals) {
                sq += v * v;
            }
            double sigma = n > 1 ? Math.sqrt(sq / ((double) n * (n - 1))) : 0;
            this.c0 = sigma > 0 ? 0.5 / (Math.sqrt(n) * sigma) : 1;
            this.lambdaMax = largestEigenvalue(c);
        }

        double maxStableTimeStep() {
            double a0 = 1;
            return 2 / Math.sqrt(a0 * (a0 + c0 * Math.max(0, lambdaMax)));
        }
    }

    /** lambda_max of the symmetric coupling matrix by power iteration on J + rho I (rho: Gershgorin bound). */
    static double largestEigenvalue(Couplings c) {
        int n = c.n;
        double rho = 0;
        for (int i = 0; i < n; i++) {
            rho = Math.max(rho, c.rowAbsSum(i));
        }
        if (rho == 0) {
            return 0;
        }
        double[] v = new double[n];
        double[] w = new double[n];
        Xoshiro256 rng = new Xoshiro256(12345);
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextDouble() + 0.5;
        }
        double lambda = 0;
        for (int it = 0; it < 2000; it++) {
            double norm = 0;
            for (int i = 0; i < n; i++) {
                double s = rho * v[i];
                for (int k = c.rowStart[i]; k < c.rowStart[i + 1]; k++) {
                    s += c.vals[k] * v[c.cols[k]];
                }
                w[i] = s;
                norm += s * s;
            }
            norm = Math.sqrt(norm);
            double dot = 0;
            for (int i = 0; i < n; i++) {
                w[i] /= norm;
                dot += w[i] * v[i];
            }
            double next = norm - rho; // |v| = 1: Rayleigh estimate of the shifted matrix
            double[] t = v;
            v = w;
            w = t;
            if (it > 10 && Math.abs(next - lambda) <= 1e-10 * rho && dot > 1 - 1e-12) {
                return next;
            }
            lambda = next;
        }
        return lambda;
    }

    /**
     * @param model an Ising model
     * @return the largest stable time step {@code 2 / sqrt(a0 (a0 + c0 lambda_max))} (see the class comment)
     */
    public static double maxStableTimeStep(IsingModel model) {
        return new Prepared(model).maxStableTimeStep();
    }

    /**
     * Integrates the linear phase ({@code a = 0}, no walls, {@code g(x) = x}) from a small
     * random start and returns the largest {@code |x_i|} reached: bounded for
     * {@code dt < maxStableTimeStep}, growing geometrically above it.
     *
     * @param model an Ising model
     * @param dt the time step
     * @param steps steps to integrate
     * @param seed seed of the start
     * @return the largest position magnitude seen
     */
    public static double linearPhaseAmplitude(IsingModel model, double dt, int steps, long seed) {
        Prepared p = new Prepared(model);
        Xoshiro256 rng = new Xoshiro256(seed);
        double[] x = new double[p.n];
        double[] y = new double[p.n];
        for (int i = 0; i < p.n; i++) {
            x[i] = 0.01 * (rng.nextDouble() - 0.5);
        }
        double max = 0;
        for (int t = 0; t < steps; t++) {
            for (int i = 0; i < p.n; i++) {
                double force = 0;
                for (int k = p.rowStart[i]; k < p.rowStart[i + 1]; k++) {
                    force += p.vals[k] * x[p.cols[k]];
                }
                y[i] += dt * (-x[i] - p.c0 * force);
            }
            for (int i = 0; i < p.n; i++) {
                x[i] += dt * y[i];
                max = Math.max(max, Math.abs(x[i]));
            }
            if (!Double.isFinite(max) || max > 1e12) {
                return max;
            }
        }
        return max;
    }

    @Override
    public SolverResult solve(QuboModel model) {
        return solve(model, null);
    }

    @Override
    public SolverResult solve(QuboModel model, java.util.function.IntConsumer readsDone) {
        IsingModel ising = model.toIsing();
        Prepared p = new Prepared(ising);
        double dt = dtFraction * p.maxStableTimeStep();
        int n = ising.size();
        return ReadRunner.run(name(), ising, n, reads, threads, seed, steps,
                () -> new Kernel(p, n, steps, dt, discrete), IsingModel::toBinary, model, readsDone);
    }

    /** One thread's positions and momenta. */
    static final class Kernel implements ReadRunner.Kernel {
        private final Prepared p;
        private final int problemSize;
        private final long steps;
        private final double dt;
        private final boolean discrete;
        private final double[] x;
        private final double[] y;
        private final double[] g;

        Kernel(Prepared p, int problemSize, long steps, double dt, boolean discrete) {
            this.p = p;
            this.problemSize = problemSize;
            this.steps = steps;
            this.dt = dt;
            this.discrete = discrete;
            this.x = new double[p.n];
            this.y = new double[p.n];
            this.g = new double[p.n];
        }

        @Override
        public long run(long seed, byte[] out) {
            Xoshiro256 rng = new Xoshiro256(seed);
            int n = p.n;
            for (int i = 0; i < n; i++) {
                x[i] = 0.2 * (rng.nextDouble() - 0.5);
                y[i] = 0.2 * (rng.nextDouble() - 0.5);
            }
            final int[] rs = p.rowStart;
            final int[] cols = p.cols;
            final double[] vals = p.vals;
            final double c0 = p.c0;
            final double a0 = 1;
            for (long t = 0; t < steps; t++) {
                double a = steps == 1 ? a0 : a0 * t / (steps - 1);
                for (int i = 0; i < n; i++) {
                    g[i] = discrete ? (x[i] >= 0 ? 1 : -1) : x[i];
                }
                for (int i = 0; i < n; i++) {
                    double force = 0;
                    for (int k = rs[i], end = rs[i + 1]; k < end; k++) {
                        force += vals[k] * g[cols[k]];
                    }
                    y[i] += dt * (-(a0 - a) * x[i] - c0 * force);
                }
                for (int i = 0; i < n; i++) {
                    double xi = x[i] + dt * a0 * y[i];
                    if (xi > 1) {
                        xi = 1;
                        y[i] = 0;
                    } else if (xi < -1) {
                        xi = -1;
                        y[i] = 0;
                    }
                    x[i] = xi;
                }
            }
            int ref = p.aux ? (x[n - 1] >= 0 ? 1 : -1) : 1;
            for (int i = 0; i < problemSize; i++) {
                out[i] = (byte) ((x[i] >= 0 ? 1 : -1) * ref);
            }
            return steps * n;
        }
    }
}
