package dev.nautilus.accel.portfolio;

/**
 * A portfolio returned by {@link PortfolioOptimizer}.
 *
 * @param method how it was found: a solver name ({@code sa}, {@code sqa}, {@code sb}, {@code exact})
 *     or {@code qp} for the classical continuous optimum
 * @param weights the weight of each asset (owned by the caller)
 * @param expectedReturn {@code mu'w}
 * @param variance the risk {@code w'Sw}
 * @param objective {@code q w'Sw - mu'w}, the mean-variance objective the optimizer minimises (lower is better)
 * @param feasible whether the constraints hold (selection: exactly K assets; weights: they sum to 1)
 * @param solver the QUBO solver's statistics, or null for {@code qp} and the exact enumeration
 * @param elapsedNanos wall-clock time of the optimisation, in nanoseconds
 * @param raw for a polished selection, the solver's own answer before repair and swap polish;
 *     null otherwise
 */
public record PortfolioSolution(String method, double[] weights, double expectedReturn, double variance, double objective,
        boolean feasible, SolverResult solver, long elapsedNanos, PortfolioSolution raw) {

    /** @return the number of assets with a nonzero weight */
    public int holdings() {
        int h = 0;
        for (double w : weights) {
            if (w > 0) {
                h++;
            }
        }
        return h;
    }
}
