package dev.nautilus.accel.affinity;

import java.util.Locale;

/** Linux scheduling policies (sched(7)). */
public enum SchedulingPolicy {
    /** The default time-sharing policy (CFS/EEVDF); priority 0, tuned with nice. */
    OTHER(0, false),
    /** Real-time first-in first-out: runs until it blocks or a higher priority runs; 1..99. */
    FIFO(1, true),
    /** Real-time round robin: FIFO with a time slice among equal priorities; 1..99. */
    RR(2, true),
    /** Batch: CPU-bound work that should not preempt interactive threads; priority 0. */
    BATCH(3, false),
    /** Lowest: runs only when nothing else wants the CPU; priority 0. */
    IDLE(5, false);

    private final int code;
    private final boolean realtime;

    SchedulingPolicy(int code, boolean realtime) {
        this.code = code;
        this.realtime = realtime;
    }

    /** @return the shim's NA_SCHED_* value */
    int code() {
        return code;
    }

    /** @return true for FIFO and RR, which take priorities 1..99 and need privileges */
    public boolean isRealtime() {
        return realtime;
    }

    static SchedulingPolicy ofCode(int code) {
        for (SchedulingPolicy p : values()) {
            if (p.code == code) {
                return p;
            }
        }
        throw new IllegalStateException("unknown scheduling policy code " + code);
    }

    /**
     * @param name {@code other}, {@code fifo}, {@code rr}, {@code batch} or {@code idle} (any case,
     *     an optional {@code SCHED_} prefix)
     * @return the policy
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static SchedulingPolicy parse(String name) {
        String n = name == null ? "" : name.strip().toUpperCase(Locale.ROOT);
        if (n.startsWith("SCHED_")) {
            n = n.substring(6);
        }
        if (n.equals("NORMAL")) {
            n = "OTHER";
        }
        for (SchedulingPolicy p : values()) {
            if (p.name().equals(n)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown scheduling policy \"" + name + "\": use other, fifo, rr, batch or idle");
    }
}
