package dev.nautilus.accel.bus;

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
}
