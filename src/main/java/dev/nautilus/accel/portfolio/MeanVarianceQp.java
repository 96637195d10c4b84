package dev.nautilus.accel.portfolio;

import org.ojalgo.optimisation.Expression;
import org.ojalgo.optimisation.ExpressionsBasedModel;
import org.ojalgo.optimisation.Optimisation;
import org.ojalgo.optimisation.Variable;

/**
 * The classical continuous mean-variance optimum (long-only, fully invested), solved by ojalgo's
 * convex (active-set) QP solver, so every discrete QUBO answer can be compared with it:
 * <ul>
 *   <li>{@link #optimum}: minimise {@code q w'Sw - mu'w} subject to {@code sum w = 1, w >= 0};</li>
 *   <li>{@link #minimumVariance}: minimise {@code w'Sw} subject to {@code mu'w = r, sum w = 1, w >= 0}
 *       (a point of the efficient frontier).</li>
 * </ul>
 * The covariance is scaled to unit largest entry before solving (ojalgo works to a fixed
 * number of significant digits), and the answer is clipped at 0 and renormalised.
 *
 * <p>Stateless and thread-safe; each call builds its own ojalgo model.
 */
public final class MeanVarianceQp {
    private MeanVarianceQp() {}

    /**
     * @param problem the assets
     * @param riskAversion {@code q >= 0}
     * @return the optimal weights
     * @throws IllegalArgumentException for a negative or non-finite risk aversion
     * @throws IllegalStateException if the solver reports no optimum
     */
    public static double[] optimum(PortfolioProblem problem, double riskAversion) {
        if (!(riskAversion >= 0) || Double.isInfinite(riskAversion)) {
            throw new IllegalArgumentException("risk aversion must be a finite number >= 0, got " + riskAversion);
        }
        return solve(problem, riskAversion, Double.NaN);
    }

    /**
     * @param problem the assets
     * @param targetReturn the required expected return, between the smallest and largest asset return
     * @return the minimum-variance weights with that return
     * @throws IllegalArgumentException if the target is outside the reachable range
     * @throws IllegalStateException if the solver reports no optimum
     */
    public static double[] minimumVariance(PortfolioProblem problem, double targetReturn) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < problem.size(); i++) {
            lo = Math.min(lo, problem.expectedReturn(i));
            hi = Math.max(hi, problem.expectedReturn(i));
        }
        if (!(targetReturn >= lo && targetReturn <= hi)) {
            throw new IllegalArgumentException("target return " + targetReturn + " is not reachable long-only: it must be in ["
                    + lo + ", " + hi + "]");
        }
        return solve(problem, 1, targetReturn);
    }

    private static double[] solve(PortfolioProblem problem, double q, double target) {
        int n = problem.size();
        double scale = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                scale = Math.max(scale, Math.abs(problem.covariance(i, j)));
            }
        }
        if (scale == 0) {
            scale = 1;
        }
        double muScale = 0;
        for (int i = 0; i < n; i++) {
            muScale = Math.max(muScale, Math.abs(problem.expectedReturn(i)));
        }
        if (muScale == 0) {
            muScale = 1;
        }
        ExpressionsBasedModel model = new ExpressionsBasedModel();
        Variable[] w = new Variable[n];
        for (int i = 0; i < n; i++) {
            w[i] = model.addVariable("w" + i).lower(0).upper(1);
        }
        Expression budget = model.addExpression("budget").level(1);
        for (int i = 0; i < n; i++) {
            budget.set(w[i], 1);
        }
        boolean frontier = !Double.isNaN(target);
        if (frontier) {
            Expression ret = model.addExpression("return").level(target / muScale);
            for (int i = 0; i < n; i++) {
                ret.set(w[i], problem.expectedReturn(i) / muScale);
            }
        }
        // objective in scaled units: (q S / scale) w.w - (mu / scale) w   (same minimiser)
        Expression obj = model.addExpression("objective").weight(1);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = q * problem.covariance(i, j) / scale;
                if (v != 0) {
                    obj.set(i, j, v);
                }
            }
            if (!frontier && problem.expectedReturn(i) != 0) {
                obj.set(w[i], -problem.expectedReturn(i) / scale);
            }
        }
        Optimisation.Result result = model.minimise();
        if (!result.getState().isOptimal()) {
            throw new IllegalStateException("the QP solver (ojalgo) found no optimum: state " + result.getState()
                    + (frontier ? " for target return " + target : ""));
        }
        double[] out = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            out[i] = Math.max(0, result.doubleValue(i));
            sum += out[i];
        }
        for (int i = 0; i < n; i++) {
            out[i] /= sum;
        }
        return out;
    }
}
