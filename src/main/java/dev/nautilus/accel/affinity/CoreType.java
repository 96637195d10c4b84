package dev.nautilus.accel.affinity;

/**
 * What kind of core a CPU belongs to on a hybrid processor (Intel P-cores and E-cores, ARM
 * big.LITTLE). See {@link CpuTopology#coreTypeOf(int)}.
 */
public enum CoreType {
    /**
     * A performance core: Intel {@code /sys/devices/cpu_core/cpus}, or on ARM the CPUs with the
     * highest {@code cpu_capacity}.
     */
    PERFORMANCE,
    /**
     * An efficiency core: Intel {@code /sys/devices/cpu_atom/cpus}, or on ARM a CPU whose
     * {@code cpu_capacity} is below the highest.
     */
    EFFICIENCY,
    /** Not a hybrid machine: every core is of the same kind. */
    UNIFORM,
    /** A hybrid machine that does not say which kind this CPU is. */
    UNKNOWN
}
