package dev.nautilus.accel.portfolio;

/**
 * What a {@link QuboSolver} found.
 *
 * @param solver the solver's name
 * @param energy the QUBO energy of {@code assignment} (the lowest over all reads)
 * @param assignment the best 0/1 assignment (owned by the caller)
 * @param elapsedNanos wall-clock time of the whole solve, in nanoseconds
 * @param sweepsPerRead sweeps (SA, SQA: one attempted update of every spin of every replica;
 *     SB: one integration step; exhaustive: 0) of each read
 * @param readEnergies the QUBO energy each read ended with, indexed by read
 * @param readNanos the wall-clock time of each read, in nanoseconds
 * @param spinUpdateAttempts single-variable update attempts over all reads (SA, SQA; for SB the
 *     number of variable updates; for the exhaustive solver the number of assignments visited)
 */
public record SolverResult(String solver, double energy, byte[] assignment, long elapsedNanos, long sweepsPerRead,
        double[] readEnergies, long[] readNanos, long spinUpdateAttempts) {

    /** @return the number of reads */
    public int reads() {
        return readEnergies.length;
    }

    /**
     * @param target an energy (e.g. a best-known value)
     * @param tolerance absolute tolerance
     * @return the fraction of reads whose energy is at most {@code target + tolerance}
     */
    public double hitRate(double target, double tolerance) {
        int hits = 0;
        for (double e : readEnergies) {
            if (e <= target + tolerance) {
                hits++;
            }
        }
        return readEnergies.length == 0 ? 0 : hits / (double) readEnergies.length;
    }

    /** @return the median read time in nanoseconds */
    public long medianReadNanos() {
        long[] t = readNanos.clone();
        java.util.Arrays.sort(t);
        return t.length == 0 ? 0 : t[t.length / 2];
    }

    /**
     * Time to solution with 99% confidence: {@code t_read * ln(0.01) / ln(1 - p)} for hit rate
     * {@code p} (one read if {@code p = 1}; infinite if {@code p = 0}).
     *
     * @param readSeconds time of one read in seconds
     * @param p the hit rate in [0, 1]
     * @return seconds
     */
    public static double tts99(double readSeconds, double p) {
        if (p >= 1) {
            return readSeconds;
        }
        if (p <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        return readSeconds * Math.max(1, Math.log(0.01) / Math.log(1 - p));
    }
}
