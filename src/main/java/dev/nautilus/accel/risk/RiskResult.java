package dev.nautilus.accel.risk;

import java.util.List;

/**
 * What a {@link RiskEngine} computed: one {@link RiskEstimate} per requested level, in the order
 * requested.
 *
 * @param method the engine (e.g. "parametric", "mc", "rqmc")
 * @param scenarios the scenarios (or observations) used; 0 for closed forms
 * @param estimates one estimate per level
 */
public record RiskResult(String method, long scenarios, List<RiskEstimate> estimates) {
    /** @param estimates copied into an unmodifiable list */
    public RiskResult {
        estimates = List.copyOf(estimates);
    }

    /**
     * @param level a level that was requested
     * @return its estimate
     * @throws IllegalArgumentException if that level was not computed
     */
    public RiskEstimate at(double level) {
        for (RiskEstimate e : estimates) {
            if (e.level() == level) {
                return e;
            }
        }
        throw new IllegalArgumentException("level " + level + " was not computed; computed: "
                + estimates.stream().map(e -> Double.toString(e.level())).toList());
    }
}
