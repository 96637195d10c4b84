package dev.nautilus.accel.shm;

import java.nio.file.Path;
import java.time.Instant;

/**
 * What the file system says about one named segment (from {@link SharedMemory#list} or
 * {@link SharedMemory#find}); a snapshot, not a live view.
 *
 * @param name the segment name, e.g. {@code /orders}
 * @param size size in bytes
 * @param owner owner user name (or uid as text when it has no name)
 * @param group group name (or gid as text)
 * @param mode permission bits, e.g. {@code 0600}
 * @param lastModified last modification time
 * @param hugePages whether it lives on a hugetlbfs mount
 * @param path the file backing it ({@code /dev/shm/orders} on Linux)
 */
public record ShmSegmentInfo(String name, long size, String owner, String group, int mode, Instant lastModified,
                             boolean hugePages, Path path) {
    /** @return the mode as {@code ls} shows it, e.g. {@code rw-------} */
    public String modeString() {
        StringBuilder sb = new StringBuilder(9);
        String rwx = "rwx";
        for (int i = 8; i >= 0; i--) {
            sb.append((mode & (1 << i)) != 0 ? rwx.charAt(2 - i % 3) : '-');
        }
        return sb.toString();
    }
}
