package dev.nautilus.accel.shm;

import dev.nautilus.accel.nativeaccess.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Huge page state of this machine (Linux): the default huge page size, how many are reserved and
 * free ({@code /proc/meminfo}), and the hugetlbfs mount named segments use ({@code /proc/mounts}).
 *
 * <p>Reads files on each call; not for hot paths. Thread-safe.
 */
public final class HugePages {
    private static final Path MEMINFO = Path.of("/proc/meminfo");
    private static final Path MOUNTS = Path.of("/proc/mounts");

    /**
     * A snapshot of the default-size huge page pool.
     *
     * @param pageSize bytes per huge page (0 when the kernel has none)
     * @param total pages reserved in the pool ({@code HugePages_Total})
     * @param free pages not in use ({@code HugePages_Free})
     * @param reservedForMappings pages promised to mappings but not yet faulted in ({@code HugePages_Rsvd})
     * @param mount the hugetlbfs mount point, if any
     */
    public record Status(long pageSize, long total, long free, long reservedForMappings, Optional<Path> mount) {
        /** @return pages a new mapping can still get: free minus those promised to other mappings */
        public long available() {
            return Math.max(0, free - reservedForMappings);
        }
    }

    private HugePages() {}

    /** @return the current state; zeros and no mount on platforms without huge pages */
    public static Status status() {
        if (!Platform.isLinux()) {
            return new Status(0, 0, 0, 0, Optional.empty());
        }
        long size = 0, total = 0, free = 0, rsvd = 0;
        try {
            for (String line : Files.readAllLines(MEMINFO)) {
                String[] f = line.split("\\s+");
                if (f.length < 2) {
                    continue;
                }
                switch (f[0]) {
                    case "Hugepagesize:" -> size = Long.parseLong(f[1]) * 1024;
                    case "HugePages_Total:" -> total = Long.parseLong(f[1]);
                    case "HugePages_Free:" -> free = Long.parseLong(f[1]);
                    case "HugePages_Rsvd:" -> rsvd = Long.parseLong(f[1]);
                    default -> { }
                }
            }
        } catch (IOException | NumberFormatException e) {
            // leave zeros: callers report "no huge pages"
        }
        return new Status(size, total, free, rsvd, mount());
    }

    /** @return the first hugetlbfs mount point in /proc/mounts, if any */
    public static Optional<Path> mount() {
        if (!Platform.isLinux()) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(MOUNTS);
            for (String line : lines) {
                String[] f = line.split(" ");
                if (f.length >= 3 && f[2].equals("hugetlbfs")) {
                    return Optional.of(Path.of(f[1].replace("\\040", " ")));
                }
            }
        } catch (IOException e) {
            // no mount information
        }
        return Optional.empty();
    }
}
