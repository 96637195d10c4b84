package dev.nautilus.accel.risk;

/**
 * Full revaluation of a portfolio: its profit and loss for one scenario of asset returns. The
 * simulation engines call it once per scenario, from several threads at once.
 *
 * <p>Implementations must be thread-safe (stateless, or immutable state) and should not allocate:
 * they run in the simulation hot loop.
 */
public interface PortfolioPnl {
    /** @return the number of asset returns a scenario holds */
    int dimension();

    /**
     * @param returns one scenario of asset returns, length {@link #dimension()}; read only, owned
     *     by the caller and reused for the next scenario
     * @return the portfolio's profit (negative: loss) in the units of its weights
     */
    double pnl(double[] returns);
}
