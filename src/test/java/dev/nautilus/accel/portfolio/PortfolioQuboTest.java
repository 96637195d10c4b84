package dev.nautilus.accel.portfolio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class PortfolioQuboTest {
    private static final double Q = 2.0;

    private static int[] randomSubset(Xoshiro256 r, int n, int size) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        for (int i = 0; i < size; i++) {
            int j = i + r.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return java.util.Arrays.copyOf(all, size);
    }

    private static void assertRelative(double expected, double actual, double rel, String what) {
        assertEquals(expected, actual, rel * Math.max(Math.abs(expected), 1e-300), what);
    }

    @Test
    void shouldEqualThePortfolioObjectivePlusPenaltyForEverySelection() {
        PortfolioProblem p = TestData.port1().subset(randomSubset(new Xoshiro256(1), 31, 12));
        int k = 4;
        double a = PortfolioQubo.selectionPenalty(p, k, Q);
        QuboModel q = PortfolioQubo.selection(p, k, Q);
        for (long code = 0; code < 1L << 12; code++) {
            byte[] x = TestData.bits(code, 12);
            double[] xd = new double[12];
            int held = 0;
            for (int i = 0; i < 12; i++) {
                xd[i] = x[i];
                held += x[i];
            }
            double expected = Q * p.variance(xd) - p.expectedReturn(xd) + a * (held - k) * (held - k);
            assertRelative(expected, q.energy(x), 1e-12, "selection " + code);
        }
    }

    @Test
    void shouldEqualThePortfolioObjectivePlusPenaltyForEveryMultiBitAssignment() {
        PortfolioProblem p = TestData.port1().subset(new int[] {0, 4, 9, 20});
        int bits = 3;
        double a = PortfolioQubo.weightsPenalty(p, bits, Q);
        QuboModel q = PortfolioQubo.weights(p, bits, Q);
        assertEquals(12, q.size());
        for (long code = 0; code < 1L << 12; code++) {
            byte[] x = TestData.bits(code, 12);
            double[] w = PortfolioQubo.decodeWeights(x, bits);
            double sum = 0;
            for (double v : w) {
                sum += v;
            }
            double expected = Q * p.variance(w) - p.expectedReturn(w) + a * (sum - 1) * (sum - 1);
            assertRelative(expected, q.energy(x), 1e-12, "weights " + code);
            assertEquals(Math.abs(sum - 1) < 1e-12, PortfolioQubo.weightsFeasible(x, bits));
        }
    }

    @Test
    void shouldHaveAFeasibleQuboMinimumEqualToTheExactConstrainedOptimumOn20SubsetsOfPort1() {
        PortfolioProblem port1 = TestData.port1();
        Xoshiro256 r = new Xoshiro256(2026);
        ExhaustiveSolver exact = new ExhaustiveSolver();
        for (int t = 0; t < 20; t++) {
            int n = 8 + r.nextInt(9);
            int k = 1 + r.nextInt(n);
            double q = 0.5 + 4 * r.nextDouble();
            PortfolioProblem p = port1.subset(randomSubset(r, 31, n));
            SolverResult qubo = exact.solve(PortfolioQubo.selection(p, k, q));
            int held = 0;
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                held += qubo.assignment()[i];
                x[i] = qubo.assignment()[i];
            }
            String what = "subset " + t + " (n=" + n + ", K=" + k + ", q=" + q + ")";
            assertEquals(k, held, what + ": QUBO minimum is infeasible");
            byte[] best = ExactSelection.solve(p, k, q);
            double[] xb = new double[n];
            for (int i = 0; i < n; i++) {
                xb[i] = best[i];
            }
            assertRelative(p.objective(xb, q), p.objective(x, q), 1e-12, what);
            assertRelative(p.objective(xb, q), qubo.energy(), 1e-12, what + ": energy of a feasible x is the objective");
        }
    }

    @Test
    void shouldHaveAFeasibleMultiBitMinimumEqualToTheBestAllocation() {
        PortfolioProblem p = TestData.port1().subset(new int[] {3, 8, 14, 27});
        int bits = 3;
        SolverResult r = new ExhaustiveSolver().solve(PortfolioQubo.weights(p, bits, Q));
        assertTrue(PortfolioQubo.weightsFeasible(r.assignment(), bits));
        // brute force over integer allocations u_0..u_3 in 0..7 with sum 7
        double best = Double.POSITIVE_INFINITY;
        for (int a = 0; a <= 7; a++) {
            for (int b = 0; a + b <= 7; b++) {
                for (int c = 0; a + b + c <= 7; c++) {
                    double[] w = {a / 7.0, b / 7.0, c / 7.0, (7 - a - b - c) / 7.0};
                    best = Math.min(best, p.objective(w, Q));
                }
            }
        }
        assertRelative(best, r.energy(), 1e-12, "multi-bit optimum");
    }

    @Test
    void shouldRejectKOutOfRangeAndBadParameters() {
        PortfolioProblem p = TestData.port1();
        IllegalArgumentException k0 = assertThrows(IllegalArgumentException.class, () -> PortfolioQubo.selection(p, 0, 1));
        assertEquals("number of assets K = 0 is out of range: it must be between 1 and 31 (the number of assets in the data)", k0.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PortfolioQubo.selection(p, 32, 1));
        IllegalArgumentException q = assertThrows(IllegalArgumentException.class, () -> PortfolioQubo.selection(p, 3, -1));
        assertEquals("risk aversion must be a finite number >= 0, got -1.0", q.getMessage());
        IllegalArgumentException bits = assertThrows(IllegalArgumentException.class, () -> PortfolioQubo.weights(p, 0, 1));
        assertEquals("bits per asset must be 1..16, got 0", bits.getMessage());
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class, () -> ExactSelection.solve(
                PortfolioProblem.loadOrLibrary(TestData.file("port1.txt")), 15, 1));
        assertTrue(big.getMessage().startsWith("exact selection of 15 of 31 assets means 300540195 subsets"), big.getMessage());
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> new ExhaustiveSolver().solve(QuboModel.builder(35).build()));
        assertTrue(ex.getMessage().startsWith("exhaustive search over 35 variables"), ex.getMessage());
    }

    @Test
    void shouldDecodeWeights() {
        assertArrayEquals(new double[] {5 / 7.0, 2 / 7.0}, PortfolioQubo.decodeWeights(new byte[] {1, 0, 1, 0, 1, 0}, 3), 1e-15);
    }
}
