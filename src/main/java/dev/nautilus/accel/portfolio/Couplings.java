package dev.nautilus.accel.portfolio;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The off-diagonal couplings of a quadratic model over {@code n} variables, accumulated as an
 * upper triangle ({@code i < j}) and stored twice as symmetric compressed sparse rows: row
 * {@code i} lists every {@code j != i} with its coefficient, so a solver walks one row to update
 * the local fields after a flip.
 *
 * <p>Immutable after {@link Accumulator#build()}; the arrays are shared with the solvers of this
 * package, which only read them. Thread-safe.
 */
final class Couplings {
    final int n;
    /** Row {@code i} is {@code cols/vals[rowStart[i] .. rowStart[i + 1])}. */
    final int[] rowStart;
    final int[] cols;
    final double[] vals;

    private Couplings(int n, int[] rowStart, int[] cols, double[] vals) {
        this.n = n;
        this.rowStart = rowStart;
        this.cols = cols;
        this.vals = vals;
    }

    /** @return the number of distinct pairs {@code i < j} with a nonzero coefficient */
    int pairs() {
        return cols.length / 2;
    }

    /**
     * @param i a row
     * @param j a column
     * @return the coefficient of the pair, 0 if absent (a linear search of row {@code i})
     */
    double get(int i, int j) {
        for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
            if (cols[k] == j) {
                return vals[k];
            }
        }
        return 0;
    }

    /** @return a copy with every coefficient multiplied by {@code factor} */
    Couplings scaled(double factor) {
        double[] v = vals.clone();
        for (int k = 0; k < v.length; k++) {
            v[k] *= factor;
        }
        return new Couplings(n, rowStart, cols, v);
    }

    /** @return sum over pairs {@code i < j} of the coefficient */
    double sumOfPairs() {
        double s = 0;
        for (int i = 0; i < n; i++) {
            for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                if (cols[k] > i) {
                    s += vals[k];
                }
            }
        }
        return s;
    }

    /** @return sum over row {@code i} */
    double rowSum(int i) {
        double s = 0;
        for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
            s += vals[k];
        }
        return s;
    }

    /** @return sum over row {@code i} of absolute values */
    double rowAbsSum(int i) {
        double s = 0;
        for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
            s += Math.abs(vals[k]);
        }
        return s;
    }

    /** Accumulates pair coefficients (repeated pairs add up); not thread-safe. */
    static final class Accumulator {
        private final int n;
        private final Map<Long, double[]> upper = new HashMap<>();

        Accumulator(int n) {
            this.n = n;
        }

        void add(int i, int j, double value) {
            int a = Math.min(i, j);
            int b = Math.max(i, j);
            upper.computeIfAbsent(((long) a << 32) | b, k -> new double[1])[0] += value;
        }

        Couplings build() {
            int[] degree = new int[n];
            long[] keys = new long[upper.size()];
            int m = 0;
            for (Map.Entry<Long, double[]> e : upper.entrySet()) {
                if (e.getValue()[0] != 0) {
                    long key = e.getKey();
                    keys[m++] = key;
                    degree[(int) (key >>> 32)]++;
                    degree[(int) key]++;
                }
            }
            keys = Arrays.copyOf(keys, m);
            Arrays.sort(keys);
            int[] rowStart = new int[n + 1];
            for (int i = 0; i < n; i++) {
                rowStart[i + 1] = rowStart[i] + degree[i];
            }
            int[] fill = Arrays.copyOf(rowStart, n);
            int[] cols = new int[2 * m];
            double[] vals = new double[2 * m];
            for (long key : keys) {
                int a = (int) (key >>> 32);
                int b = (int) key;
                double v = upper.get(key)[0];
                cols[fill[a]] = b;
                vals[fill[a]++] = v;
                cols[fill[b]] = a;
                vals[fill[b]++] = v;
            }
            return new Couplings(n, rowStart, cols, vals);
        }
    }
}
