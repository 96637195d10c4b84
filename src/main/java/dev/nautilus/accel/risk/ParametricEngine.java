package dev.nautilus.accel.risk;

import java.util.ArrayList;
import java.util.List;

/**
 * Delta-normal (parametric) VaR and ES in closed form. With portfolio P&amp;L ~ N(m, s^2),
 * m = w . mu, s = sqrt(w^T Sigma w), and z = Phi^-1(level):
 * VaR = -m + s z and ES = -m + s phi(z) / (1 - level). Standard errors are zero: the answer is
 * exact for the model. Immutable and thread-safe.
 */
public final class ParametricEngine implements RiskEngine {
    private final double mean;
    private final double sd;

    /**
     * @param model the return model
     * @param weights value held per asset
     * @throws IllegalArgumentException on a dimension mismatch or a non-finite weight
     */
    public ParametricEngine(MarketModel model, double[] weights) {
        this.mean = model.portfolioMean(weights);
        this.sd = model.portfolioSd(weights);
    }

    /** @return the portfolio P&amp;L mean w . mu */
    public double portfolioMean() {
        return mean;
    }

    /** @return the portfolio P&amp;L standard deviation sqrt(w^T Sigma w) */
    public double portfolioSd() {
        return sd;
    }

    /**
     * VaR from precomputed portfolio moments: the closed form alone, no allocation.
     *
     * @param mean portfolio P&amp;L mean
     * @param sd portfolio P&amp;L standard deviation
     * @param level confidence level in (0, 1)
     * @return -mean + sd Phi^-1(level)
     */
    public static double valueAtRisk(double mean, double sd, double level) {
        return -mean + sd * NormalDistribution.inverseCdf(level);
    }

    /**
     * ES from precomputed portfolio moments, no allocation.
     *
     * @param mean portfolio P&amp;L mean
     * @param sd portfolio P&amp;L standard deviation
     * @param level confidence level in (0, 1)
     * @return -mean + sd phi(Phi^-1(level)) / (1 - level)
     */
    public static double expectedShortfall(double mean, double sd, double level) {
        return -mean + sd * NormalDistribution.pdf(NormalDistribution.inverseCdf(level)) / (1 - level);
    }

    @Override
    public RiskResult estimate(double... levels) {
        RiskEngine.checkLevels(levels);
        List<RiskEstimate> out = new ArrayList<>(levels.length);
        for (double a : levels) {
            out.add(new RiskEstimate(a, valueAtRisk(mean, sd, a), 0, expectedShortfall(mean, sd, a), 0));
        }
        return new RiskResult("parametric", 0, out);
    }
}
