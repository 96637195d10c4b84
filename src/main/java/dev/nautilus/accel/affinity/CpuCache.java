package dev.nautilus.accel.affinity;

import java.util.Objects;

/**
 * One CPU cache as the kernel describes it in {@code /sys/devices/system/cpu/cpuN/cache/indexK/}.
 * Fields the kernel does not provide are unknown: {@code -1} for numbers, {@link Type#UNKNOWN},
 * an empty {@link #sharedCpus()}. Immutable.
 *
 * @param level 1, 2, 3 ... ({@code level}), or -1 when unknown
 * @param type data, instruction or unified ({@code type})
 * @param sizeBytes the size in bytes ({@code size}, which the kernel writes as e.g. {@code 32K}), or -1
 * @param lineSize the coherency line size in bytes ({@code coherency_line_size}), or -1
 * @param sharedCpus the online CPUs that share this cache ({@code shared_cpu_list}), empty when unknown
 */
public record CpuCache(int level, Type type, long sizeBytes, int lineSize, CpuSet sharedCpus) {
    /** What a cache holds. */
    public enum Type {
        /** Data only (an L1d). */
        DATA,
        /** Instructions only (an L1i). */
        INSTRUCTION,
        /** Data and instructions (L2, L3). */
        UNIFIED,
        /** The kernel does not say. */
        UNKNOWN
    }

    /**
     * @throws NullPointerException for a null type or CPU set
     */
    public CpuCache {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(sharedCpus, "sharedCpus");
    }

    /** @return e.g. {@code "L2 unified 1024K shared by 0,16"} */
    @Override
    public String toString() {
        String size = sizeBytes < 0 ? "size unknown" : sizeBytes % (1024 * 1024) == 0 && sizeBytes > 0
                ? sizeBytes / (1024 * 1024) + "M" : sizeBytes % 1024 == 0 ? sizeBytes / 1024 + "K" : sizeBytes + "B";
        return (level < 0 ? "L?" : "L" + level) + " " + type.name().toLowerCase(java.util.Locale.ROOT) + " " + size
                + " shared by " + (sharedCpus.isEmpty() ? "unknown CPUs" : sharedCpus.toString());
    }
}
