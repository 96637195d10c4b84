package dev.nautilus.accel.risk;

/**
 * Told how far a long simulation has got; called on the thread that called the engine, a few
 * times a second at most, so it may print.
 */
@FunctionalInterface
public interface RiskProgress {
    /**
     * @param done units (blocks of scenarios) finished
     * @param total units in all
     */
    void update(long done, long total);
}
