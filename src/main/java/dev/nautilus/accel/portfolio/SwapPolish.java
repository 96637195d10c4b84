package dev.nautilus.accel.portfolio;

/**
 * Classical post-processing of an asset selection for {@code min q x'Sx - mu'x, sum x = K}:
 * repair to exactly {@code K} assets (greedy drop or add of the asset with the best objective
 * change), then best-improvement swap descent (exchange one held and one unheld asset) until no
 * swap improves. O(n) per candidate move with the marginal costs kept up to date.
 *
 * <p>Stateless and thread-safe.
 */
final class SwapPolish {
    private SwapPolish() {}

    /**
     * @param p the assets
     * @param start a 0/1 selection (not modified)
     * @param k the number of assets to hold
     * @param q the risk weight of the selection objective
     * @return a feasible selection no single swap improves
     */
    static byte[] polish(PortfolioProblem p, byte[] start, int k, double q) {
        int n = p.size();
        byte[] x = start.clone();
        // g_i = q S_ii - mu_i + 2 q sum_{j in S, j != i} S_ij: the cost of adding i (or the saving of dropping it)
        double[] g = new double[n];
        int held = 0;
        for (int i = 0; i < n; i++) {
            held += x[i];
        }
        recompute(p, x, q, g);
        while (held > k) {
            int best = -1;
            for (int i = 0; i < n; i++) {
                if (x[i] == 1 && (best < 0 || g[i] > g[best])) {
                    best = i;
                }
            }
            x[best] = 0;
            held--;
            update(p, g, best, -1, q);
        }
        while (held < k) {
            int best = -1;
            for (int i = 0; i < n; i++) {
                if (x[i] == 0 && (best < 0 || g[i] < g[best])) {
                    best = i;
                }
            }
            x[best] = 1;
            held++;
            update(p, g, best, 1, q);
        }
        double tol = 1e-15;
        for (int iter = 0; iter < 100_000; iter++) {
            int bestOut = -1;
            int bestIn = -1;
            double bestDelta = -tol;
            for (int out = 0; out < n; out++) {
                if (x[out] == 0) {
                    continue;
                }
                for (int in = 0; in < n; in++) {
                    if (x[in] != 0) {
                        continue;
                    }
                    // drop out, then add in: the add cost loses out's coupling
                    double delta = -g[out] + g[in] - 2 * q * p.covariance(in, out);
                    if (delta < bestDelta) {
                        bestDelta = delta;
                        bestOut = out;
                        bestIn = in;
                    }
                }
            }
            if (bestOut < 0) {
                break;
            }
            x[bestOut] = 0;
            update(p, g, bestOut, -1, q);
            x[bestIn] = 1;
            update(p, g, bestIn, 1, q);
        }
        return x;
    }

    private static void recompute(PortfolioProblem p, byte[] x, double q, double[] g) {
        int n = p.size();
        for (int i = 0; i < n; i++) {
            double v = q * p.covariance(i, i) - p.expectedReturn(i);
            for (int j = 0; j < n; j++) {
                if (j != i && x[j] != 0) {
                    v += 2 * q * p.covariance(i, j);
                }
            }
            g[i] = v;
        }
    }

    private static void update(PortfolioProblem p, double[] g, int changed, int sign, double q) {
        for (int i = 0; i < g.length; i++) {
            if (i != changed) {
                g[i] += sign * 2 * q * p.covariance(i, changed);
            }
        }
    }
}
