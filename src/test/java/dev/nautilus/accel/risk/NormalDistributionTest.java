package dev.nautilus.accel.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class NormalDistributionTest {
    @Test
    void shouldGiveTheQuantilesToDoublePrecision() {
        // reference values to 17 significant digits (e.g. R qnorm, mpmath)
        assertEquals(1.6448536269514722, NormalDistribution.inverseCdf(0.95), 2e-15);
        assertEquals(1.9599639845400542, NormalDistribution.inverseCdf(0.975), 2e-15);
        assertEquals(2.3263478740408408, NormalDistribution.inverseCdf(0.99), 2e-15);
        assertEquals(-3.0902323061678132, NormalDistribution.inverseCdf(0.001), 3e-15);
        assertEquals(-4.753424308822899, NormalDistribution.inverseCdf(1e-6), 5e-15);
        assertEquals(-6.361340902404056, NormalDistribution.inverseCdf(1e-10), 6e-15);
        assertEquals(0.0, NormalDistribution.inverseCdf(0.5));
    }

    @Test
    void shouldKeepRelativeAccuracyInTheTail() {
        assertEquals(0.15865525393145707, NormalDistribution.cdf(-1), 1e-16);
        assertEquals(1.3498980316300946e-3, NormalDistribution.cdf(-3), 1e-17);
        assertEquals(2.866515718791939e-7, NormalDistribution.cdf(-5), 2.866515718791939e-7 * 1e-12);
        assertEquals(7.619853024160526e-24, NormalDistribution.cdf(-10), 7.6e-24 * 1e-12);
        assertEquals(0.9986501019683699, NormalDistribution.cdf(3), 1e-15);
        assertEquals(2.866515718791939e-7, NormalDistribution.complementaryCdf(5), 2.866515718791939e-7 * 1e-12);
        for (double p = 1e-12; p < 1; p *= 3.7) {
            double x = NormalDistribution.inverseCdf(p);
            assertEquals(1, NormalDistribution.cdf(x) / p, 1e-13, () -> "round trip at " + x);
        }
    }

    @Test
    void shouldRejectProbabilitiesOutsideTheOpenInterval() {
        for (double p : new double[] {0, 1, -0.1, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NormalDistribution.inverseCdf(p));
            assertTrue(e.getMessage().contains("outside (0, 1)"), e.getMessage());
        }
    }
}
