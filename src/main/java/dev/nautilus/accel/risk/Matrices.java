package dev.nautilus.accel.risk;

/**
 * Small dense linear algebra on {@code double[][]}: Cholesky factorisation and the symmetric
 * eigen-decomposition (cyclic Jacobi). Meant for set-up work (n up to a few hundred), not hot
 * loops. Stateless and thread-safe; results are new arrays.
 */
public final class Matrices {
    private Matrices() {}

    /**
     * @param a a matrix
     * @return a deep copy
     */
    public static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    /**
     * Cholesky factor of a symmetric positive semi-definite matrix. A pivot that is zero up to
     * rounding (a singular but valid covariance, e.g. a correlation of exactly 1) gives a zero
     * column; a clearly negative pivot is an error.
     *
     * @param a symmetric matrix, n x n
     * @param name what the matrix belongs to, for the message
     * @return lower-triangular L with L L^T = a
     * @throws IllegalArgumentException if a is not positive semi-definite
     */
    public static double[][] cholesky(double[][] a, String name) {
        int n = a.length;
        double[][] l = new double[n][n];
        double scale = 0;
        for (int i = 0; i < n; i++) {
            scale = Math.max(scale, Math.abs(a[i][i]));
        }
        double tolerance = 1e-12 * Math.max(scale, Double.MIN_NORMAL);
        for (int j = 0; j < n; j++) {
            double d = a[j][j];
            for (int k = 0; k < j; k++) {
                d -= l[j][k] * l[j][k];
            }
            if (d < -tolerance) {
                throw new IllegalArgumentException(name + ": covariance matrix is not positive semi-definite (Cholesky pivot "
                        + (j + 1) + " is " + d + " < 0); check the correlations for inconsistent values, or repair the matrix"
                        + " (e.g. nearest correlation matrix) before use");
            }
            if (d <= tolerance) {
                for (int i = j; i < n; i++) {
                    double r = a[i][j];
                    for (int k = 0; k < j; k++) {
                        r -= l[i][k] * l[j][k];
                    }
                    if (Math.abs(r) > Math.sqrt(tolerance * scale) * 1e3 && i > j) {
                        throw new IllegalArgumentException(name + ": covariance matrix is not positive semi-definite (zero pivot "
                                + (j + 1) + " with a non-zero entry below it); check the correlations");
                    }
                }
                continue;
            }
            double ljj = Math.sqrt(d);
            l[j][j] = ljj;
            for (int i = j + 1; i < n; i++) {
                double r = a[i][j];
                for (int k = 0; k < j; k++) {
                    r -= l[i][k] * l[j][k];
                }
                l[i][j] = r / ljj;
            }
        }
        return l;
    }

    /**
     * Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations.
     *
     * @param a symmetric matrix, n x n (not modified)
     * @param values receives the n eigenvalues, in decreasing order
     * @return the eigenvectors as columns: result[i][k] is component i of eigenvector k
     */
    public static double[][] symmetricEigen(double[][] a, double[] values) {
        int n = a.length;
        double[][] m = copy(a);
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) {
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            double total = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    total += m[i][j] * m[i][j];
                    if (i != j) {
                        off += m[i][j] * m[i][j];
                    }
                }
            }
            if (off <= 1e-30 * total) {
                break;
            }
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    double apq = m[p][q];
                    if (apq == 0) {
                        continue;
                    }
                    double theta = (m[q][q] - m[p][p]) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {
                        double mkp = m[k][p];
                        double mkq = m[k][q];
                        m[k][p] = c * mkp - s * mkq;
                        m[k][q] = s * mkp + c * mkq;
                    }
                    for (int k = 0; k < n; k++) {
                        double mpk = m[p][k];
                        double mqk = m[q][k];
                        m[p][k] = c * mpk - s * mqk;
                        m[q][k] = s * mpk + c * mqk;
                    }
                    for (int k = 0; k < n; k++) {
                        double vkp = v[k][p];
                        double vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(m[y][y], m[x][x]));
        double[][] vectors = new double[n][n];
        for (int k = 0; k < n; k++) {
            values[k] = m[order[k]][order[k]];
            for (int i = 0; i < n; i++) {
                vectors[i][k] = v[i][order[k]];
            }
        }
        return vectors;
    }
}
