package dev.nautilus.accel.bus;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Priority lanes of a channel, one ring each. A subscriber drains them in this order: every
 * waiting {@code CRITICAL} message before any {@code NORMAL} one, and those before {@code BULK}.
 */
public enum Lane {
    /** Orders, cancels, risk limits: never waits behind other traffic. */
    CRITICAL,
    /** The default lane. */
    NORMAL,
    /** Snapshots, logs, analytics: read when nothing else waits. */
    BULK;

    static final Lane[] ALL = values();
    static final Set<Lane> ALL_SET = Collections.unmodifiableSet(EnumSet.allOf(Lane.class));

    /**
     * @param lanes some lanes
     * @return their bit mask: bit {@code ordinal()} per lane
     */
    static int mask(Set<Lane> lanes) {
        int m = 0;
        for (Lane l : lanes) {
            m |= 1 << l.ordinal();
        }
        return m;
    }
}
