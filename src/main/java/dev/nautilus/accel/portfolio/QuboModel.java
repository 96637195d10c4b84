package dev.nautilus.accel.portfolio;

/**
 * A quadratic unconstrained binary optimisation model: minimise
 * <pre>E(x) = offset + sum_i Q_ii x_i + sum_{i&lt;j} Q_ij x_i x_j,   x in {0,1}^n</pre>
 * with the couplings kept as an upper triangle ({@code i < j}); {@link #coupling(int, int)}
 * reads it with either index order.
 *
 * <p>Storage: {@link Storage#SPARSE} keeps only the nonzero pairs (symmetric compressed rows);
 * {@link Storage#DENSE} additionally keeps the full upper triangle as one {@code n * n} array,
 * which makes {@link #energy(byte[])} and {@link #delta(byte[], int)} branch-free row scans (use
 * it for small, dense models such as portfolios). Both give identical values.
 *
 * <p>Immutable and thread-safe. Assignments are {@code byte[]} of 0/1 owned by the caller.
 */
public final class QuboModel {
    /** How the couplings are stored. */
    public enum Storage {
        /** Only nonzero pairs, as compressed rows: memory O(n + pairs). */
        SPARSE,
        /** Compressed rows plus a dense {@code n * n} upper triangle: memory O(n^2). */
        DENSE
    }

    private final int n;
    private final double offset;
    private final double[] linear;
    private final Couplings couplings;
    /** Row-major {@code n * n}, only {@code [i * n + j]} with {@code i < j} used; null when sparse. */
    private final double[] dense;

