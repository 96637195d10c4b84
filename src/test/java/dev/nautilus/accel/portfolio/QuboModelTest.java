package dev.nautilus.accel.portfolio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class QuboModelTest {
    @Test
    void shouldComputeEnergyFromTheDefinition() {
        QuboModel q = QuboModel.builder(3).add(0, 0, 1.5).add(2, 1, -2).add(1, 2, 0.5).add(0, 2, 4).addOffset(0.25).build();
        assertEquals(-1.5, q.coupling(1, 2));
        assertEquals(-1.5, q.coupling(2, 1));
        assertEquals(0.25, q.energy(new byte[] {0, 0, 0}));
        assertEquals(0.25 + 1.5 + 4, q.energy(new byte[] {1, 0, 1}));
        assertEquals(0.25 + 1.5 + 4 - 1.5, q.energy(new byte[] {1, 1, 1}));
    }

    @Test
    void shouldAgreeBetweenDenseAndSparseStorageAndIncrementalDelta() {
        int n = 10;
        QuboModel dense = TestData.randomQubo(n, 7, QuboModel.Storage.DENSE);
        QuboModel sparse = dense.withStorage(QuboModel.Storage.SPARSE);
        assertEquals(QuboModel.Storage.SPARSE, sparse.storage());
        for (long code = 0; code < 1L << n; code++) {
            byte[] x = TestData.bits(code, n);
            double e = dense.energy(x);
            assertEquals(e, sparse.energy(x), 1e-12 * Math.max(1, Math.abs(e)));
            int i = (int) (code % n);
            double d = dense.delta(x, i);
            assertEquals(d, sparse.delta(x, i), 1e-12);
            x[i] ^= 1;
            assertEquals(dense.energy(x) - e, d, 1e-12);
        }
    }

    @Test
    void shouldConvertToIsingAndBackWithTheSameEnergies() {
        int n = 9;
        QuboModel q = TestData.randomQubo(n, 11, QuboModel.Storage.SPARSE);
        IsingModel ising = q.toIsing();
        QuboModel back = ising.toQubo();
        for (long code = 0; code < 1L << n; code++) {
            byte[] x = TestData.bits(code, n);
            byte[] s = new byte[n];
            for (int i = 0; i < n; i++) {
                s[i] = (byte) (2 * x[i] - 1);
            }
            double e = q.energy(x);
            assertEquals(e, ising.energy(s), 1e-12 * Math.max(1, Math.abs(e)), "Ising energy of " + code);
            assertEquals(e, back.energy(x), 1e-12 * Math.max(1, Math.abs(e)), "round-trip energy of " + code);
        }
        for (int i = 0; i < n; i++) {
            assertEquals(q.linear(i), back.linear(i), 1e-12);
            for (int j = 0; j < n; j++) {
                assertEquals(q.coupling(i, j), back.coupling(i, j), 1e-12);
            }
        }
        assertEquals(q.offset(), back.offset(), 1e-12);
    }

    @Test
    void shouldConvertIsingToQuboWithTheSameEnergies() {
        IsingModel m = IsingModel.builder(4).field(0, 0.5).field(3, -1).coupling(0, 1, 2).coupling(2, 3, -0.75).addOffset(3).build();
        QuboModel q = m.toQubo(QuboModel.Storage.DENSE);
        for (long code = 0; code < 16; code++) {
            byte[] x = TestData.bits(code, 4);
            assertEquals(m.energy(new byte[] {(byte) (2 * x[0] - 1), (byte) (2 * x[1] - 1), (byte) (2 * x[2] - 1),
                (byte) (2 * x[3] - 1)}), q.energy(x), 1e-12);
        }
    }

    @Test
    void shouldRejectBadCoefficientsAndIndices() {
        QuboModel.Builder b = QuboModel.builder(3);
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> b.add(0, 1, Double.NaN));
        assertEquals("coefficient of (0, 1) is NaN: coefficients must be finite numbers", nan.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> b.add(0, 3, 1));
        assertEquals("variable index 3 is out of range: the model has 3 variables (0..2)", range.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> QuboModel.builder(0));
        assertTrue(empty.getMessage().contains("at least 1 variable"), empty.getMessage());
        QuboModel q = b.build();
        IllegalArgumentException len = assertThrows(IllegalArgumentException.class, () -> q.energy(new byte[2]));
        assertEquals("assignment has 2 values but the model has 3 variables", len.getMessage());
        IllegalArgumentException self = assertThrows(IllegalArgumentException.class, () -> IsingModel.builder(2).coupling(1, 1, 1));
        assertTrue(self.getMessage().startsWith("coupling of spin 1 with itself"), self.getMessage());
    }
}
