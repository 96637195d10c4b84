package dev.nautilus.accel.dpdk;

import dev.nautilus.accel.nativeaccess.Errno;

/**
 * A DPDK call failed. The message names the call, what it acted on ({@code port 0},
 * {@code mempool "rx"}), the error ({@code ENODEV (No such device)}, DPDK's own text for its
 * codes) and what to do about it.
 */
public final class DpdkException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String call;
    private final String target;
    private final int errno;

    DpdkException(String call, String target, int errno, String description, String hint) {
        super(Errno.failure(call, target, errno, description, hint));
        this.call = call;
        this.target = target;
        this.errno = errno;
    }

    /** @return the failed call, e.g. {@code rte_eth_dev_configure} */
    public String call() {
        return call;
    }

    /** @return what the call acted on, e.g. {@code port 0} */
    public String target() {
        return target;
    }

    /** @return the (positive) error code: an errno value, or one of DPDK's own codes above 1000 */
    public int errno() {
        return errno;
    }

    /** @return the symbolic errno name, e.g. {@code ENODEV} (or the number for DPDK's own codes) */
    public String errnoName() {
        return Errno.name(errno);
    }
}
