package dev.nautilus.accel.risk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Monte Carlo and randomised quasi-Monte Carlo against the closed form on port1, equal weights. */
@Timeout(60)
class SimulationEnginesTest {
    private static final double LEVEL = 0.975;
    private final MarketModel model = RiskTestData.port1Model();
    private final double[] w = MarketModel.equalWeights(31);
    private final ParametricEngine exact = new ParametricEngine(model, w);

    private double mcRmse(int n, int reps) {
        double exactVar = exact.estimate(LEVEL).at(LEVEL).valueAtRisk();
        double s = 0;
        for (int r = 0; r < reps; r++) {
            RiskEstimate e = new MonteCarloEngine(model, new LinearPortfolio(w), n, 1000 + r, 2, Double.POSITIVE_INFINITY)
                    .estimate(LEVEL).at(LEVEL);
            s += Math.pow(e.valueAtRisk() - exactVar, 2);
        }
        return Math.sqrt(s / reps);
    }

    /** Asymptotic standard error of a sample quantile: sqrt(a (1 - a) / N) / f(q). */
    private double theoreticalSe(int n) {
        double z = NormalDistribution.inverseCdf(LEVEL);
        double density = NormalDistribution.pdf(z) / exact.portfolioSd();
        return Math.sqrt(LEVEL * (1 - LEVEL) / n) / density;
    }

    @Test
    void shouldHaveMonteCarloErrorsAsTheoryPredictsAndShrinkingLikeOneOverRootN() {
        int n = 4096;
        double rmse = mcRmse(n, 200);
        double ratio = rmse / theoreticalSe(n);
        assertTrue(ratio > 0.8 && ratio < 1.2, "RMSE / theoretical SE = " + ratio);
        double rmse4 = mcRmse(4 * n, 60);
        double shrink = rmse / rmse4;
        assertTrue(shrink > 1.6 && shrink < 2.5, "error at N / error at 4N = " + shrink + ", expected about 2");
        RiskEstimate one = new MonteCarloEngine(model, new LinearPortfolio(w), n, 5, 1, Double.POSITIVE_INFINITY).estimate(LEVEL).at(LEVEL);
        double reported = one.valueAtRiskStdError() / theoreticalSe(n);
        assertTrue(reported > 0.7 && reported < 1.3, "reported SE / theoretical = " + reported);
    }

    @Test
    void shouldGiveTheSameAnswerForAnyThreadCount() {
        MonteCarloEngine one = new MonteCarloEngine(model, new LinearPortfolio(w), 20_000, 42, 1, Double.POSITIVE_INFINITY);
        MonteCarloEngine two = new MonteCarloEngine(model, new LinearPortfolio(w), 20_000, 42, 2, Double.POSITIVE_INFINITY);
        assertArrayEquals(one.simulateLosses(), two.simulateLosses());
    }

    @Test
    void shouldSampleStudentTWithTheModelCovariance() {
        MarketModel single = new MarketModel("one", new double[] {0}, new double[][] {{0.0004}});
        double nu = 5;
        RiskEstimate e = new MonteCarloEngine(single, new LinearPortfolio(new double[] {1}), 400_000, 3, 2, nu).estimate(0.99).at(0.99);
        // t(5) 0.99 quantile 3.36493, scaled to sd 0.02: 0.02 * sqrt(3/5) * 3.36493
        double expected = 0.02 * Math.sqrt(3.0 / 5) * 3.364929998907;
        assertEquals(expected, e.valueAtRisk(), 4 * e.valueAtRiskStdError());
        assertTrue(e.valueAtRisk() > 0.02 * 2.3263 * 1.02, "fatter tail than the normal");
    }

