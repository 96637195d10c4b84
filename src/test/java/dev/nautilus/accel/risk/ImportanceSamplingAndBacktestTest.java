package dev.nautilus.accel.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ImportanceSamplingAndBacktestTest {
    @Test
    void shouldEstimateAFarTailProbabilityWithoutBiasAndTenfoldLessVariance() {
        MarketModel m = RiskTestData.port1Model();
        double[] w = MarketModel.equalWeights(31);
        ParametricEngine p = new ParametricEngine(m, w);
        double x = -p.portfolioMean() + p.portfolioSd() * NormalDistribution.inverseCdf(1 - 1e-3);
        ImportanceSamplingEngine is = new ImportanceSamplingEngine(m, DeltaGammaPortfolio.linear(w), null, 20_000, 11, 2);
        ImportanceSamplingEngine.TailProbability t = is.tailProbability(x);
        assertEquals(1e-3, t.probability(), 3 * t.stdError(), t.toString());
        assertTrue(t.varianceReduction() >= 10, t.toString());
        RiskEstimate far = is.estimate(0.999).at(0.999);
        double exactVar = p.estimate(0.999).at(0.999).valueAtRisk();
        assertEquals(exactVar, far.valueAtRisk(), 4 * far.valueAtRiskStdError() + 1e-9, far.toString());
    }

    @Test
    void shouldTwistAQuadraticLossExactly() {
        // one asset, short gamma: loss = 1/2 g r^2 with r ~ N(0, s^2), so P(L > x) = 2 Phi(-sqrt(2 x / g) / s)
        double s = 0.02;
        double g = 50;
        MarketModel m = new MarketModel("one", new double[] {0}, new double[][] {{s * s}});
        DeltaGammaPortfolio shortGamma = new DeltaGammaPortfolio(new double[] {0}, new double[][] {{-g}});
        double x = 0.5 * g * Math.pow(s * NormalDistribution.inverseCdf(1 - 5e-4), 2);
        double exact = 2 * NormalDistribution.cdf(-Math.sqrt(2 * x / g) / s);
        ImportanceSamplingEngine.TailProbability t = new ImportanceSamplingEngine(m, shortGamma, null, 20_000, 5, 2).tailProbability(x);
        assertEquals(exact, t.probability(), 3 * t.stdError(), t.toString());
        assertTrue(t.varianceReduction() >= 10, t.toString());
        assertTrue(t.theta() > 0, t.toString());
    }

    @Test
    void shouldCountExceptionsAndRunKupiecsTest() {
        double[] var = new double[250];
        double[] pnl = new double[250];
        java.util.Arrays.fill(var, 1.0);
        for (int i = 0; i < 250; i++) {
            pnl[i] = i % 50 == 7 ? -1.5 : 0.2; // 5 exceptions
        }
        int x = Backtest.exceptions(var, pnl);
        assertEquals(5, x);
        Backtest.Kupiec k = Backtest.kupiec(250, x, 0.99);
        // LR = -2 [245 ln 0.99 + 5 ln 0.01 - 245 ln 0.98 - 5 ln 0.02] = 1.9568
        assertEquals(1.9568, k.likelihoodRatio(), 1e-3);
        assertEquals(0.1619, k.pValue(), 1e-3);
        assertFalse(k.rejects(0.05));
        assertTrue(Backtest.kupiec(250, 12, 0.99).rejects(0.05));
        assertFalse(Backtest.kupiec(250, 2, 0.99).rejects(0.05));
        // too few exceptions is also a failure: none in 250 days gives LR = -500 ln 0.99 = 5.025
        assertEquals(5.025, Backtest.kupiec(250, 0, 0.99).likelihoodRatio(), 1e-3);
        assertTrue(Backtest.kupiec(250, 0, 0.99).rejects(0.05));
    }

    @Test
    void shouldClassifyTheBaselTrafficLight() {
        for (int x = 0; x <= 4; x++) {
            assertEquals(Backtest.Zone.GREEN, Backtest.trafficLight(250, x, 0.99), "exceptions " + x);
        }
        for (int x = 5; x <= 9; x++) {
            assertEquals(Backtest.Zone.YELLOW, Backtest.trafficLight(250, x, 0.99), "exceptions " + x);
        }
        for (int x = 10; x <= 20; x++) {
            assertEquals(Backtest.Zone.RED, Backtest.trafficLight(250, x, 0.99), "exceptions " + x);
        }
        assertEquals(0.0811, Backtest.cumulativeProbability(250, 0, 0.99), 1e-4);
        assertEquals(0.9588, Backtest.cumulativeProbability(250, 5, 0.99), 1e-4);
    }

    @Test
    void shouldRejectBadBacktestInput() {
        IllegalArgumentException len = assertThrows(IllegalArgumentException.class,
                () -> Backtest.exceptions(new double[3], new double[4]));
        assertEquals("dimension mismatch: 3 VaR forecasts but 4 P&L observations; give one forecast per day", len.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> Backtest.exceptions(new double[] {1}, new double[] {Double.NaN}));
        assertEquals("day 1 has VaR 1.0 and P&L NaN; both must be finite (NaN in data?)", nan.getMessage());
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () -> Backtest.kupiec(10, 11, 0.99));
        assertEquals("exceptions 11 must be in 0..10", count.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Backtest.trafficLight(250, 3, 1.0));
    }
}
