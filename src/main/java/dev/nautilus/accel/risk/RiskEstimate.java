package dev.nautilus.accel.risk;

/**
 * Value at risk and expected shortfall at one confidence level, as losses (positive = money
 * lost), in the units of the portfolio weights, with standard errors of the estimates.
 *
 * @param level confidence level, e.g. 0.99
 * @param valueAtRisk the level-quantile of the loss
 * @param valueAtRiskStdError standard error of {@code valueAtRisk} (0 for closed forms)
 * @param expectedShortfall mean loss beyond the VaR, E[L | L &gt;= VaR]
 * @param expectedShortfallStdError standard error of {@code expectedShortfall} (0 for closed forms)
 */
public record RiskEstimate(double level, double valueAtRisk, double valueAtRiskStdError,
        double expectedShortfall, double expectedShortfallStdError) {
}
