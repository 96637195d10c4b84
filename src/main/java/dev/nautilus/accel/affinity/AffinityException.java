package dev.nautilus.accel.affinity;

import dev.nautilus.accel.nativeaccess.Errno;

/**
 * An affinity or scheduling system call failed. The message names the call, the thread or
 * process, the error ({@code EPERM (Operation not permitted)}) and what to do about it.
 */
public final class AffinityException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String call;
    private final long target;
    private final int errno;

    AffinityException(String call, long target, int errno, String description, String hint) {
        super(Errno.failure(call, target == 0 ? "calling thread" : "tid " + target, errno, description, hint));
        this.call = call;
        this.target = target;
        this.errno = errno;
    }

    /** @return the failed call, e.g. {@code sched_setaffinity} */
    public String call() {
        return call;
    }

    /** @return the thread or process id, 0 for the calling thread */
    public long target() {
        return target;
    }

    /** @return the errno value of this platform */
    public int errno() {
        return errno;
    }

    /** @return the symbolic errno name, e.g. {@code EPERM} */
    public String errnoName() {
        return Errno.name(errno);
    }
}
