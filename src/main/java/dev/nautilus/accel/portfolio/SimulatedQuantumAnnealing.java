package dev.nautilus.accel.portfolio;

/**
 * Simulated quantum annealing: path-integral Monte Carlo of the transverse-field Ising model
 * {@code H = H_p(sigma^z) - Gamma sum_i sigma^x_i} at inverse temperature {@code beta}, with
 * {@code P} Trotter replicas and the field {@code Gamma} lowered linearly from {@code gammaStart}
 * to {@code gammaEnd} over the sweeps (Martonak, Santoro and Tosatti 2002).
 *
 * <p>Suzuki-Trotter: the quantum partition function is approximated by a classical one over
 * {@code P} coupled copies {@code s^1..s^P} (periodic in the Trotter direction) with action
 * <pre>S = (beta/P) sum_k H_p(s^k) - J_perp sum_k sum_i s_i^k s_i^{k+1},
 * J_perp = (1/2) ln coth(beta Gamma / P).</pre>
 * A sweep makes one Metropolis attempt on every spin of every replica (local move) and then one
 * attempt to flip each spin in all replicas together (global move, which leaves the Trotter
 * coupling unchanged). Each read returns the replica with the lowest problem energy.
 *
 * <p>{@link #sample} runs the same dynamics at a fixed field and temperature and returns the
 * thermal average of {@code H_p}, which converges to the quantum expectation
 * {@code Tr(H_p e^{-beta H}) / Tr(e^{-beta H})} as {@code P} grows (error O((beta/P)^2)); the
 * tests check it against exact diagonalisation.
 *
 * <p>Immutable and thread-safe.
 */
public final class SimulatedQuantumAnnealing implements QuboSolver {
    private static final double REJECT_ABOVE = 44.3614195558365;

    private final int reads;
    private final long sweeps;
    private final long seed;
    private final int threads;
    private final int replicas;
    private final double betaScale;
    private final double gammaStartScale;
    private final double gammaEndScale;

    /**
     * SQA with the default schedule: {@code P = 16} replicas, {@code beta = 0.2 P beta_c} where
     * {@code beta_c} is simulated annealing's default cold inverse temperature
     * ({@link SimulatedAnnealing#defaultBetaRange}), so each replica runs at five times SA's final
     * temperature, and {@code Gamma} from {@code 3 t} down to {@code 0.001 t}, {@code t} the
     * typical flip energy (median over spins, see SimulatedAnnealing). Tuned on bqp50 at 300 sweeps.
     *
     * @param reads independent runs, at least 1
     * @param sweeps sweeps per read, at least 1
     * @param seed base seed
     * @param threads threads that share the reads, at least 1
     */
    public SimulatedQuantumAnnealing(int reads, long sweeps, long seed, int threads) {
        this(reads, sweeps, seed, threads, 16, 0.2, 3, 1e-3);
    }

    /**
     * @param reads independent runs, at least 1
     * @param sweeps sweeps per read, at least 1
     * @param seed base seed
     * @param threads threads that share the reads, at least 1
     * @param replicas Trotter replicas {@code P}, at least 2
     * @param betaScale {@code beta = betaScale * P * beta_c}, positive
     * @param gammaStartScale {@code Gamma} at the start, in units of the typical flip energy {@code t}, positive
     * @param gammaEndScale {@code Gamma} at the end, in the same units, positive and at most the start
     */
    public SimulatedQuantumAnnealing(int reads, long sweeps, long seed, int threads, int replicas, double betaScale,
            double gammaStartScale, double gammaEndScale) {
        ReadRunner.checkCommon(reads, threads, sweeps);
        if (replicas < 2) {
            throw new IllegalArgumentException("SQA needs at least 2 Trotter replicas, got " + replicas);
        }
        if (!(betaScale > 0) || !(gammaStartScale > 0) || !(gammaEndScale > 0) || gammaEndScale > gammaStartScale) {
            throw new IllegalArgumentException("SQA schedule needs betaScale > 0 and 0 < gammaEnd <= gammaStart, got "
                    + betaScale + ", " + gammaStartScale + ", " + gammaEndScale);
        }
        this.reads = reads;
        this.sweeps = sweeps;
        this.seed = seed;
        this.threads = threads;
        this.replicas = replicas;
        this.betaScale = betaScale;
        this.gammaStartScale = gammaStartScale;
        this.gammaEndScale = gammaEndScale;
    }

