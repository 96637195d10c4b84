package dev.nautilus.accel.portfolio;

/**
 * Mean-variance portfolio optimisation with risk aversion {@code q}: minimise
 * {@code q w'Sw - mu'w} over weights {@code w}, by three routes that can be compared directly:
 * <ul>
 *   <li>{@link #selectAssets}: hold exactly {@code K} assets in equal weights {@code w = x / K};
 *       solved as the selection QUBO of {@link PortfolioQubo} with risk weight {@code q / K}
 *       ({@code q w'Sw - mu'w = (q/K x'Sx - mu'x) / K}, the same minimiser) by any {@link QuboSolver},
 *       then (by default) repaired and swap-polished;</li>
 *   <li>{@link #selectAssetsExactly}: the same discrete problem solved exactly by enumeration;</li>
 *   <li>{@link #allocate}: multi-bit weights (the {@link PortfolioQubo#weights} QUBO);</li>
 *   <li>{@link #classical}: the continuous long-only optimum from a QP solver ({@link MeanVarianceQp}).</li>
 * </ul>
 *
 * <p>Immutable and thread-safe (the solvers passed in must be too, as all in this package are).
 */
public final class PortfolioOptimizer {
    private final PortfolioProblem problem;
    private final double riskAversion;

    /**
     * @param problem the assets
     * @param riskAversion {@code q >= 0}
     */
    public PortfolioOptimizer(PortfolioProblem problem, double riskAversion) {
        PortfolioQubo.checkRisk(riskAversion);
        this.problem = problem;
        this.riskAversion = riskAversion;
    }

    /** @return the problem */
    public PortfolioProblem problem() {
        return problem;
    }

    /**
     * @param k the number of assets to hold
     * @return the selection QUBO this optimizer hands to a solver
     */
    public QuboModel selectionModel(int k) {
        return PortfolioQubo.selection(problem, k, riskAversion / k);
    }

    /**
     * {@link #selectAssets(int, QuboSolver, boolean)} with the swap polish.
     *
     * @param k the number of assets to hold, {@code 1 <= k <= n}
     * @param solver the QUBO solver
     * @return the polished equal-weight portfolio (always feasible)
     */
    public PortfolioSolution selectAssets(int k, QuboSolver solver) {
        return selectAssets(k, solver, true);
    }

    /**
     * Solves the selection QUBO and, with {@code polish}, makes the solver's best selection
     * feasible (greedily dropping or adding the asset that helps the objective most) and then
     * runs swap descent: while some exchange of a held and an unheld asset lowers the objective,
     * make the best one. The solver's own answer stays visible in {@link PortfolioSolution#raw()}.
     *
     * @param k the number of assets to hold, {@code 1 <= k <= n}
     * @param solver the QUBO solver
     * @param polish whether to repair and swap-polish the solver's selection
     * @return the equal-weight portfolio of the (polished) selection
     */
    public PortfolioSolution selectAssets(int k, QuboSolver solver, boolean polish) {
        return selectAssets(k, solver, polish, null);
    }

    /**
     * {@link #selectAssets(int, QuboSolver, boolean)} with progress.
     *
     * @param k the number of assets to hold, {@code 1 <= k <= n}
     * @param solver the QUBO solver
     * @param polish whether to repair and swap-polish the solver's selection
     * @param readsDone progress callback, see {@link QuboSolver#solve(QuboModel, java.util.function.IntConsumer)}; may be null
     * @return the equal-weight portfolio of the (polished) selection
     */
    public PortfolioSolution selectAssets(int k, QuboSolver solver, boolean polish, java.util.function.IntConsumer readsDone) {
        long t0 = System.nanoTime();
        QuboModel model = selectionModel(k);
        SolverResult r = solver.solve(model, readsDone);
        PortfolioSolution raw = fromSelection(solver.name(), r.assignment(), k, r, System.nanoTime() - t0, null);
        if (!polish) {
            return raw;
        }
        byte[] x = SwapPolish.polish(problem, r.assignment(), k, riskAversion / k);
        return fromSelection(solver.name(), x, k, r, System.nanoTime() - t0, raw);
    }

    /**
     * @param k the number of assets to hold
     * @return the exact optimum of the discrete problem by enumeration of all K-subsets
     */
    public PortfolioSolution selectAssetsExactly(int k) {
        long t0 = System.nanoTime();
        byte[] x = ExactSelection.solve(problem, k, riskAversion / k);
        return fromSelection("exact", x, k, null, System.nanoTime() - t0, null);
    }

    /**
     * @param bits bits per asset
     * @param solver the QUBO solver
     * @return the multi-bit portfolio (weights renormalised to sum 1 only for reporting return and risk if infeasible: see {@code feasible})
     */
    public PortfolioSolution allocate(int bits, QuboSolver solver) {
        long t0 = System.nanoTime();
        SolverResult r = solver.solve(PortfolioQubo.weights(problem, bits, riskAversion));
        double[] w = PortfolioQubo.decodeWeights(r.assignment(), bits);
        return solution(solver.name(), w, PortfolioQubo.weightsFeasible(r.assignment(), bits), r, System.nanoTime() - t0);
    }

    /** @return the continuous long-only fully invested optimum (ojalgo QP) */
    public PortfolioSolution classical() {
        long t0 = System.nanoTime();
        double[] w = MeanVarianceQp.optimum(problem, riskAversion);
        return solution("qp", w, true, null, System.nanoTime() - t0);
    }

    /**
     * @param w weights
     * @return {@code q w'Sw - mu'w}
     */
    public double objective(double[] w) {
        return problem.objective(w, riskAversion);
    }

    private PortfolioSolution fromSelection(String method, byte[] x, int k, SolverResult r, long nanos, PortfolioSolution raw) {
        int held = 0;
        for (byte b : x) {
            held += b;
        }
        double[] w = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            w[i] = x[i] != 0 ? 1.0 / k : 0;
        }
        return new PortfolioSolution(method, w, problem.expectedReturn(w), problem.variance(w), objective(w), held == k, r, nanos, raw);
    }

    private PortfolioSolution solution(String method, double[] w, boolean feasible, SolverResult r, long nanos) {
        return new PortfolioSolution(method, w, problem.expectedReturn(w), problem.variance(w), objective(w), feasible, r, nanos, null);
    }
}
