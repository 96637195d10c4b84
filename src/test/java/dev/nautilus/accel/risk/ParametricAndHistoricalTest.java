package dev.nautilus.accel.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ParametricAndHistoricalTest {
    @Test
    void shouldEqualTheClosedFormTo1eMinus12() {
        MarketModel m = RiskTestData.port1Model();
        double[] w = MarketModel.equalWeights(31);
        double mean = 0;
        double var = 0;
        double[] mu = m.mean();
        double[][] c = m.covariance();
        for (int i = 0; i < 31; i++) {
            mean += w[i] * mu[i];
            for (int j = 0; j < 31; j++) {
                var += w[i] * c[i][j] * w[j];
            }
        }
        double sd = Math.sqrt(var);
        double[] levels = {0.95, 0.975, 0.99};
        double[] z = {1.6448536269514722, 1.9599639845400542, 2.3263478740408408};
        RiskResult r = new ParametricEngine(m, w).estimate(levels);
        for (int k = 0; k < 3; k++) {
            double phi = Math.exp(-0.5 * z[k] * z[k]) / Math.sqrt(2 * Math.PI);
            double expectedVar = -mean + sd * z[k];
            double expectedEs = -mean + sd * phi / (1 - levels[k]);
            RiskEstimate e = r.estimates().get(k);
            assertEquals(levels[k], e.level());
            assertEquals(1, e.valueAtRisk() / expectedVar, 1e-12);
            assertEquals(1, e.expectedShortfall() / expectedEs, 1e-12);
            assertEquals(0, e.valueAtRiskStdError());
        }
    }

    @Test
    void shouldRejectLevelsOutsideTheOpenInterval() {
        ParametricEngine p = new ParametricEngine(RiskTestData.port1Model(), MarketModel.equalWeights(31));
        for (double a : new double[] {0, 1, 1.2, -0.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.estimate(0.95, a));
            assertEquals("confidence level " + a + " is outside (0, 1); use e.g. 0.95, 0.975 or 0.99", e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> p.estimate());
    }

    /** Losses 1..10 (P&L -1..-10), shuffled. */
    private static final double[] PNL = {-3, -10, -1, -7, -5, -2, -9, -4, -8, -6};

    @Test
    void shouldMatchHandComputedQuantilesForEachConvention() {
        // level 0.9, n = 10: type 1 -> L(9) = 9; Hazen h = 9.5 -> 9.5; type 7 h = 9.1 -> 9.1
        assertEquals(9.0, HistoricalEngine.of(PNL, QuantileConvention.EMPIRICAL).estimate(0.9).at(0.9).valueAtRisk(), 1e-12);
        assertEquals(9.5, HistoricalEngine.of(PNL, QuantileConvention.HAZEN).estimate(0.9).at(0.9).valueAtRisk(), 1e-12);
        assertEquals(9.1, HistoricalEngine.of(PNL, QuantileConvention.LINEAR).estimate(0.9).at(0.9).valueAtRisk(), 1e-12);
        // level 0.75: type 1 ceil(7.5) = 8 -> 8; Hazen h = 8 -> 8; type 7 h = 7.75 -> 7.75
        assertEquals(8.0, HistoricalEngine.of(PNL, QuantileConvention.EMPIRICAL).estimate(0.75).at(0.75).valueAtRisk(), 1e-12);
        assertEquals(8.0, HistoricalEngine.of(PNL, QuantileConvention.HAZEN).estimate(0.75).at(0.75).valueAtRisk(), 1e-12);
        assertEquals(7.75, HistoricalEngine.of(PNL, QuantileConvention.LINEAR).estimate(0.75).at(0.75).valueAtRisk(), 1e-12);
        // ES at 0.75: tail mass 2.5 = 10 + 9 + half of 8 -> (10 + 9 + 4) / 2.5 = 9.2, for every convention
        for (QuantileConvention c : QuantileConvention.values()) {
            assertEquals(9.2, HistoricalEngine.of(PNL, c).estimate(0.75).at(0.75).expectedShortfall(), 1e-12);
        }
    }

    @Test
    void shouldRescaleByTheEwmaVolatilityInFilteredHistoricalSimulation() {
        double[] pnl = new double[60];
        for (int i = 0; i < 60; i++) {
            pnl[i] = (i % 2 == 0 ? 1 : -1) * (i < 40 ? 0.01 : 0.04);
        }
        double[] scaled = HistoricalEngine.scale(pnl, 0.94);
        // the quiet early losses are scaled up towards today's higher volatility
        assertTrue(Math.abs(scaled[1]) > 0.02, Double.toString(scaled[1]));
        // plain: 10 losses of 0.04 then 20 of 0.01 among 60 days, so the 0.75 VaR (45th of 60) is 0.01
        RiskEstimate plain = HistoricalEngine.of(pnl, QuantileConvention.EMPIRICAL).estimate(0.75).at(0.75);
        assertEquals(0.01, plain.valueAtRisk(), 1e-15);
        RiskEstimate filtered = HistoricalEngine.filtered(pnl, 0.94, QuantileConvention.EMPIRICAL).estimate(0.75).at(0.75);
        assertTrue(filtered.valueAtRisk() > 0.02, filtered + " vs " + plain);
    }

    @Test
    void shouldRejectTooFewObservationsAndNaN() {
        IllegalArgumentException few = assertThrows(IllegalArgumentException.class,
                () -> HistoricalEngine.of(PNL, QuantileConvention.EMPIRICAL).estimate(0.95));
        assertEquals("too few observations for the 0.95 level: 10 observations leave 0.50 beyond it, at least 1 are needed;"
                + " use at least 20 observations", few.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> HistoricalEngine.of(new double[] {1, Double.NaN}, QuantileConvention.EMPIRICAL));
        assertEquals("P&L observation 2 is NaN; remove or repair non-finite values (NaN in data?)", nan.getMessage());
    }
}