    QuboModel(int n, double offset, double[] linear, Couplings couplings, Storage storage) {
        this.n = n;
        this.offset = offset;
        this.linear = linear;
        this.couplings = couplings;
        if (storage == Storage.DENSE) {
            if ((long) n * n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("a dense QUBO of " + n + " variables needs more than 2^31 cells; use Storage.SPARSE");
            }
            dense = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int k = couplings.rowStart[i]; k < couplings.rowStart[i + 1]; k++) {
                    int j = couplings.cols[k];
                    if (j > i) {
                        dense[i * n + j] = couplings.vals[k];
                    }
                }
            }
        } else {
            dense = null;
        }
    }

    /**
     * @param n the number of binary variables, at least 1
     * @return a builder for a model over {@code n} variables
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static Builder builder(int n) {
        return new Builder(n);
    }

    /** @return the number of variables */
    public int size() {
        return n;
    }

    /** @return the constant term */
    public double offset() {
        return offset;
    }

    /**
     * @param i a variable, {@code 0 <= i < size()}
     * @return its linear (diagonal) coefficient {@code Q_ii}
     */
    public double linear(int i) {
        return linear[i];
    }

    /**
     * @param i a variable
     * @param j another variable ({@code i == j} returns the linear coefficient)
     * @return {@code Q_min(i,j),max(i,j)}, 0 if the pair has no coupling
     */
    public double coupling(int i, int j) {
        if (i == j) {
            return linear[i];
        }
        if (dense != null) {
            return i < j ? dense[i * n + j] : dense[j * n + i];
        }
        return couplings.get(i, j);
    }

    /** @return the number of pairs {@code i < j} with a nonzero coefficient */
    public int pairCount() {
        return couplings.pairs();
    }

    /** @return how the couplings are stored */
    public Storage storage() {
        return dense != null ? Storage.DENSE : Storage.SPARSE;
    }

    /**
     * @param storage the storage wanted
     * @return this model if it already has that storage, otherwise an equal model with it
     */
    public QuboModel withStorage(Storage storage) {
        return storage() == storage ? this : new QuboModel(n, offset, linear, couplings, storage);
    }

    Couplings couplings() {
        return couplings;
    }

    /**
     * The energy of an assignment. O(n^2) dense, O(n + pairs) sparse; allocation-free.
     *
     * @param x 0/1 values, length {@code size()}
     * @return {@code E(x)}
     * @throws IllegalArgumentException if the length differs from {@code size()}
     */
    public double energy(byte[] x) {
        checkLength(x);
        double e = offset;
        if (dense != null) {
            for (int i = 0; i < n; i++) {
                if (x[i] != 0) {
                    e += linear[i];
                    int row = i * n;
                    for (int j = i + 1; j < n; j++) {
                        e += dense[row + j] * x[j];
                    }
                }
            }
            return e;
        }
        int[] rs = couplings.rowStart;
        int[] cols = couplings.cols;
        double[] vals = couplings.vals;
        for (int i = 0; i < n; i++) {
            if (x[i] != 0) {
                e += linear[i];
                for (int k = rs[i]; k < rs[i + 1]; k++) {
                    int j = cols[k];
                    if (j > i) {
                        e += vals[k] * x[j];
                    }
                }
            }
        }
        return e;
    }

    /**
     * The change of energy if variable {@code i} were flipped: {@code E(x with x_i negated) - E(x)}.
     * O(row length); allocation-free.
     *
     * @param x 0/1 values, length {@code size()} (not modified)
     * @param i the variable to flip
     * @return the energy difference
     */
    public double delta(byte[] x, int i) {
        double field = linear[i];
        if (dense != null) {
            for (int j = 0; j < i; j++) {
                field += dense[j * n + i] * x[j];
            }
            int row = i * n;
            for (int j = i + 1; j < n; j++) {
                field += dense[row + j] * x[j];
            }
        } else {
            int[] cols = couplings.cols;
            double[] vals = couplings.vals;
            for (int k = couplings.rowStart[i]; k < couplings.rowStart[i + 1]; k++) {
                field += vals[k] * x[cols[k]];
            }
        }
        return x[i] == 0 ? field : -field;
    }

    /** @return the exactly equivalent Ising model (same energy for {@code s = 2x - 1}), see {@link IsingModel#fromQubo} */
    public IsingModel toIsing() {
        return IsingModel.fromQubo(this);
    }

    private void checkLength(byte[] x) {
        if (x.length != n) {
            throw new IllegalArgumentException("assignment has " + x.length + " values but the model has " + n + " variables");
        }
    }

    /** Collects coefficients (repeated terms add up); not thread-safe, single use. */
    public static final class Builder {
        private final int n;
        private final double[] linear;
        private final Couplings.Accumulator pairs;
        private double offset;

        private Builder(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("a QUBO needs at least 1 variable, got " + n);
            }
            this.n = n;
            this.linear = new double[n];
            this.pairs = new Couplings.Accumulator(n);
        }

        /**
         * Adds {@code value * x_i * x_j} ({@code i == j}: a linear term, since {@code x_i^2 = x_i}).
         *
         * @param i a variable, {@code 0 <= i < n}
         * @param j a variable, {@code 0 <= j < n}
         * @param value a finite coefficient
         * @return this builder
         * @throws IllegalArgumentException for an index out of range or a non-finite value
         */
        public Builder add(int i, int j, double value) {
            ModelChecks.index(i, n);
            ModelChecks.index(j, n);
            ModelChecks.finite(value, "coefficient of (" + i + ", " + j + ")");
            if (i == j) {
                linear[i] += value;
            } else {
                pairs.add(i, j, value);
            }
            return this;
        }

        /**
         * @param value a finite constant to add
         * @return this builder
         */
        public Builder addOffset(double value) {
            ModelChecks.finite(value, "offset");
            offset += value;
            return this;
        }

        /** @return the model, {@link Storage#DENSE} if at least a quarter of all pairs are coupled, else sparse */
        public QuboModel build() {
            Couplings c = pairs.build();
            return new QuboModel(n, offset, linear.clone(), c,
                    c.pairs() * 4L >= (long) n * (n - 1) / 2 && n <= 8192 ? Storage.DENSE : Storage.SPARSE);
        }

        /**
         * @param storage the storage wanted
         * @return the model
         */
        public QuboModel build(Storage storage) {
            return new QuboModel(n, offset, linear.clone(), pairs.build(), storage);
        }
    }
}
