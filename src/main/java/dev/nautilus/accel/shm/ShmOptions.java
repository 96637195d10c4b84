package dev.nautilus.accel.shm;

/**
 * How a segment is created or opened. Immutable: each {@code withX} method returns a copy.
 *
 * <p>Defaults ({@link #DEFAULTS}): mode {@code 0600} (owner only), exclusive create, read-write,
 * pages reserved up front, normal (not huge) pages, no prefault, not locked in RAM.
 */
public final class ShmOptions {
    /** The defaults described above. */
    public static final ShmOptions DEFAULTS = new ShmOptions(0600, true, false, true, false, false, false);

    private final int mode;
    private final boolean exclusive;
    private final boolean readOnly;
    private final boolean reserve;
    private final boolean hugePages;
    private final boolean prefault;
    private final boolean lockInMemory;

    private ShmOptions(int mode, boolean exclusive, boolean readOnly, boolean reserve, boolean hugePages,
                       boolean prefault, boolean lockInMemory) {
        this.mode = mode;
        this.exclusive = exclusive;
        this.readOnly = readOnly;
        this.reserve = reserve;
        this.hugePages = hugePages;
        this.prefault = prefault;
        this.lockInMemory = lockInMemory;
    }

    /** @return {@link #DEFAULTS} */
    public static ShmOptions defaults() {
        return DEFAULTS;
    }

    /**
     * @param permissions permission bits for a created segment, 0 to 0777 (e.g. {@code 0640});
     *     applied exactly, not filtered by the umask
     * @return a copy with that mode
     * @throws IllegalArgumentException outside 0..0777
     */
    public ShmOptions withMode(int permissions) {
        if (permissions < 0 || permissions > 0777) {
            throw new IllegalArgumentException("invalid mode 0" + Integer.toOctalString(permissions)
                    + ": permission bits must be between 0 and 0777 (e.g. 0600 owner only, 0660 owner and group)");
        }
        return new ShmOptions(permissions, exclusive, readOnly, reserve, hugePages, prefault, lockInMemory);
    }

    /**
     * @param value true (default): creating fails with EEXIST when the name exists; false: an
     *     existing segment of the same (rounded) size is opened instead
     * @return a copy
     */
    public ShmOptions withExclusive(boolean value) {
        return new ShmOptions(mode, value, readOnly, reserve, hugePages, prefault, lockInMemory);
    }

    /**
     * @param value true: open for reading only; the returned segment is read-only and writes
     *     throw {@link IllegalArgumentException}. Only for {@code open}
     * @return a copy
     */
    public ShmOptions withReadOnly(boolean value) {
        return new ShmOptions(mode, exclusive, value, reserve, hugePages, prefault, lockInMemory);
    }

    /**
     * @param value true (default): a created segment's pages are allocated at creation
     *     ({@code posix_fallocate}), so a full {@code /dev/shm} fails then with ENOSPC instead of
     *     killing the process with SIGBUS at first touch; costs time proportional to the size
     * @return a copy
     */
    public ShmOptions withReserve(boolean value) {
        return new ShmOptions(mode, exclusive, readOnly, value, hugePages, prefault, lockInMemory);
    }

    /**
     * @param value true: back the segment by huge pages from a hugetlbfs mount (Linux); the size is
     *     rounded up to the huge page size and creation fails clearly when too few are reserved
     * @return a copy
     */
    public ShmOptions withHugePages(boolean value) {
        return new ShmOptions(mode, exclusive, readOnly, reserve, value, prefault, lockInMemory);
    }

    /**
     * @param value true: fault every page in when mapping ({@code MAP_POPULATE}), so the first
     *     touches on the hot path do not page-fault
     * @return a copy
     */
    public ShmOptions withPrefault(boolean value) {
        return new ShmOptions(mode, exclusive, readOnly, reserve, hugePages, value, lockInMemory);
    }

    /**
     * @param value true: {@code mlock} the mapping so it is never swapped out; needs
     *     CAP_IPC_LOCK or a large enough RLIMIT_MEMLOCK ({@code ulimit -l})
     * @return a copy
     */
    public ShmOptions withLockInMemory(boolean value) {
        return new ShmOptions(mode, exclusive, readOnly, reserve, hugePages, prefault, value);
    }

    /** @return permission bits used when creating */
    public int mode() {
        return mode;
    }

    /** @return whether create fails when the name exists */
    public boolean exclusive() {
        return exclusive;
    }

    /** @return whether open maps read-only */
    public boolean readOnly() {
        return readOnly;
    }

    /** @return whether pages are allocated at creation */
    public boolean reserve() {
        return reserve;
    }

    /** @return whether huge pages back the segment */
    public boolean hugePages() {
        return hugePages;
    }

    /** @return whether pages are faulted in when mapping */
    public boolean prefault() {
        return prefault;
    }

    /** @return whether the mapping is locked in RAM */
    public boolean lockInMemory() {
        return lockInMemory;
    }

    @Override
    public String toString() {
        return "ShmOptions[mode=0" + Integer.toOctalString(mode) + ", exclusive=" + exclusive + ", readOnly=" + readOnly
                + ", reserve=" + reserve + ", hugePages=" + hugePages + ", prefault=" + prefault
                + ", lockInMemory=" + lockInMemory + "]";
    }
}
