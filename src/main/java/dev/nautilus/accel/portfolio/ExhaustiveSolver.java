package dev.nautilus.accel.portfolio;

/**
 * Ground truth: visits all {@code 2^n} assignments in Gray-code order (one flip per step, local
 * fields updated incrementally, O(row length) per step) and returns the first lowest-energy one.
 * Practical up to about 30 variables; refuses more than {@link #MAX_VARIABLES}.
 *
 * <p>Immutable and thread-safe.
 */
public final class ExhaustiveSolver implements QuboSolver {
    /** The largest model accepted (2^34 steps is hours). */
    public static final int MAX_VARIABLES = 34;

    /** Creates the solver. */
    public ExhaustiveSolver() {}

    @Override
    public String name() {
        return "exact";
    }

    /**
     * @throws IllegalArgumentException if the model has more than {@link #MAX_VARIABLES} variables
     */
    @Override
    public SolverResult solve(QuboModel model) {
        int n = model.size();
        if (n > MAX_VARIABLES) {
            throw new IllegalArgumentException("exhaustive search over " + n + " variables (2^" + n + " assignments) is too slow;"
                    + " it accepts at most " + MAX_VARIABLES + ": use a heuristic solver (sa, sqa, sb)");
        }
        long start = System.nanoTime();
        Couplings c = model.couplings();
        int[] rs = c.rowStart;
        int[] cols = c.cols;
        double[] vals = c.vals;
        double[] field = new double[n];
        for (int i = 0; i < n; i++) {
            field[i] = model.linear(i);
        }
        byte[] x = new byte[n];
        double e = model.offset();
        double bestE = e;
        long bestCode = 0;
        long code = 0;
        long total = 1L << n;
        for (long t = 1; t < total; t++) {
            int i = Long.numberOfTrailingZeros(t);
            double d;
            if (x[i] == 0) {
                d = field[i];
                x[i] = 1;
                for (int k = rs[i]; k < rs[i + 1]; k++) {
                    field[cols[k]] += vals[k];
                }
            } else {
                d = -field[i];
                x[i] = 0;
                for (int k = rs[i]; k < rs[i + 1]; k++) {
                    field[cols[k]] -= vals[k];
                }
            }
            e += d;
            code ^= 1L << i;
            if (e < bestE) {
                bestE = e;
                bestCode = code;
            }
        }
        byte[] best = new byte[n];
        for (int i = 0; i < n; i++) {
            best[i] = (byte) ((bestCode >>> i) & 1);
        }
        long elapsed = System.nanoTime() - start;
        double exact = model.energy(best);
        return new SolverResult(name(), exact, best, elapsed, 0, new double[] {exact}, new long[] {elapsed}, total);
    }
}
