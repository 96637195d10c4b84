package dev.nautilus.accel.affinity;

import java.util.List;

/**
 * A CPU reservation could not be made because the CPUs it could use are reserved by other
 * threads or processes, or the lock directory cannot be used. The message names each holder
 * (pid, thread id, thread name, since when) and what to do; {@link #holders()} lists them.
 */
public final class CpuReservationException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<CpuReservation.Holder> holders;

    CpuReservationException(String message, List<CpuReservation.Holder> holders) {
        super(message);
        this.holders = List.copyOf(holders);
    }

    CpuReservationException(String message, Throwable cause) {
        super(message, cause);
        this.holders = List.of();
    }

    /** @return the reservations that stood in the way (empty when the problem was not contention) */
    public List<CpuReservation.Holder> holders() {
        return holders == null ? List.of() : holders;
    }
}
