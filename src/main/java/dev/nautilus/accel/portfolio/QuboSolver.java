package dev.nautilus.accel.portfolio;

/**
 * A heuristic or exact minimiser of a {@link QuboModel}. Implementations are configured at
 * construction (reads, sweeps, seed, threads) and are deterministic for a given seed regardless
 * of how many threads spread the reads.
 *
 * <p>Implementations are immutable and may be shared; each {@link #solve} call allocates its own
 * working state.
 */
public interface QuboSolver {
    /** @return a short name for reports, e.g. {@code "sa"} */
    String name();

    /**
     * @param model the model to minimise
     * @return the lowest-energy assignment found, with the statistics of the run
     */
    SolverResult solve(QuboModel model);
}
