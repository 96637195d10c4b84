package dev.nautilus.accel.portfolio;

/**
 * The exact optimum of the constrained asset-selection problem
 * {@code min q x'Sx - mu'x subject to sum x = K} by depth-first enumeration of all {@code C(n, K)}
 * subsets with incremental cost (O(K) per subset). Refuses more than {@link #MAX_SUBSETS} subsets.
 *
 * <p>Stateless and thread-safe.
 */
public final class ExactSelection {
    /** The largest number of subsets enumerated (a few seconds). */
    public static final long MAX_SUBSETS = 100_000_000L;

    private ExactSelection() {}

    /**
     * @param n the number of assets
     * @param k subset size
     * @return {@code C(n, k)}, saturating at {@link Long#MAX_VALUE}
     */
    public static long subsets(int n, int k) {
        double c = 1;
        long exact = 1;
        for (int i = 1; i <= k; i++) {
            c = c * (n - k + i) / i;
            if (c > 9e18) {
                return Long.MAX_VALUE;
            }
            exact = exact * (n - k + i) / i;
        }
        return exact;
    }

    /**
     * @param p the assets
     * @param k subset size, {@code 1 <= k <= n}
     * @param riskAversion {@code q >= 0}
     * @return the optimal selection (0/1 per asset)
     * @throws IllegalArgumentException for {@code k} out of range or too many subsets
     */
    public static byte[] solve(PortfolioProblem p, int k, double riskAversion) {
        int n = p.size();
        PortfolioQubo.checkCardinality(k, n);
        PortfolioQubo.checkRisk(riskAversion);
        long count = subsets(n, k);
        if (count > MAX_SUBSETS) {
            throw new IllegalArgumentException("exact selection of " + k + " of " + n + " assets means " + count
                    + " subsets, more than " + MAX_SUBSETS + ": use a heuristic solver (sa, sqa, sb)");
        }
        double[][] a = new double[n][n];
        double[] lin = new double[n];
        for (int i = 0; i < n; i++) {
            lin[i] = riskAversion * p.covariance(i, i) - p.expectedReturn(i);
            for (int j = 0; j < n; j++) {
                a[i][j] = 2 * riskAversion * p.covariance(i, j);
            }
        }
        int[] chosen = new int[k];
        double[] cost = new double[k + 1];
        int[] best = new int[k];
        double bestCost = Double.POSITIVE_INFINITY;
        // iterative DFS over increasing index sequences
        int depth = 0;
        chosen[0] = -1;
        while (depth >= 0) {
            chosen[depth]++;
            int i = chosen[depth];
            if (i > n - (k - depth)) {
                depth--;
                continue;
            }
            double c = cost[depth] + lin[i];
            for (int d = 0; d < depth; d++) {
                c += a[i][chosen[d]];
            }
            if (depth == k - 1) {
                if (c < bestCost) {
                    bestCost = c;
                    System.arraycopy(chosen, 0, best, 0, k);
                }
            } else {
                cost[depth + 1] = c;
                depth++;
                chosen[depth] = i;
            }
        }
        byte[] x = new byte[n];
        for (int i : best) {
            x[i] = 1;
        }
        return x;
    }
}
