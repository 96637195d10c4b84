package dev.nautilus.accel.portfolio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class SimulatedBifurcationTest {
    /** A ring of {@code n} spins, couplings of random sign and size in [0.5, 1.5), no fields. */
    private static IsingModel ring(int n, long seed) {
        Xoshiro256 r = new Xoshiro256(seed);
        IsingModel.Builder b = IsingModel.builder(n);
        for (int i = 0; i < n; i++) {
            b.coupling(i, (i + 1) % n, (r.nextDouble() < 0.5 ? -1 : 1) * (0.5 + r.nextDouble()));
        }
        return b.build();
    }

    @Test
    void shouldStayBoundedBelowTheStableTimeStepAndDivergeAboveIt() {
        // models whose linear phase has no physically unstable mode (c0 lambda_min(J) > -a0), so any
        // growth is the integrator's
        List<IsingModel> models = List.of(ring(20, 1), ring(31, 2), MaxCutGraph.load(TestData.file("g11.rud")).toIsing());
        for (IsingModel m : models) {
            double dtMax = SimulatedBifurcation.maxStableTimeStep(m);
            double below = SimulatedBifurcation.linearPhaseAmplitude(m, 0.95 * dtMax, 5_000, 1);
            double above = SimulatedBifurcation.linearPhaseAmplitude(m, 1.05 * dtMax, 5_000, 1);
            assertTrue(below < 1, "dt = 0.95 dt_max must stay bounded, reached " + below + " (n = " + m.size() + ")");
            assertTrue(above > 1e6, "dt = 1.05 dt_max must diverge, reached only " + above + " (n = " + m.size() + ")");
        }
    }

    @Test
    void shouldFindTheOptimumOfBqp50InstancesAndSmallDenseModels() {
        List<QuboModel> bqp = BqpInstances.load(TestData.file("bqp50.txt"));
        for (boolean discrete : new boolean[] {false, true}) {
            SimulatedBifurcation sb = new SimulatedBifurcation(20, 1000, 11, 2, discrete);
            SolverResult r = sb.solve(bqp.get(0));
            assertEquals(-TestData.BQP50_BEST[0], r.energy(), 1e-9, sb.name() + " on bqp50-1");
        }
        QuboModel q = TestData.randomQubo(14, 5, QuboModel.Storage.DENSE);
        assertEquals(new ExhaustiveSolver().solve(q).energy(), new SimulatedBifurcation(50, 1000, 1, 1, true).solve(q).energy(), 1e-9);
    }

    @Test
    void shouldRejectABadTimeStep() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SimulatedBifurcation(1, 10, 1, 1, false, 0));
        assertEquals("time step fraction must be in (0, 100], got 0.0", e.getMessage());
    }
}
