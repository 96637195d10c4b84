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
    /** Every lane's bit. */
    static final int ALL_MASK = (1 << ALL.length) - 1;

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

    /**
     * @param mask bit {@code ordinal()} per lane
     * @return those lanes, in priority order (unmodifiable)
     */
    static Set<Lane> setOf(int mask) {
        EnumSet<Lane> set = EnumSet.noneOf(Lane.class);
        for (Lane l : ALL) {
            if ((mask & (1 << l.ordinal())) != 0) {
                set.add(l);
            }
        }
        return Collections.unmodifiableSet(set);
    }
}
