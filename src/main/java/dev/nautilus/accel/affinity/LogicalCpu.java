package dev.nautilus.accel.affinity;

import java.util.List;
import java.util.Objects;

/**
 * What the kernel says about one online CPU (a hardware thread). Numbers the kernel does not
 * provide are {@link #UNKNOWN} ({@code -1}). Immutable.
 *
 * @param id the CPU number
 * @param coreId {@code topology/core_id}: unique only within a package (and on ARM within a
 *     cluster), so compare {@link #siblings()} to find CPUs of one physical core; or -1
 * @param packageId {@code topology/physical_package_id} (the socket), or -1
 * @param dieId {@code topology/die_id}, or -1 (also where the kernel writes -1: no dies)
 * @param node the NUMA node whose {@code cpulist} holds this CPU, or -1
 * @param siblings the online CPUs of the same physical core, this one included
 *     ({@code topology/core_cpus_list}, else {@code thread_siblings_list}); only this CPU when unknown
 * @param coreType performance or efficiency core on a hybrid machine, {@link CoreType#UNIFORM} elsewhere
 * @param capacity {@code cpu_capacity} (1024 for the biggest core on ARM), or -1
 * @param caches its caches, lowest level first; empty when the kernel exposes none
 */
public record LogicalCpu(int id, int coreId, int packageId, int dieId, int node, CpuSet siblings, CoreType coreType,
        int capacity, List<CpuCache> caches) {
    /** The value of a number the kernel does not provide. */
    public static final int UNKNOWN = -1;

    /**
     * @throws NullPointerException for a null set, type or list
     */
    public LogicalCpu {
        Objects.requireNonNull(siblings, "siblings");
        Objects.requireNonNull(coreType, "coreType");
        caches = List.copyOf(caches);
    }
}