    @Override
    public String name() {
        return "sqa";
    }

    @Override
    public SolverResult solve(QuboModel model) {
        return solve(model, null);
    }

    @Override
    public SolverResult solve(QuboModel model, java.util.function.IntConsumer readsDone) {
        IsingModel ising = model.toIsing();
        double[] range = SimulatedAnnealing.defaultBetaRange(ising);
        double typical = Math.log(8) / range[0];
        double beta = betaScale * replicas * range[1];
        double g0 = gammaStartScale * typical;
        double g1 = gammaEndScale * typical;
        java.util.function.LongToDoubleFunction jperp = t -> trotterCoupling(beta,
                sweeps == 1 ? g1 : g0 + (g1 - g0) * t / (double) (sweeps - 1), replicas);
        return ReadRunner.run(name(), ising, ising.size(), reads, threads, seed, sweeps,
                () -> new Kernel(ising, replicas, beta / replicas, jperp, sweeps), IsingModel::toBinary, model, readsDone);
    }

    /**
     * @param beta inverse temperature
     * @param gamma transverse field
     * @param replicas Trotter replicas
     * @return {@code J_perp = (1/2) ln coth(beta Gamma / P)}, computed stably for small and large arguments
     */
    static double trotterCoupling(double beta, double gamma, int replicas) {
        double x = beta * gamma / replicas;
        // coth x = (1 + e^{-2x}) / (1 - e^{-2x})
        double e = Math.exp(-2 * x);
        return 0.5 * (Math.log1p(e) - Math.log(-Math.expm1(-2 * x)));
    }

    /**
     * Thermal average of the problem energy {@code <H_p>} of the transverse-field Ising model at a
     * fixed field and temperature, by path-integral Monte Carlo (single thread).
     *
     * @param model the problem Hamiltonian {@code H_p} (an Ising model)
     * @param gamma the transverse field, positive
     * @param beta the inverse temperature, positive
     * @param replicas Trotter replicas {@code P}
     * @param thermalise sweeps discarded first
     * @param measure sweeps measured (split into 20 batches for the error estimate)
     * @param seed seed
     * @return {@code {mean, standard error}} of {@code <H_p>}, the error from batch means
     */
    public static double[] sample(IsingModel model, double gamma, double beta, int replicas, int thermalise, int measure, long seed) {
        if (!(gamma > 0) || !(beta > 0) || replicas < 2 || thermalise < 0 || measure < 20) {
            throw new IllegalArgumentException("sample needs gamma > 0, beta > 0, at least 2 replicas and 20 measured sweeps");
        }
        double jp = trotterCoupling(beta, gamma, replicas);
        Kernel k = new Kernel(model, replicas, beta / replicas, t -> jp, 1);
        Xoshiro256 rng = new Xoshiro256(seed);
        k.randomStart(rng);
        for (int t = 0; t < thermalise; t++) {
            k.sweep(0, rng);
        }
        int batches = 20;
        int perBatch = measure / batches;
        double[] means = new double[batches];
        for (int b = 0; b < batches; b++) {
            double sum = 0;
            for (int t = 0; t < perBatch; t++) {
                k.sweep(0, rng);
                sum += k.meanProblemEnergy();
            }
            means[b] = sum / perBatch;
        }
        double mean = 0;
        for (double m : means) {
            mean += m;
        }
        mean /= batches;
        double var = 0;
        for (double m : means) {
            var += (m - mean) * (m - mean);
        }
        return new double[] {mean, Math.sqrt(var / (batches - 1) / batches)};
    }

