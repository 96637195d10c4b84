package dev.nautilus.accel.portfolio;

/**
 * An Ising model: minimise
 * <pre>E(s) = offset + sum_i h_i s_i + sum_{i&lt;j} J_ij s_i s_j,   s in {-1,+1}^n</pre>
 * with the couplings stored as symmetric compressed rows (only nonzero pairs).
 *
 * <p>{@link #fromQubo(QuboModel)} and {@link #toQubo()} convert exactly, offset included, under
 * {@code s = 2x - 1}: the two models give the same energy for corresponding assignments.
 *
 * <p>Immutable and thread-safe. Spin assignments are {@code byte[]} of -1/+1 owned by the caller.
 */
public final class IsingModel {
    private final int n;
    private final double offset;
    private final double[] h;
    private final Couplings couplings;

    IsingModel(int n, double offset, double[] h, Couplings couplings) {
        this.n = n;
        this.offset = offset;
        this.h = h;
        this.couplings = couplings;
    }

    /**
     * @param n the number of spins, at least 1
     * @return a builder for a model over {@code n} spins
     */
    public static Builder builder(int n) {
        return new Builder(n);
    }

    /**
     * The Ising model of a QUBO under {@code x = (1 + s) / 2}: {@code J_ij = Q_ij / 4},
     * {@code h_i = Q_ii / 2 + sum_{j != i} Q_ij / 4}, {@code offset = c + sum_i Q_ii / 2 + sum_{i<j} Q_ij / 4}.
     *
     * @param q the QUBO
     * @return the equivalent Ising model
     */
    public static IsingModel fromQubo(QuboModel q) {
        Couplings c = q.couplings();
        int n = q.size();
        double[] h = new double[n];
        double offset = q.offset() + c.sumOfPairs() / 4;
        for (int i = 0; i < n; i++) {
            h[i] = q.linear(i) / 2 + c.rowSum(i) / 4;
            offset += q.linear(i) / 2;
        }
        return new IsingModel(n, offset, h, c.scaled(0.25));
    }

    /**
     * The QUBO of this model under {@code s = 2x - 1}: {@code Q_ij = 4 J_ij},
     * {@code Q_ii = 2 h_i - 2 sum_{j != i} J_ij}, {@code c = offset - sum_i h_i + sum_{i<j} J_ij}.
     *
     * @param storage the QUBO's storage
     * @return the equivalent QUBO
     */
    public QuboModel toQubo(QuboModel.Storage storage) {
        double[] lin = new double[n];
        double c = offset + couplings.sumOfPairs();
        for (int i = 0; i < n; i++) {
            lin[i] = 2 * h[i] - 2 * couplings.rowSum(i);
            c -= h[i];
        }
        return new QuboModel(n, c, lin, couplings.scaled(4), storage);
    }

    /** @return {@link #toQubo(QuboModel.Storage)} with sparse storage */
    public QuboModel toQubo() {
        return toQubo(QuboModel.Storage.SPARSE);
    }

    /** @return the number of spins */
    public int size() {
        return n;
    }

    /** @return the constant term */
    public double offset() {
        return offset;
    }

    /**
     * @param i a spin
     * @return its field {@code h_i}
     */
    public double field(int i) {
        return h[i];
    }

    /**
     * @param i a spin
     * @param j another spin
     * @return {@code J_ij} (symmetric), 0 if absent or {@code i == j}
     */
    public double coupling(int i, int j) {
        return i == j ? 0 : couplings.get(i, j);
    }

    /** @return the number of coupled pairs */
    public int pairCount() {
        return couplings.pairs();
    }

    Couplings couplings() {
        return couplings;
    }

    double[] fields() {
        return h;
    }

    /**
     * @param s spins of -1/+1, length {@code size()}
     * @return {@code E(s)}; O(n + pairs), allocation-free
     * @throws IllegalArgumentException if the length differs from {@code size()}
     */
    public double energy(byte[] s) {
        if (s.length != n) {
            throw new IllegalArgumentException("assignment has " + s.length + " spins but the model has " + n);
        }
        double e = offset;
        int[] rs = couplings.rowStart;
        int[] cols = couplings.cols;
        double[] vals = couplings.vals;
        for (int i = 0; i < n; i++) {
            double pair = 0;
            for (int k = rs[i]; k < rs[i + 1]; k++) {
                int j = cols[k];
                if (j > i) {
                    pair += vals[k] * s[j];
                }
            }
            e += s[i] * (h[i] + pair);
        }
        return e;
    }

    /**
     * The largest energy change a single flip can cause at spin {@code i}: {@code 2 (|h_i| + sum_j |J_ij|)}.
     *
     * @param i a spin
     * @return the bound
     */
    double maxFlipDelta(int i) {
        return 2 * (Math.abs(h[i]) + couplings.rowAbsSum(i));
    }

    /**
     * @param s spins of -1/+1
     * @return the 0/1 assignment {@code x = (1 + s) / 2}
     */
    public static byte[] toBinary(byte[] s) {
        byte[] x = new byte[s.length];
        for (int i = 0; i < s.length; i++) {
            x[i] = (byte) (s[i] > 0 ? 1 : 0);
        }
        return x;
    }

    /** Collects fields and couplings (repeated terms add up); not thread-safe, single use. */
    public static final class Builder {
        private final int n;
        private final double[] h;
        private final Couplings.Accumulator pairs;
        private double offset;

        private Builder(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("an Ising model needs at least 1 spin, got " + n);
            }
            this.n = n;
            this.h = new double[n];
            this.pairs = new Couplings.Accumulator(n);
        }

        /**
         * @param i a spin
         * @param value a finite field to add to {@code h_i}
         * @return this builder
         */
        public Builder field(int i, double value) {
            ModelChecks.index(i, n);
            ModelChecks.finite(value, "field of spin " + i);
            h[i] += value;
            return this;
        }

        /**
         * @param i a spin
         * @param j another spin ({@code i != j})
         * @param value a finite coupling to add to {@code J_ij}
         * @return this builder
         */
        public Builder coupling(int i, int j, double value) {
            ModelChecks.index(i, n);
            ModelChecks.index(j, n);
            ModelChecks.finite(value, "coupling of (" + i + ", " + j + ")");
            if (i == j) {
                throw new IllegalArgumentException("coupling of spin " + i + " with itself: s_i^2 = 1 is a constant, add it to the offset");
            }
            pairs.add(i, j, value);
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

        /** @return the model */
        public IsingModel build() {
            return new IsingModel(n, offset, h.clone(), pairs.build());
        }
    }
}
