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

    /**
     * Like {@link #solve(QuboModel)}, reporting progress.
     *
     * @param model the model to minimise
     * @param readsDone called with the number of reads finished so far after each read, from the
     *     solver's worker threads (possibly concurrently: it must be thread-safe); the default
     *     implementation never calls it
     * @return the lowest-energy assignment found, with the statistics of the run
     */
    default SolverResult solve(QuboModel model, java.util.function.IntConsumer readsDone) {
        return solve(model);
    }
}
