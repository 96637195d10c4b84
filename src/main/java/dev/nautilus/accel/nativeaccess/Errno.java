package dev.nautilus.accel.nativeaccess;

import java.util.Map;

/**
 * errno values of this platform by name, and names of errno values, for the shims' negative-errno
 * results. Values differ between Linux and macOS, so compare against these constants, never
 * against literal numbers.
 */
public final class Errno {
    private static final boolean MAC = Platform.isMac();

    /** Operation not permitted. */
    public static final int EPERM = 1;
    /** No such file or directory. */
    public static final int ENOENT = 2;
    /** Interrupted system call. */
    public static final int EINTR = 4;
    /** Input/output error. */
    public static final int EIO = 5;
    /** Bad file descriptor. */
    public static final int EBADF = 9;
    /** Resource temporarily unavailable. */
    public static final int EAGAIN = MAC ? 35 : 11;
    /** Cannot allocate memory. */
    public static final int ENOMEM = 12;
    /** Permission denied. */
    public static final int EACCES = 13;
    /** Bad address. */
    public static final int EFAULT = 14;
    /** Device or resource busy. */
    public static final int EBUSY = 16;
    /** File exists. */
    public static final int EEXIST = 17;
    /** No such device. */
    public static final int ENODEV = 19;
    /** Is a directory. */
    public static final int EISDIR = 21;
    /** Invalid argument. */
    public static final int EINVAL = 22;
    /** Too many open files in system. */
    public static final int ENFILE = 23;
    /** Too many open files. */
    public static final int EMFILE = 24;
    /** File too large. */
    public static final int EFBIG = 27;
    /** No space left on device. */
    public static final int ENOSPC = 28;
    /** Read-only file system. */
    public static final int EROFS = 30;
    /** Numerical result out of range. */
    public static final int ERANGE = 34;
    /** File name too long. */
    public static final int ENAMETOOLONG = MAC ? 63 : 36;
    /** Function not implemented. */
    public static final int ENOSYS = MAC ? 78 : 38;
    /** Operation not supported. */
    public static final int EOPNOTSUPP = MAC ? 102 : 95;
    /** Connection timed out / timer expired. */
    public static final int ETIMEDOUT = MAC ? 60 : 110;
    /** No such process. */
    public static final int ESRCH = 3;
    /** Operation already in progress (e.g. DPDK's EAL initialised twice). */
    public static final int EALREADY = MAC ? 37 : 114;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(EPERM, "EPERM"), Map.entry(ENOENT, "ENOENT"), Map.entry(ESRCH, "ESRCH"),
            Map.entry(EINTR, "EINTR"), Map.entry(EIO, "EIO"), Map.entry(EBADF, "EBADF"),
            Map.entry(EAGAIN, "EAGAIN"), Map.entry(ENOMEM, "ENOMEM"), Map.entry(EACCES, "EACCES"),
            Map.entry(EFAULT, "EFAULT"), Map.entry(EBUSY, "EBUSY"), Map.entry(EEXIST, "EEXIST"),
            Map.entry(ENODEV, "ENODEV"), Map.entry(EISDIR, "EISDIR"), Map.entry(EINVAL, "EINVAL"),
            Map.entry(ENFILE, "ENFILE"), Map.entry(EMFILE, "EMFILE"), Map.entry(EFBIG, "EFBIG"),
            Map.entry(ENOSPC, "ENOSPC"), Map.entry(EROFS, "EROFS"), Map.entry(ERANGE, "ERANGE"),
            Map.entry(ENAMETOOLONG, "ENAMETOOLONG"), Map.entry(ENOSYS, "ENOSYS"),
            Map.entry(EOPNOTSUPP, "EOPNOTSUPP"), Map.entry(ETIMEDOUT, "ETIMEDOUT"),
            Map.entry(EALREADY, "EALREADY"));

    private Errno() {}

    /**
     * @param errno a positive errno value of this platform
     * @return its symbolic name, e.g. {@code EACCES}, or {@code errno N} when not known here
     */
    public static String name(int errno) {
        String n = NAMES.get(errno);
        return n != null ? n : "errno " + errno;
    }

    /**
     * The message of an exception for a failed native call, in the form every module uses:
     * {@code call(target) failed: ENAME (description). hint}.
     *
     * @param call the failed call, e.g. {@code sched_setaffinity}
     * @param target what it acted on, e.g. {@code tid 42} or {@code port 0}
     * @param errno the positive error code
     * @param description the system's text for it, or empty
     * @param hint what to do about it, or empty
     * @return the message
     */
    public static String failure(String call, String target, int errno, String description, String hint) {
        return call + "(" + target + ") failed: " + name(errno)
                + (description == null || description.isEmpty() ? "" : " (" + description + ")")
                + (hint == null || hint.isEmpty() ? "" : ". " + hint);
    }
}