    @Test
    void shouldRevalueADeltaGammaPortfolioInFull() {
        // one asset, short gamma: loss = 1/2 g r^2, r ~ N(0, s^2), so VaR(a) = 1/2 g (s z((1 + a) / 2))^2
        double s = 0.02;
        double g = 50;
        MarketModel single = new MarketModel("one", new double[] {0}, new double[][] {{s * s}});
        DeltaGammaPortfolio shortGamma = new DeltaGammaPortfolio(new double[] {0}, new double[][] {{-g}});
        assertEquals(-0.5 * g * 0.01 * 0.01, shortGamma.pnl(new double[] {0.01}), 1e-18);
        double level = 0.99;
        double exactVar = 0.5 * g * Math.pow(s * NormalDistribution.inverseCdf((1 + level) / 2), 2);
        RiskEstimate mc = new MonteCarloEngine(single, shortGamma, 200_000, 8, 2, Double.POSITIVE_INFINITY).estimate(level).at(level);
        assertEquals(exactVar, mc.valueAtRisk(), 4 * mc.valueAtRiskStdError(), mc.toString());
        RiskEstimate q = new QuasiMonteCarloEngine(single, shortGamma, 1 << 16, 8, 8, 2, QuasiMonteCarloEngine.Ordering.GRADIENT, true)
                .estimate(level).at(level);
        assertEquals(exactVar, q.valueAtRisk(), 4 * q.valueAtRiskStdError() + 1e-12, q.toString());
        RiskEstimate is = new ImportanceSamplingEngine(single, shortGamma, null, 50_000, 8, 2).estimate(0.999).at(0.999);
        double exactFar = 0.5 * g * Math.pow(s * NormalDistribution.inverseCdf((1 + 0.999) / 2), 2);
        assertEquals(exactFar, is.valueAtRisk(), 4 * is.valueAtRiskStdError(), is.toString());
    }

    @Test
    void shouldBeatMonteCarloWithScrambledSobolAtEqualN() {
        double exactVar = exact.estimate(LEVEL).at(LEVEL).valueAtRisk();
        double exactEs = exact.estimate(LEVEL).at(LEVEL).expectedShortfall();
        int n = 1 << 14;
        int reps = 16;
        double mcVar = 0;
        double mcEs = 0;
        double qVar = 0;
        double qEs = 0;
        double gVar = 0;
        for (int r = 0; r < reps; r++) {
            RiskEstimate mc = new MonteCarloEngine(model, new LinearPortfolio(w), n, 77 + r, 2, Double.POSITIVE_INFINITY)
                    .estimate(LEVEL).at(LEVEL);
            RiskEstimate q = new QuasiMonteCarloEngine(model, new LinearPortfolio(w), n, 8, 77 + r, 2,
                    QuasiMonteCarloEngine.Ordering.PCA, true).estimate(LEVEL).at(LEVEL);
            mcVar += Math.pow(mc.valueAtRisk() - exactVar, 2);
            mcEs += Math.pow(mc.expectedShortfall() - exactEs, 2);
            qVar += Math.pow(q.valueAtRisk() - exactVar, 2);
            qEs += Math.pow(q.expectedShortfall() - exactEs, 2);
            RiskEstimate g = new QuasiMonteCarloEngine(model, new LinearPortfolio(w), n, 8, 77 + r, 2,
                    QuasiMonteCarloEngine.Ordering.GRADIENT, true).estimate(LEVEL).at(LEVEL);
            gVar += Math.pow(g.valueAtRisk() - exactVar, 2);
        }
        // the portfolio direction first makes a linear portfolio one-dimensional
        assertTrue(gVar < 0.1 * 0.1 * mcVar, "RQMC (gradient ordering) VaR RMSE / MC = " + Math.sqrt(gVar / mcVar));
        assertTrue(qVar < 0.6 * 0.6 * mcVar, "RQMC VaR RMSE / MC = " + Math.sqrt(qVar / mcVar));
        assertTrue(qEs < 0.3 * 0.3 * mcEs, "RQMC ES RMSE / MC = " + Math.sqrt(qEs / mcEs));
    }

