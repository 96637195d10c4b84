package dev.nautilus.accel.portfolio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class PortfolioOptimizerTest {
    @Test
    void shouldReproducePointsOfThePublishedPort1FrontierTo1e6RelativeVariance() {
        PortfolioProblem p = TestData.port1();
        EfficientFrontier f = EfficientFrontier.load(TestData.file("portef1.txt"));
        for (int k = 0; k < f.size(); k += 111) {
            double[] w = MeanVarianceQp.minimumVariance(p, f.returns()[k]);
            double sum = 0;
            for (double v : w) {
                assertTrue(v >= 0, "long-only");
                sum += v;
            }
            assertEquals(1, sum, 1e-12);
            assertEquals(f.returns()[k], p.expectedReturn(w), 1e-9 * f.returns()[k], "return of point " + k);
            assertEquals(f.variances()[k], p.variance(w), 1e-6 * f.variances()[k], "variance of frontier point " + k);
        }
    }

    @Test
    void shouldGiveAClassicalOptimumNoDiscretePortfolioBeats() {
        PortfolioOptimizer opt = new PortfolioOptimizer(TestData.port1(), 2.0);
        PortfolioSolution qp = opt.classical();
        assertEquals("qp", qp.method());
        assertTrue(qp.feasible());
        Xoshiro256 r = new Xoshiro256(3);
        for (int t = 0; t < 2000; t++) {
            double[] w = new double[31];
            double sum = 0;
            for (int i = 0; i < 31; i++) {
                w[i] = r.nextDouble() < 0.3 ? r.nextDouble() : 0;
                sum += w[i];
            }
            if (sum == 0) {
                continue;
            }
            for (int i = 0; i < 31; i++) {
                w[i] /= sum;
            }
            assertTrue(opt.objective(w) >= qp.objective() - 1e-12, "random portfolio beats the QP optimum");
        }
        PortfolioSolution exact = opt.selectAssetsExactly(5);
        assertTrue(exact.objective() >= qp.objective(), "a 5-asset portfolio cannot beat the continuous optimum");
    }

    @Test
    void shouldReturnAFeasiblePortfolioWithin0Point1PercentOfTheExactOptimumForEverySeed() {
        PortfolioOptimizer opt = new PortfolioOptimizer(TestData.port1(), 2.0);
        int k = 6;
        PortfolioSolution exact = opt.selectAssetsExactly(k);
        assertTrue(exact.feasible());
        assertEquals(k, exact.holdings());
        double exact10 = opt.selectAssetsExactly(10).objective();
        for (long seed = 1; seed <= 5; seed++) {
            // the solver alone (no polish) at 10,000 sweeps
            PortfolioSolution raw = opt.selectAssets(k, new SimulatedAnnealing(16, 10_000, seed, 2), false);
            assertTrue(raw.feasible(), "seed " + seed + ": infeasible");
            assertTrue(raw.raw() == null);
            double gap = (raw.objective() - exact.objective()) / Math.abs(exact.objective());
            assertTrue(gap <= 1e-3, "seed " + seed + ": gap " + gap);
            assertEquals("sa", raw.method());
            assertEquals(16, raw.solver().reads());
            assertEquals(raw.expectedReturn(), TestData.port1().expectedReturn(raw.weights()), 1e-15);
            // with the swap polish, 1,000 sweeps and K = 10 (where SA alone misses)
            PortfolioSolution polished = opt.selectAssets(10, new SimulatedAnnealing(16, 1_000, seed, 2));
            assertTrue(polished.feasible());
            assertEquals(exact10, polished.objective(), 1e-3 * Math.abs(exact10), "seed " + seed);
            assertTrue(polished.raw() != null, "the solver's own answer is kept");
            if (polished.raw().feasible()) {
                assertTrue(polished.objective() <= polished.raw().objective() + 1e-15, "polish never makes a feasible answer worse");
            }
        }
    }

    @Test
    void shouldRepairAndPolishAnySelectionToAFeasibleLocalOptimum() {
        PortfolioProblem p = TestData.port1();
        Xoshiro256 r = new Xoshiro256(8);
        for (int t = 0; t < 50; t++) {
            byte[] x = new byte[31];
            for (int i = 0; i < 31; i++) {
                x[i] = (byte) (r.nextDouble() < 0.5 ? 1 : 0);
            }
            byte[] y = SwapPolish.polish(p, x, 5, 0.4);
            int held = 0;
            for (byte b : y) {
                held += b;
            }
            assertEquals(5, held);
            double[] yd = new double[31];
            for (int i = 0; i < 31; i++) {
                yd[i] = y[i];
            }
            double f = p.objective(yd, 0.4);
            for (int out = 0; out < 31; out++) {
                for (int in = 0; in < 31; in++) {
                    if (y[out] == 1 && y[in] == 0) {
                        yd[out] = 0;
                        yd[in] = 1;
                        assertTrue(p.objective(yd, 0.4) >= f - 1e-15, "an improving swap remains");
                        yd[out] = 1;
                        yd[in] = 0;
                    }
                }
            }
        }
    }

    @Test
    void shouldAllocateMultiBitWeightsThatSumToOne() {
        PortfolioProblem p = TestData.port1().subset(new int[] {0, 3, 5, 8, 12, 19});
        PortfolioOptimizer opt = new PortfolioOptimizer(p, 2.0);
        PortfolioSolution s = opt.allocate(3, new SimulatedAnnealing(32, 2000, 4, 2));
        assertTrue(s.feasible());
        double sum = 0;
        for (double w : s.weights()) {
            sum += w;
        }
        assertEquals(1, sum, 1e-12);
        SolverResult exact = new ExhaustiveSolver().solve(PortfolioQubo.weights(p, 3, 2.0));
        assertEquals(exact.energy(), s.objective(), 1e-9 * Math.abs(exact.energy()), "SA finds the 18-variable optimum");
    }

    @Test
    void shouldRejectBadRiskAversionAndUnreachableReturns() {
        IllegalArgumentException q = assertThrows(IllegalArgumentException.class, () -> new PortfolioOptimizer(TestData.port1(), Double.NaN));
        assertEquals("risk aversion must be a finite number >= 0, got NaN", q.getMessage());
        IllegalArgumentException r = assertThrows(IllegalArgumentException.class, () -> MeanVarianceQp.minimumVariance(TestData.port1(), 0.5));
        assertTrue(r.getMessage().startsWith("target return 0.5 is not reachable long-only"), r.getMessage());
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class,
                () -> new PortfolioOptimizer(TestData.port1(), 1).selectAssets(40, new SimulatedAnnealing(1, 1, 1, 1)));
        assertTrue(k.getMessage().startsWith("number of assets K = 40 is out of range"), k.getMessage());
    }
}
