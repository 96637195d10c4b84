package dev.nautilus.accel.risk;

import java.util.Arrays;

/**
 * A one-period model of asset returns: mean vector and covariance matrix (returns as fractions,
 * e.g. 0.01 = 1 %, over the horizon of the data, weekly for the OR-Library files).
 *
 * <p>Construction validates the input (finite values, square symmetric covariance with
 * non-negative variances) and factorises the covariance once (Cholesky), so a covariance that is
 * not positive semi-definite is rejected here with the offending pivot named. Immutable and
 * thread-safe; the arrays passed in are copied, the accessors return copies.
 */
public final class MarketModel {
    private final String name;
    private final double[] mean;
    private final double[][] covariance;
    private final double[][] cholesky;

    /**
     * @param name what the model is (e.g. a file name), used in messages
     * @param mean mean return per asset
     * @param covariance covariance of returns, n x n, symmetric, positive semi-definite
     * @throws IllegalArgumentException for NaN/infinite values, a dimension mismatch, asymmetry
     *     or a covariance that is not positive semi-definite
     */
    public MarketModel(String name, double[] mean, double[][] covariance) {
        this.name = name;
        int n = mean.length;
        if (n == 0) {
            throw new IllegalArgumentException(name + ": the model has no assets");
        }
        if (covariance.length != n) {
            throw new IllegalArgumentException(name + ": dimension mismatch: " + n + " means but a " + covariance.length
                    + "-row covariance matrix; both must have one entry per asset");
        }
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(mean[i])) {
                throw new IllegalArgumentException(name + ": mean of asset " + (i + 1) + " is " + mean[i] + "; it must be a finite number");
            }
            if (covariance[i].length != n) {
                throw new IllegalArgumentException(name + ": dimension mismatch: covariance row " + (i + 1) + " has "
                        + covariance[i].length + " entries, expected " + n);
            }
            for (int j = 0; j < n; j++) {
                double c = covariance[i][j];
                if (!Double.isFinite(c)) {
                    throw new IllegalArgumentException(name + ": covariance[" + (i + 1) + "][" + (j + 1) + "] is " + c
                            + "; it must be a finite number");
                }
                double d = covariance[j][i];
                if (Math.abs(c - d) > 1e-12 * Math.max(1e-300, Math.max(Math.abs(c), Math.abs(d)))) {
                    throw new IllegalArgumentException(name + ": covariance is not symmetric: [" + (i + 1) + "][" + (j + 1) + "] = " + c
                            + " but [" + (j + 1) + "][" + (i + 1) + "] = " + d);
                }
            }
            if (covariance[i][i] < 0) {
                throw new IllegalArgumentException(name + ": variance of asset " + (i + 1) + " is negative (" + covariance[i][i] + ")");
            }
        }
        this.mean = mean.clone();
        this.covariance = Matrices.copy(covariance);
        this.cholesky = Matrices.cholesky(this.covariance, name);
    }

    /**
     * Builds the covariance from standard deviations and correlations: cov_ij = sd_i sd_j rho_ij.
     *
     * @param name what the model is, used in messages
     * @param mean mean return per asset
     * @param sd standard deviation of return per asset, &gt;= 0
     * @param correlation correlation matrix, n x n, unit diagonal, entries in [-1, 1]
     * @return the model
     * @throws IllegalArgumentException as {@link #MarketModel(String, double[], double[][])}, and
     *     for a negative deviation or a correlation outside [-1, 1]
     */
    public static MarketModel fromCorrelation(String name, double[] mean, double[] sd, double[][] correlation) {
        int n = mean.length;
        if (sd.length != n || correlation.length != n) {
            throw new IllegalArgumentException(name + ": dimension mismatch: " + n + " means, " + sd.length + " deviations, "
                    + correlation.length + " correlation rows");
        }
        double[][] cov = new double[n][n];
        for (int i = 0; i < n; i++) {
            if (!(sd[i] >= 0) || !Double.isFinite(sd[i])) {
                throw new IllegalArgumentException(name + ": standard deviation of asset " + (i + 1) + " is " + sd[i]
                        + "; it must be a finite number >= 0");
            }
            if (correlation[i].length != n) {
                throw new IllegalArgumentException(name + ": dimension mismatch: correlation row " + (i + 1) + " has "
                        + correlation[i].length + " entries, expected " + n);
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double r = correlation[i][j];
                if (!(r >= -1 && r <= 1)) {
                    throw new IllegalArgumentException(name + ": correlation of assets " + (i + 1) + " and " + (j + 1) + " is " + r
                            + "; it must be in [-1, 1]");
                }
                cov[i][j] = sd[i] * sd[j] * r;
            }
        }
        return new MarketModel(name, mean, cov);
    }

    /** @return the name given at construction */
    public String name() {
        return name;
    }

    /** @return the number of assets */
    public int dimension() {
        return mean.length;
    }

    /** @return a copy of the mean returns */
    public double[] mean() {
        return mean.clone();
    }

    /** @return a copy of the covariance matrix */
    public double[][] covariance() {
        return Matrices.copy(covariance);
    }

    /** @return a copy of the lower-triangular Cholesky factor L with L L^T = covariance */
    public double[][] cholesky() {
        return Matrices.copy(cholesky);
    }

    /**
     * @param weights portfolio weights (value per asset, as fractions of the portfolio or in currency)
     * @return the mean of the portfolio P&amp;L, w . mu
     * @throws IllegalArgumentException on a dimension mismatch or non-finite weight
     */
    public double portfolioMean(double[] weights) {
        checkWeights(weights);
        double s = 0;
        for (int i = 0; i < mean.length; i++) {
            s += weights[i] * mean[i];
        }
        return s;
    }

    /**
     * @param weights portfolio weights
     * @return the standard deviation of the portfolio P&amp;L, sqrt(w^T Sigma w)
     * @throws IllegalArgumentException on a dimension mismatch or non-finite weight
     */
    public double portfolioSd(double[] weights) {
        checkWeights(weights);
        double s = 0;
        int n = mean.length;
        for (int i = 0; i < n; i++) {
            double row = 0;
            for (int j = 0; j < n; j++) {
                row += covariance[i][j] * weights[j];
            }
            s += weights[i] * row;
        }
        return Math.sqrt(Math.max(0, s));
    }

    /**
     * @param weights portfolio weights to check
     * @throws IllegalArgumentException if their number is not {@link #dimension()} or one is not finite
     */
    public void checkWeights(double[] weights) {
        if (weights.length != mean.length) {
            throw new IllegalArgumentException("dimension mismatch: " + weights.length + " weights for the " + mean.length
                    + " assets of " + name + "; give one weight per asset");
        }
        for (int i = 0; i < weights.length; i++) {
            if (!Double.isFinite(weights[i])) {
                throw new IllegalArgumentException("weight " + (i + 1) + " is " + weights[i] + "; weights must be finite numbers");
            }
        }
    }

    /**
     * @param n number of assets
     * @return n weights of 1/n each
     */
    public static double[] equalWeights(int n) {
        double[] w = new double[n];
        Arrays.fill(w, 1.0 / n);
        return w;
    }

    @Override
    public String toString() {
        return "MarketModel[" + name + ", " + mean.length + " assets]";
    }
}
