package dev.nautilus.accel.bus;

import java.time.Duration;
import java.util.Arrays;

/**
 * How a channel is created. Immutable: each {@code with} method returns a copy.
 *
 * <p>Defaults: {@link RingVariant#MANY_TO_ONE}, lanes of 64 KiB (critical), 1 MiB (normal) and
 * 1 MiB (bulk), dead-producer unblock timeout 5 s, channel name kept after the creator closes.
 */
public final class ChannelConfig {
    private static final ChannelConfig DEFAULTS = new ChannelConfig(RingVariant.MANY_TO_ONE,
            new long[] {64 * 1024, 1024 * 1024, 1024 * 1024}, ManyToOneRing.DEFAULT_UNBLOCK_TIMEOUT_NANOS, false);

    private final RingVariant variant;
    private final long[] laneCapacity;
    private final long unblockTimeoutNanos;
    private final boolean removeOnClose;

    private ChannelConfig(RingVariant variant, long[] laneCapacity, long unblockTimeoutNanos, boolean removeOnClose) {
        this.variant = variant;
        this.laneCapacity = laneCapacity;
        this.unblockTimeoutNanos = unblockTimeoutNanos;
        this.removeOnClose = removeOnClose;
    }

    /** @return the defaults */
    public static ChannelConfig defaults() {
        return DEFAULTS;
    }

    /**
     * @param v one publisher (fastest) or many publishers in any processes
     * @return a copy
     */
    public ChannelConfig withVariant(RingVariant v) {
        if (v == null) {
            throw new NullPointerException("variant is null");
        }
        return new ChannelConfig(v, laneCapacity, unblockTimeoutNanos, removeOnClose);
    }

    /**
     * @param lane the lane
     * @param bytes its ring's data region: a power of two &gt;= 1024; the largest message is bytes / 8
     * @return a copy
     */
    public ChannelConfig withLaneCapacity(Lane lane, long bytes) {
        RingDescriptor.checkCapacity(bytes);
        long[] c = laneCapacity.clone();
        c[lane.ordinal()] = bytes;
        return new ChannelConfig(variant, c, unblockTimeoutNanos, removeOnClose);
    }

    /**
     * @param timeout how long a subscriber waits on a message a dead publisher claimed but never
     *     committed before skipping it (many-to-one only); longer than any GC pause of a live publisher
     * @return a copy
     */
    public ChannelConfig withUnblockTimeout(Duration timeout) {
        long ns = timeout.toNanos();
        if (ns <= 0) {
            throw new IllegalArgumentException("invalid unblock timeout " + timeout + ": it must be > 0 (default 5 s)");
        }
        return new ChannelConfig(variant, laneCapacity, ns, removeOnClose);
    }

    /**
     * @param value true: the creating {@link MessageBus} unlinks the channel's segment when it closes
     * @return a copy
     */
    public ChannelConfig withRemoveOnClose(boolean value) {
        return new ChannelConfig(variant, laneCapacity, unblockTimeoutNanos, value);
    }

    /** @return the variant of every lane */
    public RingVariant variant() {
        return variant;
    }

    /**
     * @param lane a lane
     * @return its data region in bytes
     */
    public long laneCapacity(Lane lane) {
        return laneCapacity[lane.ordinal()];
    }

    /** @return the unblock timeout in nanoseconds */
    public long unblockTimeoutNanos() {
        return unblockTimeoutNanos;
    }

    /** @return whether the creator removes the segment on close */
    public boolean removeOnClose() {
        return removeOnClose;
    }

    @Override
    public String toString() {
        return "ChannelConfig[" + variant + ", lanes=" + Arrays.toString(laneCapacity) + ", unblockTimeout="
                + Duration.ofNanos(unblockTimeoutNanos) + ", removeOnClose=" + removeOnClose + "]";
    }
}
