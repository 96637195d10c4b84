package dev.nautilus.accel.portfolio;

import java.nio.file.Path;

/**
 * A mean-variance portfolio problem: expected returns {@code mu} and a covariance matrix
 * {@code S} of {@code n} assets, validated on construction (finite, matching dimensions,
 * symmetric, positive semidefinite).
 *
 * <p>Immutable and thread-safe; the constructor copies its arrays.
 */
public final class PortfolioProblem {
    private final double[] mu;
    private final double[][] cov;

    /**
     * @param mu expected return of each asset (per period)
     * @param cov covariance matrix, {@code n x n}, symmetric positive semidefinite
     * @throws IllegalArgumentException for empty input, a dimension mismatch, a non-finite entry,
     *     an asymmetric or a non-positive-semidefinite covariance matrix (the message says which entry)
     */
    public PortfolioProblem(double[] mu, double[][] cov) {
        int n = mu.length;
        if (n == 0) {
            throw new IllegalArgumentException("a portfolio needs at least one asset: the return vector is empty");
        }
        if (cov.length != n) {
            throw new IllegalArgumentException("dimension mismatch: " + n + " expected returns but the covariance matrix has "
                    + cov.length + " rows; both must describe the same assets");
        }
        this.mu = mu.clone();
        this.cov = new double[n][];
        for (int i = 0; i < n; i++) {
            ModelChecks.finite(mu[i], "expected return of asset " + i);
            if (cov[i].length != n) {
                throw new IllegalArgumentException("dimension mismatch: covariance row " + i + " has " + cov[i].length
                        + " entries, expected " + n + " (a square matrix over the " + n + " assets)");
            }
            this.cov[i] = cov[i].clone();
            for (int j = 0; j < n; j++) {
                ModelChecks.finite(cov[i][j], "covariance (" + i + ", " + j + ")");
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double a = cov[i][j];
                double b = cov[j][i];
                if (Math.abs(a - b) > 1e-12 * Math.max(1e-300, Math.max(Math.abs(a), Math.abs(b)))) {
                    throw new IllegalArgumentException("the covariance matrix is not symmetric: (" + i + ", " + j + ") = " + a
                            + " but (" + j + ", " + i + ") = " + b + "; pass a symmetric matrix");
                }
            }
        }
        checkPositiveSemidefinite(this.cov);
    }

    /**
     * Reads an OR-Library mean-variance file ({@code port1.txt} .. {@code port5.txt}): the number
     * of assets {@code N}, then {@code N} lines "mean return, standard deviation", then one line
     * "i j correlation" (1-based) for every pair {@code i <= j}. Covariance is
     * {@code corr_ij * sd_i * sd_j}.
     *
     * @param file the file
     * @return the problem
     * @throws DataFormatException if the file is missing, empty, truncated or inconsistent (message names file and line)
     */
    public static PortfolioProblem loadOrLibrary(Path file) {
        try (NumberReader r = NumberReader.open(file)) {
            if (!r.hasNext()) {
                throw new DataFormatException(file + " is empty; expected an OR-Library portfolio file (number of assets first)");
            }
            int n = r.nextInt("the number of assets");
            if (n < 1 || n > 100_000) {
                throw r.fail("number of assets " + n + " is out of range 1..100000");
            }
            double[] mu = new double[n];
            double[] sd = new double[n];
            for (int i = 0; i < n; i++) {
                mu[i] = r.nextDouble("the mean return of asset " + (i + 1));
                sd[i] = r.nextDouble("the standard deviation of asset " + (i + 1));
                if (sd[i] < 0) {
                    throw r.fail("standard deviation of asset " + (i + 1) + " is negative (" + sd[i] + ")");
                }
            }
            double[][] cov = new double[n][n];
            boolean[] seen = new boolean[n * n];
            int pairs = 0;
            int expected = n * (n + 1) / 2;
            while (r.hasNext()) {
                int i = r.nextInt("an asset index") - 1;
                int j = r.nextInt("an asset index") - 1;
                double c = r.nextDouble("a correlation");
                if (i < 0 || i >= n || j < 0 || j >= n) {
                    throw r.fail("asset index pair (" + (i + 1) + ", " + (j + 1) + ") is out of range 1.." + n);
                }
                if (c < -1 - 1e-9 || c > 1 + 1e-9) {
                    throw r.fail("correlation " + c + " is outside [-1, 1]");
                }
                if (seen[i * n + j] || seen[j * n + i]) {
                    throw r.fail("pair (" + (i + 1) + ", " + (j + 1) + ") appears twice");
                }
                seen[i * n + j] = true;
                cov[i][j] = c * sd[i] * sd[j];
                cov[j][i] = cov[i][j];
                pairs++;
            }
            if (pairs != expected) {
                throw new DataFormatException(file + ": " + pairs + " correlation lines but " + n + " assets need " + expected
                        + " (every pair i <= j); the file is truncated or its asset count is wrong");
            }
            return new PortfolioProblem(mu, cov);
        }
    }

