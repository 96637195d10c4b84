package dev.nautilus.accel.shm;

import dev.nautilus.accel.nativeaccess.Errno;

/**
 * A shared-memory system call failed. The message names the call, the segment, the error
 * ({@code EACCES (Permission denied)}) and a hint on how to fix it; the parts are also available
 * to programs through the accessors.
 */
public final class ShmException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String call;
    private final String segment;
    private final int errno;

    ShmException(String call, String segment, int errno, String description, String hint) {
        super(call + "(\"" + segment + "\") failed: " + Errno.name(errno)
                + (description == null || description.isEmpty() ? "" : " (" + description + ")")
                + (hint == null || hint.isEmpty() ? "" : ". " + hint));
        this.call = call;
        this.segment = segment;
        this.errno = errno;
    }

    /** @return the failed call, e.g. {@code shm_open}, {@code mmap}, {@code mlock} */
    public String call() {
        return call;
    }

    /** @return the segment name (or hugetlbfs path) the call was about */
    public String segment() {
        return segment;
    }

    /** @return the positive errno value of this platform (compare with {@link Errno} constants) */
    public int errno() {
        return errno;
    }

    /** @return the symbolic errno name, e.g. {@code EEXIST} */
    public String errnoName() {
        return Errno.name(errno);
    }
}
