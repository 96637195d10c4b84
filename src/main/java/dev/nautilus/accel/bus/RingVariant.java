package dev.nautilus.accel.bus;

/** The producer side of a ring: one producer thread, or many producers (threads or processes). */
public enum RingVariant {
    /** One producer thread at a time; the fastest claim (no compare-and-set). */
    ONE_TO_ONE(1),
    /** Any number of producers, in any processes; claims race with compare-and-set. */
    MANY_TO_ONE(2);

    private final int code;

    RingVariant(int code) {
        this.code = code;
    }

    /** @return the value stored in the ring header */
    public int code() {
        return code;
    }

    /**
     * @param code a header value
     * @return the variant, or null when the code is unknown
     */
    public static RingVariant of(int code) {
        for (RingVariant v : values()) {
            if (v.code == code) {
                return v;
            }
        }
        return null;
    }
}