    @Test
    void shouldConvergeLikeOneOverNInOneDimension() {
        MarketModel oneFactor = new MarketModel("one factor", new double[] {0.001}, new double[][] {{0.0009}});
        double exactVar = new ParametricEngine(oneFactor, new double[] {1}).estimate(0.99).at(0.99).valueAtRisk();
        int[] sizes = {1 << 12, 1 << 18};
        double[] rmse = new double[2];
        for (int k = 0; k < 2; k++) {
            double s = 0;
            for (int r = 0; r < 40; r++) {
                double v = new QuasiMonteCarloEngine(oneFactor, new LinearPortfolio(new double[] {1}), sizes[k], 4, 300 + r, 2,
                        QuasiMonteCarloEngine.Ordering.CHOLESKY, true).estimate(0.99).at(0.99).valueAtRisk();
                s += Math.pow(v / exactVar - 1, 2);
            }
            rmse[k] = Math.sqrt(s / 40);
        }
        double slope = Math.log(rmse[1] / rmse[0]) / Math.log(64);
        assertTrue(slope < -0.8, "log-log slope " + slope + " (MC would be -0.5)");
        assertTrue(rmse[1] < 1e-4, "relative RMSE at 2^18 = " + rmse[1]);
    }

    @Test
    void shouldProduceScrambledSobolPointsThatStillFormANet() {
        int m = 10;
        for (boolean lms : new boolean[] {false, true}) {
            SobolSequence seq = SobolSequence.scrambled(40, 9, lms);
            int[] state = new int[40];
            double[] u = new double[40];
            boolean[][] seen = new boolean[40][1 << m];
            int[][] pairs = new int[1 << 5][1 << 5];
            seq.seek(0, state);
            for (int i = 0; i < (1 << m); i++) {
                seq.fill(i, state, u);
                for (int j = 0; j < 40; j++) {
                    int cell = (int) (u[j] * (1 << m));
                    assertTrue(!seen[j][cell], "two points in one interval of dimension " + (j + 1));
                    seen[j][cell] = true;
                }
                pairs[(int) (u[0] * 32)][(int) (u[1] * 32)]++;
            }
            for (int[] row : pairs) {
                for (int c : row) {
                    assertEquals(1, c, "dimensions 1-2 form a (0, 10, 2)-net: one point per 1/32 x 1/32 box");
                }
            }
        }
        SobolSequence plain = SobolSequence.plain(3);
        int[] state = new int[3];
        double[] u = new double[3];
        plain.seek(1, state);
        plain.fill(1, state, u);
        assertEquals(0.5, u[0], 1e-9);
        assertEquals(0.5, u[1], 1e-9);
        plain.fill(2, state, u);
        assertEquals(0.75, u[0], 1e-9);
        assertEquals(0.25, u[1], 1e-9);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SobolSequence.plain(257));
        assertTrue(e.getMessage().startsWith("Sobol dimension 257 is out of range 1..256"), e.getMessage());
    }

    @Test
    void shouldRejectTooFewScenariosAndDimensionMismatches() {
        IllegalArgumentException few = assertThrows(IllegalArgumentException.class,
                () -> new MonteCarloEngine(model, new LinearPortfolio(w), 1000, 1, 1, Double.POSITIVE_INFINITY).estimate(0.999));
        assertEquals("too few scenarios for the 0.999 level: 1000 scenarios leave 1.00 beyond it, at least 10 are needed;"
                + " use at least 10000 scenarios", few.getMessage());
        IllegalArgumentException dim = assertThrows(IllegalArgumentException.class,
                () -> new QuasiMonteCarloEngine(model, new LinearPortfolio(new double[3]), 4096, 8, 1, 1,
                        QuasiMonteCarloEngine.Ordering.PCA, true));
        assertTrue(dim.getMessage().startsWith("dimension mismatch: the portfolio has 3 assets, the model "), dim.getMessage());
        IllegalArgumentException dof = assertThrows(IllegalArgumentException.class,
                () -> new MonteCarloEngine(model, new LinearPortfolio(w), 1000, 1, 1, 2));
        assertTrue(dof.getMessage().startsWith("Student-t degrees of freedom 2.0 must be > 2"), dof.getMessage());
    }
}
