package dev.nautilus.accel.portfolio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class SimulatedQuantumAnnealingTest {
    /** A ring of {@code n} spins with random fields and nearest-neighbour couplings. */
    private static IsingModel chain(int n, long seed) {
        Xoshiro256 r = new Xoshiro256(seed);
        IsingModel.Builder b = IsingModel.builder(n);
        for (int i = 0; i < n; i++) {
            b.field(i, r.nextDouble() - 0.5);
            b.coupling(i, (i + 1) % n, 2 * r.nextDouble() - 1);
        }
        return b.build();
    }

    /** {@code Tr(H_p e^{-beta H}) / Tr(e^{-beta H})} for {@code H = H_p - gamma sum sigma^x}, by exact diagonalisation. */
    private static double exactProblemEnergy(IsingModel m, double gamma, double beta) {
        int n = m.size();
        int dim = 1 << n;
        double[][] h = new double[dim][dim];
        double[] diag = new double[dim];
        byte[] s = new byte[n];
        for (int c = 0; c < dim; c++) {
            for (int i = 0; i < n; i++) {
                s[i] = (byte) (((c >>> i) & 1) == 0 ? 1 : -1);
            }
            diag[c] = m.energy(s);
            h[c][c] = diag[c];
            for (int i = 0; i < n; i++) {
                h[c][c ^ (1 << i)] = -gamma;
            }
        }
        double[] lambda = new double[dim];
        double[][] v = dev.nautilus.accel.risk.Matrices.symmetricEigen(h, lambda);
        double min = Double.POSITIVE_INFINITY;
        for (double l : lambda) {
            min = Math.min(min, l);
        }
        double z = 0;
        double num = 0;
        for (int k = 0; k < dim; k++) {
            double w = Math.exp(-beta * (lambda[k] - min));
            double expect = 0;
            for (int c = 0; c < dim; c++) {
                expect += v[c][k] * v[c][k] * diag[c];
            }
            z += w;
            num += w * expect;
        }
        return num / z;
    }

    @ParameterizedTest
    @CsvSource({"4, 1.0, 1.0, 1", "6, 0.5, 2.0, 2", "8, 1.5, 0.7, 3"})
    void shouldMatchExactDiagonalisationOfATransverseFieldIsingChain(int n, double gamma, double beta, long seed) {
        IsingModel m = chain(n, seed);
        double exact = exactProblemEnergy(m, gamma, beta);
        int replicas = 64;
        double[] pimc = SimulatedQuantumAnnealing.sample(m, gamma, beta, replicas, 2_000, 40_000, 42);
        // Trotter bias is O((beta/P)^2); allow it on top of four standard errors
        double trotter = 0.5 * Math.pow(beta / replicas, 2) * n * (1 + gamma * gamma);
        assertTrue(Math.abs(pimc[0] - exact) <= 4 * pimc[1] + trotter,
                "PIMC <H_p> = " + pimc[0] + " +- " + pimc[1] + ", exact " + exact + " (Trotter allowance " + trotter + ")");
        assertTrue(pimc[1] < 0.02 * Math.abs(exact) + 0.01, "statistical error too large to be a real check: " + pimc[1]);
        // the check discriminates: the classical (Gamma = 0) thermal value is far outside the tolerance
        double classical = exactProblemEnergy(m, 1e-12, beta);
        assertTrue(Math.abs(classical - exact) > 3 * (4 * pimc[1] + trotter),
                "classical " + classical + " vs quantum " + exact + ": the field makes too little difference for a real check");
    }

    @Test
    void shouldFindTheOptimumOfSmallBqpInstances() {
        List<QuboModel> bqp = BqpInstances.load(TestData.file("bqp50.txt"));
        SimulatedQuantumAnnealing sqa = new SimulatedQuantumAnnealing(8, 300, 5, 2);
        for (int i = 0; i < 3; i++) {
            SolverResult r = sqa.solve(bqp.get(i));
            assertEquals(-TestData.BQP50_BEST[i], r.energy(), 1e-9, "bqp50-" + (i + 1));
        }
    }

    @Test
    void shouldComputeTheTrotterCouplingStably() {
        double x = 0.3;
        assertEquals(0.5 * Math.log(Math.cosh(x) / Math.sinh(x)), SimulatedQuantumAnnealing.trotterCoupling(x * 4, 1, 4), 1e-12);
        assertTrue(Double.isFinite(SimulatedQuantumAnnealing.trotterCoupling(1, 1e-9, 16)));
        assertEquals(0, SimulatedQuantumAnnealing.trotterCoupling(1, 1e6, 16), 1e-300);
        assertThrows(IllegalArgumentException.class, () -> new SimulatedQuantumAnnealing(1, 10, 1, 1, 1, 1, 1, 0.1));
    }
}
