package dev.nautilus.accel.risk;

/**
 * A linear portfolio: P&amp;L = w . r, with w the value held in each asset (fractions of the
 * portfolio, or currency) and r the asset returns. Immutable and thread-safe.
 */
public final class LinearPortfolio implements PortfolioPnl {
    private final double[] weights;

    /**
     * @param weights value held per asset; copied
     * @throws IllegalArgumentException if a weight is not finite
     */
    public LinearPortfolio(double[] weights) {
        for (int i = 0; i < weights.length; i++) {
            if (!Double.isFinite(weights[i])) {
                throw new IllegalArgumentException("weight " + (i + 1) + " is " + weights[i] + "; weights must be finite numbers");
            }
        }
        this.weights = weights.clone();
    }

    @Override
    public int dimension() {
        return weights.length;
    }

    /** @return a copy of the weights */
    public double[] weights() {
        return weights.clone();
    }

    @Override
    public double pnl(double[] returns) {
        double s = 0;
        for (int i = 0; i < weights.length; i++) {
            s += weights[i] * returns[i];
        }
        return s;
    }
}
