package dev.nautilus.accel.portfolio;

/**
 * Portfolio problems as QUBOs.
 *
 * <p><b>Asset selection</b> ({@link #selection}): binary {@code x_i} (asset {@code i} held or not),
 * <pre>min  q x'Sx - mu'x + A (sum_i x_i - K)^2</pre>
 * <b>Multi-bit weights</b> ({@link #weights}): {@code B} bits per asset,
 * {@code w_i = sum_b 2^b x_ib / (2^B - 1)}, variable {@code i * B + b},
 * <pre>min  q w'Sw - mu'w + A (sum_i w_i - 1)^2</pre>
 *
 * <p><b>Penalty rule</b> (the QUBO minimum is then feasible):
 * <ul>
 *   <li>selection: {@code A = 1.01 D} with {@code D = max_i (|q S_ii - mu_i| + 2 q T_i)}, where
 *       {@code T_i} is the sum of the {@code K} largest {@code |S_ij|}, {@code j != i}. Take an
 *       infeasible {@code x} with {@code m = sum x} held. If {@code m > K}, dropping a held asset
 *       changes the objective by at most {@code |q S_ii - mu_i| + 2 q (sum of the m - 1 largest |S_ij|)}
 *       {@code <= D + 2 q (m - 1 - K) max|S|} and lowers the penalty by {@code A (2(m - K) - 1)};
 *       since {@code A > D >= 2 q max|S|}, the energy falls. If {@code m < K}, adding an asset
 *       changes the objective by at most {@code D} and lowers the penalty by at least {@code A > D}.
 *       So no infeasible {@code x} is a minimum. (Summing only the {@code K} largest couplings, not
 *       all {@code n - 1}, keeps {@code A} small: a large {@code A} walls feasible states off from
 *       each other for single-flip solvers.)</li>
 *   <li>weights: {@code A = 1.01 M^2 (min_i (q S_ii - mu_i) + sum_i max(mu_i, 0))}, {@code M = 2^B - 1}
 *       (at least {@code 1e-12}). An infeasible {@code x} pays at least {@code A / M^2} (the sum of
 *       weights is a multiple of {@code 1/M}); its objective is at least {@code -sum_i max(mu_i, 0)}
 *       ({@code S} is PSD and {@code 0 <= w_i <= 1}); the feasible all-in-one-asset portfolio has
 *       objective {@code min_i (q S_ii - mu_i)}; so the infeasible energy is higher.</li>
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class PortfolioQubo {
    /** The most bits per asset {@link #weights} accepts. */
    public static final int MAX_BITS = 16;

    private PortfolioQubo() {}

    /**
     * @param p the assets
     * @param k the number of assets to hold, {@code 1 <= k <= n}
     * @param riskAversion {@code q >= 0}
     * @return the selection penalty {@code A} of the rule in the class comment
     */
    public static double selectionPenalty(PortfolioProblem p, int k, double riskAversion) {
        checkCardinality(k, p.size());
        checkRisk(riskAversion);
        int n = p.size();
        double d = 0;
        double[] row = new double[n - 1];
        for (int i = 0; i < n; i++) {
            int m = 0;
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    row[m++] = Math.abs(p.covariance(i, j));
                }
            }
            java.util.Arrays.sort(row);
            double top = 0;
            for (int t = 0; t < Math.min(k, n - 1); t++) {
                top += row[n - 2 - t];
            }
            d = Math.max(d, Math.abs(riskAversion * p.covariance(i, i) - p.expectedReturn(i)) + 2 * riskAversion * top);
        }
        return Math.max(1.01 * d, 1e-12);
    }

    /**
     * @param p the assets
     * @param k the number of assets to hold, {@code 1 <= k <= n}
     * @param riskAversion {@code q >= 0}
     * @return the selection QUBO with the rule's penalty, dense storage
     * @throws IllegalArgumentException for {@code k} out of range or a bad risk aversion
     */
    public static QuboModel selection(PortfolioProblem p, int k, double riskAversion) {
        return selection(p, k, riskAversion, selectionPenalty(p, k, riskAversion));
    }

    /**
     * @param p the assets
     * @param k the number of assets to hold, {@code 1 <= k <= n}
     * @param riskAversion {@code q >= 0}
     * @param penalty {@code A > 0}
     * @return {@code q x'Sx - mu'x + A (sum x - K)^2} as a dense QUBO
     */
    public static QuboModel selection(PortfolioProblem p, int k, double riskAversion, double penalty) {
        int n = p.size();
        checkCardinality(k, n);
        checkRisk(riskAversion);
        if (!(penalty > 0) || Double.isInfinite(penalty)) {
            throw new IllegalArgumentException("penalty must be a finite number > 0, got " + penalty);
        }
        QuboModel.Builder b = QuboModel.builder(n);
        for (int i = 0; i < n; i++) {
            b.add(i, i, riskAversion * p.covariance(i, i) - p.expectedReturn(i) + penalty * (1 - 2.0 * k));
            for (int j = i + 1; j < n; j++) {
                b.add(i, j, 2 * riskAversion * p.covariance(i, j) + 2 * penalty);
            }
        }
        b.addOffset(penalty * k * (double) k);
        return b.build(QuboModel.Storage.DENSE);
    }

    /**
     * @param p the assets
     * @param bits bits per asset {@code B}
     * @param riskAversion {@code q >= 0}
     * @return the budget penalty {@code A} of the rule in the class comment
     */
    public static double weightsPenalty(PortfolioProblem p, int bits, double riskAversion) {
        checkBits(bits);
        checkRisk(riskAversion);
        double m = (1 << bits) - 1;
        double best = Double.POSITIVE_INFINITY;
        double gain = 0;
        for (int i = 0; i < p.size(); i++) {
            best = Math.min(best, riskAversion * p.covariance(i, i) - p.expectedReturn(i));
            gain += Math.max(p.expectedReturn(i), 0);
        }
        return Math.max(1.01 * m * m * (best + gain), 1e-12);
    }

    /**
     * @param p the assets
     * @param bits bits per asset, {@code 1..}{@value #MAX_BITS}
     * @param riskAversion {@code q >= 0}
     * @return the multi-bit QUBO with the rule's penalty
     */
    public static QuboModel weights(PortfolioProblem p, int bits, double riskAversion) {
        return weights(p, bits, riskAversion, weightsPenalty(p, bits, riskAversion));
    }

    /**
     * @param p the assets
     * @param bits bits per asset, {@code 1..}{@value #MAX_BITS}
     * @param riskAversion {@code q >= 0}
     * @param penalty {@code A > 0}
     * @return {@code q w'Sw - mu'w + A (sum w - 1)^2} over {@code n * bits} binary variables, dense
     */
    public static QuboModel weights(PortfolioProblem p, int bits, double riskAversion, double penalty) {
        checkBits(bits);
        checkRisk(riskAversion);
        if (!(penalty > 0) || Double.isInfinite(penalty)) {
            throw new IllegalArgumentException("penalty must be a finite number > 0, got " + penalty);
        }
        int n = p.size();
        int vars = n * bits;
        double m = (1 << bits) - 1;
        double[] c = new double[bits];
        for (int b = 0; b < bits; b++) {
            c[b] = (1 << b) / m;
        }
        QuboModel.Builder qb = QuboModel.builder(vars);
        for (int u = 0; u < vars; u++) {
            int i = u / bits;
            double cu = c[u % bits];
            qb.add(u, u, riskAversion * p.covariance(i, i) * cu * cu - p.expectedReturn(i) * cu + penalty * (cu * cu - 2 * cu));
            for (int v = u + 1; v < vars; v++) {
                int j = v / bits;
                double cv = c[v % bits];
                qb.add(u, v, 2 * riskAversion * p.covariance(i, j) * cu * cv + 2 * penalty * cu * cv);
            }
        }
        qb.addOffset(penalty);
        return qb.build(QuboModel.Storage.DENSE);
    }

    /**
     * @param x a multi-bit assignment, {@code n * bits} values
     * @param bits bits per asset
     * @return the weights {@code w_i = sum_b 2^b x_ib / (2^B - 1)} (they sum to 1 only when feasible)
     */
    public static double[] decodeWeights(byte[] x, int bits) {
        checkBits(bits);
        if (x.length % bits != 0) {
            throw new IllegalArgumentException("assignment length " + x.length + " is not a multiple of " + bits + " bits");
        }
        double m = (1 << bits) - 1;
        double[] w = new double[x.length / bits];
        for (int u = 0; u < x.length; u++) {
            if (x[u] != 0) {
                w[u / bits] += (1 << (u % bits)) / m;
            }
        }
        return w;
    }

    /**
     * @param x a multi-bit assignment
     * @param bits bits per asset
     * @return true if the integer units sum to exactly {@code 2^B - 1}, i.e. the weights sum to 1
     */
    public static boolean weightsFeasible(byte[] x, int bits) {
        long units = 0;
        for (int u = 0; u < x.length; u++) {
            if (x[u] != 0) {
                units += 1L << (u % bits);
            }
        }
        return units == (1L << bits) - 1;
    }

    static void checkCardinality(int k, int n) {
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("number of assets K = " + k + " is out of range: it must be between 1 and "
                    + n + " (the number of assets in the data)");
        }
    }

    static void checkRisk(double q) {
        if (!(q >= 0) || Double.isInfinite(q)) {
            throw new IllegalArgumentException("risk aversion must be a finite number >= 0, got " + q);
        }
    }

    static void checkBits(int bits) {
        if (bits < 1 || bits > MAX_BITS) {
            throw new IllegalArgumentException("bits per asset must be 1.." + MAX_BITS + ", got " + bits);
        }
    }
}
