package dev.nautilus.accel.portfolio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class SimulatedAnnealingTest {
    @Test
    void shouldReachTheBestKnownValueOnEveryBqp50InstanceWithin20Reads() {
        List<QuboModel> bqp = BqpInstances.load(TestData.file("bqp50.txt"));
        SimulatedAnnealing sa = new SimulatedAnnealing(20, 1000, 2026, 2);
        for (int i = 0; i < bqp.size(); i++) {
            SolverResult r = sa.solve(bqp.get(i));
            assertEquals(-TestData.BQP50_BEST[i], r.energy(), 1e-9, "bqp50-" + (i + 1));
            assertEquals(20, r.reads());
            assertEquals(20L * 1000 * 50, r.spinUpdateAttempts());
            assertTrue(r.hitRate(-TestData.BQP50_BEST[i], 1e-9) >= 0.5, "bqp50-" + (i + 1) + " hit rate " + r.hitRate(-TestData.BQP50_BEST[i], 1e-9));
        }
    }

    @Test
    void shouldReachTheBestKnownCutOfG11() {
        MaxCutGraph g = MaxCutGraph.load(TestData.file("g11.rud"));
        QuboModel q = g.toIsing().toQubo();
        SolverResult r = new SimulatedAnnealing(12, 10_000, 7, 2).solve(q);
        byte[] s = new byte[g.vertices()];
        for (int i = 0; i < s.length; i++) {
            s[i] = (byte) (2 * r.assignment()[i] - 1);
        }
        assertEquals(564, g.cut(s), "best cut of G11");
        assertEquals(-564, r.energy(), 1e-9);
    }

    @Test
    void shouldGiveTheSameReadsWhateverTheThreadCount() {
        QuboModel q = BqpInstances.load(TestData.file("bqp50.txt")).get(8);
        SolverResult one = new SimulatedAnnealing(6, 200, 99, 1).solve(q);
        SolverResult two = new SimulatedAnnealing(6, 200, 99, 2).solve(q);
        assertArrayEquals(one.readEnergies(), two.readEnergies());
        assertArrayEquals(one.assignment(), two.assignment());
        SolverResult other = new SimulatedAnnealing(6, 200, 100, 1).solve(q);
        assertTrue(!java.util.Arrays.equals(one.readEnergies(), other.readEnergies()), "another seed gives other reads");
    }

    @Test
    void shouldMatchTheExhaustiveOptimumOnRandomDenseModels() {
        for (long seed = 1; seed <= 5; seed++) {
            QuboModel q = TestData.randomQubo(16, seed, QuboModel.Storage.DENSE);
            SolverResult exact = new ExhaustiveSolver().solve(q);
            double brute = Double.POSITIVE_INFINITY;
            for (long code = 0; code < 1L << 16; code++) {
                brute = Math.min(brute, q.energy(TestData.bits(code, 16)));
            }
            assertEquals(brute, exact.energy(), 1e-9, "exhaustive, seed " + seed);
            assertEquals(brute, new SimulatedAnnealing(10, 500, seed, 1).solve(q).energy(), 1e-9, "sa, seed " + seed);
        }
    }

    @Test
    void shouldDeriveTheDefaultTemperaturesFromTheCouplings() {
        // ring of 4 spins, |J| = 1, no fields: typical flip 2 sqrt(2), smallest uphill 2
        IsingModel ring = IsingModel.builder(4).coupling(0, 1, 1).coupling(1, 2, 1).coupling(2, 3, 1).coupling(3, 0, -1).build();
        double[] range = SimulatedAnnealing.defaultBetaRange(ring);
        assertEquals(Math.log(8) / (2 * Math.sqrt(2)), range[0], 1e-12);
        assertEquals(Math.log(100) / 2, range[1], 1e-12);
        assertEquals(0.1, SimulatedAnnealing.geometric(0.1, 10, 3, 0), 1e-12);
        assertEquals(1, SimulatedAnnealing.geometric(0.1, 10, 3, 1), 1e-12);
        assertEquals(10, SimulatedAnnealing.geometric(0.1, 10, 3, 2), 1e-12);
    }

    @Test
    void shouldRejectBadParameters() {
        IllegalArgumentException reads = assertThrows(IllegalArgumentException.class, () -> new SimulatedAnnealing(0, 10, 1, 1));
        assertEquals("reads must be at least 1, got 0", reads.getMessage());
        IllegalArgumentException sweeps = assertThrows(IllegalArgumentException.class, () -> new SimulatedAnnealing(1, 0, 1, 1));
        assertEquals("sweeps must be at least 1, got 0", sweeps.getMessage());
        IllegalArgumentException betas = assertThrows(IllegalArgumentException.class, () -> new SimulatedAnnealing(1, 10, 1, 1, 2, 1));
        assertEquals("inverse temperatures must satisfy 0 < betaHot <= betaCold, got 2.0 and 1.0", betas.getMessage());
    }
}
