package dev.nautilus.accel.risk;

/**
 * A value-at-risk and expected-shortfall calculator: one pass gives every requested confidence
 * level. Implementations say in their javadoc how they estimate and whether they are
 * thread-safe; the simulation engines are safe to call from one thread at a time and use their
 * own worker threads internally.
 */
public interface RiskEngine {
    /**
     * @param levels confidence levels, each strictly between 0 and 1 (e.g. 0.95, 0.975, 0.99)
     * @return one estimate per level, in the given order
     * @throws IllegalArgumentException for a level outside (0, 1), or one that the engine's
     *     sample is too small to estimate
     */
    RiskResult estimate(double... levels);

    /**
     * @param levels levels to check
     * @throws IllegalArgumentException if there are none or one is outside (0, 1)
     */
    static void checkLevels(double... levels) {
        if (levels.length == 0) {
            throw new IllegalArgumentException("no confidence level given; give at least one, e.g. 0.99");
        }
        for (double a : levels) {
            if (!(a > 0 && a < 1)) {
                throw new IllegalArgumentException("confidence level " + a + " is outside (0, 1); use e.g. 0.95, 0.975 or 0.99");
            }
        }
    }
}
