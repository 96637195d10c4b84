package dev.nautilus.accel.risk;

/**
 * A delta-gamma (quadratic) portfolio, e.g. options: P&amp;L = delta . r + 1/2 r^T Gamma r, with
 * delta the first and Gamma the (symmetric) second derivatives of value with respect to the asset
 * returns. A zero Gamma is a linear portfolio. Immutable and thread-safe; {@link #pnl} does not
 * allocate.
 */
public final class DeltaGammaPortfolio implements PortfolioPnl {
    private final double[] delta;
    private final double[][] gamma;

    /**
     * @param delta first derivatives, one per asset; copied
     * @param gamma second derivatives, n x n symmetric; copied
     * @throws IllegalArgumentException on a dimension mismatch, asymmetry or non-finite entries
     */
    public DeltaGammaPortfolio(double[] delta, double[][] gamma) {
        int n = delta.length;
        if (gamma.length != n) {
            throw new IllegalArgumentException("dimension mismatch: " + n + " deltas but a " + gamma.length + "-row gamma matrix");
        }
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(delta[i])) {
                throw new IllegalArgumentException("delta " + (i + 1) + " is " + delta[i] + "; it must be finite");
            }
            if (gamma[i].length != n) {
                throw new IllegalArgumentException("dimension mismatch: gamma row " + (i + 1) + " has " + gamma[i].length
                        + " entries, expected " + n);
            }
            for (int j = 0; j < n; j++) {
                if (!Double.isFinite(gamma[i][j])) {
                    throw new IllegalArgumentException("gamma[" + (i + 1) + "][" + (j + 1) + "] is " + gamma[i][j] + "; it must be finite");
                }
                if (Math.abs(gamma[i][j] - gamma[j][i]) > 1e-12 * Math.max(1e-300, Math.abs(gamma[i][j]))) {
                    throw new IllegalArgumentException("gamma is not symmetric at [" + (i + 1) + "][" + (j + 1) + "]");
                }
            }
        }
        this.delta = delta.clone();
        this.gamma = Matrices.copy(gamma);
    }

    /**
     * @param weights value held per asset
     * @return the linear portfolio with those weights as deltas and a zero gamma
     */
    public static DeltaGammaPortfolio linear(double[] weights) {
        return new DeltaGammaPortfolio(weights, new double[weights.length][weights.length]);
    }

    @Override
    public int dimension() {
        return delta.length;
    }

    /** @return a copy of the deltas */
    public double[] delta() {
        return delta.clone();
    }

    /** @return a copy of the gamma matrix */
    public double[][] gamma() {
        return Matrices.copy(gamma);
    }

    @Override
    public double pnl(double[] r) {
        int n = delta.length;
        double lin = 0;
        double quad = 0;
        for (int i = 0; i < n; i++) {
            lin += delta[i] * r[i];
            double[] gi = gamma[i];
            double row = 0;
            for (int j = 0; j < n; j++) {
                row += gi[j] * r[j];
            }
            quad += r[i] * row;
        }
        return lin + 0.5 * quad;
    }
}