    /** One thread's replicas: spins and local problem fields, replica-major. */
    static final class Kernel implements ReadRunner.Kernel {
        private final IsingModel model;
        private final int n;
        private final int p;
        private final double betaSlice;
        /** Trotter coupling of sweep {@code t}, computed once per sweep. */
        private final java.util.function.LongToDoubleFunction jperp;
        private final long sweeps;
        private final double[] h;
        private final int[] rowStart;
        private final int[] cols;
        private final double[] vals;
        private final byte[] s;
        private final double[] field;
        private final byte[] replica;

        Kernel(IsingModel m, int p, double betaSlice, java.util.function.LongToDoubleFunction jperp, long sweeps) {
            this.model = m;
            this.n = m.size();
            this.p = p;
            this.betaSlice = betaSlice;
            this.jperp = jperp;
            this.sweeps = sweeps;
            this.h = m.fields();
            this.rowStart = m.couplings().rowStart;
            this.cols = m.couplings().cols;
            this.vals = m.couplings().vals;
            this.s = new byte[n * p];
            this.field = new double[n * p];
            this.replica = new byte[n];
        }

        @Override
        public long run(long seed, byte[] out) {
            Xoshiro256 rng = new Xoshiro256(seed);
            randomStart(rng);
            for (long t = 0; t < sweeps; t++) {
                sweep(t, rng);
            }
            double best = Double.POSITIVE_INFINITY;
            for (int k = 0; k < p; k++) {
                System.arraycopy(s, k * n, replica, 0, n);
                double e = model.energy(replica);
                if (e < best) {
                    best = e;
                    System.arraycopy(replica, 0, out, 0, n);
                }
            }
            return sweeps * n * (p + 1);
        }

        void randomStart(Xoshiro256 rng) {
            for (int i = 0; i < n; i++) {
                byte v = (byte) ((rng.nextLong() & 1) == 0 ? -1 : 1);
                for (int k = 0; k < p; k++) {
                    s[k * n + i] = v;
                }
            }
            for (int k = 0; k < p; k++) {
                int base = k * n;
                for (int i = 0; i < n; i++) {
                    double f = h[i];
                    for (int q = rowStart[i]; q < rowStart[i + 1]; q++) {
                        f += vals[q] * s[base + cols[q]];
                    }
                    field[base + i] = f;
                }
            }
        }

        double meanProblemEnergy() {
            double sum = 0;
            for (int k = 0; k < p; k++) {
                System.arraycopy(s, k * n, replica, 0, n);
                sum += model.energy(replica);
            }
            return sum / p;
        }

        void sweep(long t, Xoshiro256 rng) {
            final double jp = jperp.applyAsDouble(t);
            final double bs = betaSlice;
            final byte[] sp = s;
            final double[] f = field;
            for (int k = 0; k < p; k++) {
                int base = k * n;
                int up = (k == p - 1 ? 0 : k + 1) * n;
                int down = (k == 0 ? p - 1 : k - 1) * n;
                for (int i = 0; i < n; i++) {
                    int a = base + i;
                    int si = sp[a];
                    double dS = -2.0 * si * (bs * f[a] - jp * (sp[up + i] + sp[down + i]));
                    if (dS > 0 && (dS >= REJECT_ABOVE || Math.exp(-dS) <= rng.nextDouble())) {
                        continue;
                    }
                    flip(base, i);
                }
            }
            // global moves: flip spin i in every replica (Trotter coupling unchanged)
            for (int i = 0; i < n; i++) {
                double dS = 0;
                for (int k = 0; k < p; k++) {
                    int a = k * n + i;
                    dS -= 2.0 * sp[a] * f[a];
                }
                dS *= bs;
                if (dS > 0 && (dS >= REJECT_ABOVE || Math.exp(-dS) <= rng.nextDouble())) {
                    continue;
                }
                for (int k = 0; k < p; k++) {
                    flip(k * n, i);
                }
            }
        }

        private void flip(int base, int i) {
            byte ns = (byte) -s[base + i];
            s[base + i] = ns;
            double d = 2.0 * ns;
            for (int q = rowStart[i], end = rowStart[i + 1]; q < end; q++) {
                field[base + cols[q]] += vals[q] * d;
            }
        }
    }
}