    /** @return the number of assets */
    public int size() {
        return mu.length;
    }

    /**
     * @param i an asset
     * @return its expected return
     */
    public double expectedReturn(int i) {
        return mu[i];
    }

    /**
     * @param i an asset
     * @param j an asset
     * @return their covariance
     */
    public double covariance(int i, int j) {
        return cov[i][j];
    }

    /** @return a copy of the expected returns */
    public double[] expectedReturns() {
        return mu.clone();
    }

    /**
     * @param w weights, length {@code size()}
     * @return {@code mu' w}
     */
    public double expectedReturn(double[] w) {
        checkLength(w);
        double s = 0;
        for (int i = 0; i < w.length; i++) {
            s += mu[i] * w[i];
        }
        return s;
    }

    /**
     * @param w weights, length {@code size()}
     * @return the portfolio variance {@code w' S w}
     */
    public double variance(double[] w) {
        checkLength(w);
        double s = 0;
        for (int i = 0; i < w.length; i++) {
            if (w[i] == 0) {
                continue;
            }
            double row = 0;
            for (int j = 0; j < w.length; j++) {
                row += cov[i][j] * w[j];
            }
            s += w[i] * row;
        }
        return s;
    }

    /**
     * @param w weights
     * @param riskAversion {@code q >= 0}
     * @return the mean-variance objective {@code q w'Sw - mu'w} (lower is better)
     */
    public double objective(double[] w, double riskAversion) {
        return riskAversion * variance(w) - expectedReturn(w);
    }

    /**
     * @param assets distinct asset indices
     * @return the problem restricted to those assets, in that order
     * @throws IllegalArgumentException for an index out of range or a repeated index
     */
    public PortfolioProblem subset(int[] assets) {
        boolean[] used = new boolean[size()];
        double[] m = new double[assets.length];
        double[][] c = new double[assets.length][assets.length];
        for (int a = 0; a < assets.length; a++) {
            int i = assets[a];
            if (i < 0 || i >= size() || used[i]) {
                throw new IllegalArgumentException("subset asset " + i + " is out of range 0.." + (size() - 1) + " or repeated");
            }
            used[i] = true;
            m[a] = mu[i];
            for (int b = 0; b < assets.length; b++) {
                c[a][b] = cov[i][assets[b]];
            }
        }
        return new PortfolioProblem(m, c);
    }

    private void checkLength(double[] w) {
        if (w.length != mu.length) {
            throw new IllegalArgumentException("weight vector has " + w.length + " entries but the problem has " + mu.length + " assets");
        }
    }

    /** Cholesky (LDL') with a relative tolerance; a pivot below it means an eigenvalue below zero. */
    private static void checkPositiveSemidefinite(double[][] a) {
        int n = a.length;
        double scale = 0;
        for (int i = 0; i < n; i++) {
            scale = Math.max(scale, Math.abs(a[i][i]));
        }
        double tol = 1e-10 * Math.max(scale, 1e-300);
        double[][] l = new double[n][n];
        double[] d = new double[n];
        for (int j = 0; j < n; j++) {
            double dj = a[j][j];
            for (int k = 0; k < j; k++) {
                dj -= l[j][k] * l[j][k] * d[k];
            }
            if (dj < -tol) {
                throw new IllegalArgumentException("the covariance matrix is not positive semidefinite: elimination pivot "
                        + dj + " < 0 at asset " + j + "; a covariance matrix must satisfy w'Sw >= 0 for every w"
                        + " (check the correlations, or repair the matrix, e.g. by eigenvalue clipping)");
            }
            d[j] = dj;
            for (int i = j + 1; i < n; i++) {
                double v = a[i][j];
                for (int k = 0; k < j; k++) {
                    v -= l[i][k] * l[j][k] * d[k];
                }
                l[i][j] = dj > tol ? v / dj : 0;
                if (dj <= tol && Math.abs(v) > Math.sqrt(tol) * Math.sqrt(Math.max(a[i][i], 0) + tol)) {
                    throw new IllegalArgumentException("the covariance matrix is not positive semidefinite: asset " + j
                            + " has (near) zero variance but covariance " + a[i][j] + " with asset " + i
                            + "; a covariance matrix must satisfy w'Sw >= 0 for every w");
                }
            }
        }
    }
}
