package dev.nautilus.accel.risk;

import dev.nautilus.accel.testutil.Allocations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The per-scenario building blocks of the simulation loops allocate nothing once compiled. */
@Timeout(60)
class HotPathAllocationTest {
    @Test
    void shouldEvaluateTheClosedFormAndTheNormalFunctionsWithoutAllocating() {
        Allocations.assertNoAllocation("ParametricEngine.valueAtRisk/expectedShortfall", () -> {
            double s = 0;
            for (int i = 0; i < 50_000; i++) {
                double level = 0.9 + (i & 63) * 1e-3;
                s += ParametricEngine.valueAtRisk(0.001, 0.03, level) + ParametricEngine.expectedShortfall(0.001, 0.03, level)
                        + NormalDistribution.cdf(-4 + (i & 127) * 0.0625);
            }
            return (long) s;
        });
    }

    @Test
    void shouldGenerateSobolPointsAndRevaluePortfoliosWithoutAllocating() {
        int n = 31;
        SobolSequence seq = SobolSequence.scrambled(n, 5, true);
        int[] state = new int[n];
        double[] u = new double[n];
        double[] w = MarketModel.equalWeights(n);
        LinearPortfolio linear = new LinearPortfolio(w);
        double[][] gamma = new double[n][n];
        for (int i = 0; i < n; i++) {
            gamma[i][i] = -0.5;
        }
        DeltaGammaPortfolio dg = new DeltaGammaPortfolio(w, gamma);
        Allocations.assertNoAllocation("SobolSequence.fill + PortfolioPnl.pnl", () -> {
            double s = 0;
            seq.seek(0, state);
            for (int i = 0; i < 20_000; i++) {
                seq.fill(i, state, u);
                s += linear.pnl(u) + dg.pnl(u);
            }
            return (long) (s * 1000);
        });
    }
}
