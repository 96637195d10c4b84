package dev.nautilus.accel.affinity;

/**
 * How {@link CpuReservation} picks CPUs (or whole cores). The relative strategies place the new
 * reservation with respect to reference CPUs given with
 * {@link CpuReservation.Request#relativeTo(CpuReservation)}; the others take no reference.
 *
 * <p>Within what a strategy allows, a reservation prefers CPUs whose core has no CPU reserved by
 * anyone (no busy SMT sibling), then lower CPU numbers, and takes CPU 0 last (it handles the
 * kernel's housekeeping: timers, interrupts, and it cannot go offline).
 */
public enum ReservationStrategy {
    /** Any free CPU. */
    ANY(false),
    /** A free SMT sibling of the reference (the same physical core); CPUs only, not whole cores. */
    SAME_CORE(true),
    /** A free CPU on another physical core than the reference, preferring the reference's NUMA node. */
    DIFFERENT_CORE(true),
    /** A free CPU on the reference's NUMA node, preferring another core than the reference's. */
    SAME_NUMA_NODE(true),
    /** A free CPU on another NUMA node than the reference's. */
    DIFFERENT_NUMA_NODE(true),
    /** An isolated ({@code isolcpus}) CPU when one is free, preferring nohz_full ones; any free CPU otherwise. */
    PREFER_ISOLATED(false),
    /** A performance core's CPU when one is free (every CPU counts on a non-hybrid machine), preferring isolated ones. */
    PREFER_PERFORMANCE(false);

    private final boolean relative;

    ReservationStrategy(boolean relative) {
        this.relative = relative;
    }

    /** @return whether the strategy needs reference CPUs ({@code relativeTo}) */
    public boolean isRelative() {
        return relative;
    }
}
