package dev.nautilus.accel.bus;

import static dev.nautilus.accel.bus.ChannelDescriptor.CREATOR_PID_OFFSET;
import static dev.nautilus.accel.bus.ChannelDescriptor.CREATOR_START_OFFSET;
import static dev.nautilus.accel.bus.ChannelDescriptor.LANE_CAPACITY_OFFSET;
import static dev.nautilus.accel.bus.ChannelDescriptor.PUBLISHER_CLAIM_OFFSET;
import static dev.nautilus.accel.bus.ChannelDescriptor.SUBSCRIBER_CLAIM_OFFSET;
import static dev.nautilus.accel.bus.ChannelDescriptor.SUBSCRIBER_LANES_OFFSET;
import static dev.nautilus.accel.bus.ChannelDescriptor.SUBSCRIBER_MODE_OFFSET;
import static dev.nautilus.accel.bus.ChannelDescriptor.VARIANT_OFFSET;
import static dev.nautilus.accel.bus.ChannelDescriptor.WAIT_WORD_OFFSET;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A decoded snapshot of a channel segment: variant, lanes with positions and backlog, who
 * created it and whether that process lives, and who holds the subscriber and publisher slots.
 *
 * @param segmentName e.g. {@code /trading.orders}
 * @param variant ring variant of the lanes
 * @param lanes one entry per lane, in priority order
 * @param creatorPid process that created the channel
 * @param creatorAlive whether that process still runs
 * @param subscriberPid process holding the subscriber slot, 0 when none
 * @param subscriberAlive whether it still runs
 * @param subscriberMaySleep whether the subscriber's strategy sleeps on the futex word
 * @param subscriberSleeping whether it says it is sleeping now
 * @param subscriberLanes the lanes the subscriber reads (every lane when it did not choose)
 * @param publisherPid process holding the one-to-one publisher slot, 0 when none
 * @param publisherAlive whether it still runs
 */
public record ChannelInfo(String segmentName, RingVariant variant, List<LaneInfo> lanes, long creatorPid,
                          boolean creatorAlive, long subscriberPid, boolean subscriberAlive, boolean subscriberMaySleep,
                          boolean subscriberSleeping, Set<Lane> subscriberLanes, long publisherPid, boolean publisherAlive) {

    /**
     * One lane's state.
     *
     * @param lane the lane
     * @param capacity data region bytes
     * @param producerPosition bytes ever claimed
     * @param consumerPosition bytes ever consumed
     */
    public record LaneInfo(Lane lane, long capacity, long producerPosition, long consumerPosition) {
        /** @return bytes claimed but not yet consumed */
        public long backlog() {
            return Math.max(0, producerPosition - consumerPosition);
        }
    }

    /** @return true when the creator process is gone: the channel may be stale */
    public boolean stale() {
        return !creatorAlive;
    }

    private static Set<Lane> lanes(int mask) {
        return mask == 0 ? Lane.ALL_SET : Lane.setOf(mask);
    }

    static ChannelInfo decode(String segmentName, MemorySegment s) {
        long[] caps = new long[Lane.ALL.length];
        List<LaneInfo> lanes = new ArrayList<>();
        for (int i = 0; i < caps.length; i++) {
            caps[i] = s.get(ValueLayout.JAVA_LONG, LANE_CAPACITY_OFFSET + 8L * i);
        }
        for (int i = 0; i < caps.length; i++) {
            long off = ChannelDescriptor.laneOffset(caps, i);
            long tail = (long) Channel.LONG.getVolatile(s, off + RingDescriptor.TAIL_OFFSET);
            long head = (long) Channel.LONG.getVolatile(s, off + RingDescriptor.HEAD_OFFSET);
            lanes.add(new LaneInfo(Lane.ALL[i], caps[i], tail, head));
        }
        long creator = s.get(ValueLayout.JAVA_LONG, CREATOR_PID_OFFSET);
        long creatorStart = s.get(ValueLayout.JAVA_LONG, CREATOR_START_OFFSET);
        long sub = (long) Channel.LONG.getVolatile(s, SUBSCRIBER_CLAIM_OFFSET);
        long pub = (long) Channel.LONG.getVolatile(s, PUBLISHER_CLAIM_OFFSET);
        return new ChannelInfo(segmentName, RingVariant.of(s.get(ValueLayout.JAVA_INT, VARIANT_OFFSET)), List.copyOf(lanes),
                creator, Processes.isAlive(creator, creatorStart),
                Processes.pid(sub), Processes.isAlive(sub),
                (int) Channel.INT.getVolatile(s, SUBSCRIBER_MODE_OFFSET) == ChannelDescriptor.MODE_MAY_SLEEP,
                (int) Channel.INT.getVolatile(s, WAIT_WORD_OFFSET) == ChannelDescriptor.SLEEPING,
                lanes((int) Channel.INT.getVolatile(s, SUBSCRIBER_LANES_OFFSET)),
                Processes.pid(pub), Processes.isAlive(pub));
    }
}
