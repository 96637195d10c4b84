package dev.nautilus.accel.bus;

import static dev.nautilus.accel.bus.ChannelDescriptor.AWAKE;
import static dev.nautilus.accel.bus.ChannelDescriptor.LANES_USED_OFFSET;
import static dev.nautilus.accel.bus.ChannelDescriptor.MODE_MAY_SLEEP;
import static dev.nautilus.accel.bus.ChannelDescriptor.PUBLISHER_CLAIM_OFFSET;
import static dev.nautilus.accel.bus.ChannelDescriptor.SLEEPING;
import static dev.nautilus.accel.bus.ChannelDescriptor.SUBSCRIBER_CLAIM_OFFSET;
import static dev.nautilus.accel.bus.ChannelDescriptor.SUBSCRIBER_LANES_OFFSET;
import static dev.nautilus.accel.bus.ChannelDescriptor.SUBSCRIBER_MODE_OFFSET;
import static dev.nautilus.accel.bus.ChannelDescriptor.WAIT_WORD_OFFSET;

import dev.nautilus.accel.shm.Futex;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.stream.Collectors;

/**
 * Sends messages on a {@link Channel}'s lanes, zero-copy ({@link #tryClaim} / {@link #commit}) or
 * by copying ({@link #offer}).
 *
 * <p>After each commit the publisher checks whether the subscriber may sleep: if it may, one
 * memory fence, and a futex wake system call only when the subscriber has said it is sleeping.
 * Against a spinning subscriber a commit costs a release store and one cached load, and a claim one
 * more cached load (the lanes the subscriber reads). No allocation.
 *
 * <p>Thread-safety: on a {@link RingVariant#MANY_TO_ONE} channel any number of threads (and other
 * processes' publishers) may publish at once; on a {@link RingVariant#ONE_TO_ONE} channel this is
 * the only publisher and one thread at a time may use it. Close it to release the slot.
 */
public final class Publisher implements AutoCloseable {
    private final Channel channel;
    private final MemorySegment header;
    private final Ring[] lanes;
    private final boolean ownsSlot;
    private volatile boolean closed;
    private long wakeups;

    Publisher(Channel channel) {
        this.channel = channel;
        this.header = channel.segment();
        this.ownsSlot = channel.variant() == RingVariant.ONE_TO_ONE;
        if (ownsSlot) {
            channel.claim(PUBLISHER_CLAIM_OFFSET, "publisher");
        }
        this.lanes = channel.attachLanes(false);
    }

    /**
     * Copies a message into a lane and wakes the subscriber if it sleeps.
     *
     * @param lane the lane
     * @param typeId message type, &gt;= 1
     * @param payload the bytes to send (up to the lane's {@link Channel#maxPayload})
     * @return true when sent, false when the lane is full (nothing was written)
     * @throws IllegalArgumentException for a bad type id or an oversized payload
     * @throws IllegalStateException when the subscriber does not read this lane (it subscribed to
     *     other lanes only; see {@link Channel#subscribe(WaitStrategy, java.util.Set)})
     */
    public boolean offer(Lane lane, int typeId, MemorySegment payload) {
        beforeMessage(lane);
        if (!lanes[lane.ordinal()].write(typeId, payload)) {
            return false;
        }
        signal();
        return true;
    }

    /**
     * Reserves room for a message; write the payload into {@link #buffer(Lane)} at the returned
     * offset, then {@link #commit} (or {@link #abort}).
     *
     * @param lane the lane
     * @param typeId message type, &gt;= 1
     * @param length payload bytes
     * @return the payload offset, or {@link Ring#INSUFFICIENT_CAPACITY} when the lane is full
     * @throws IllegalArgumentException for a bad type id or length
     * @throws IllegalStateException when the subscriber does not read this lane
     */
    public long tryClaim(Lane lane, int typeId, int length) {
        beforeMessage(lane);
        return lanes[lane.ordinal()].tryClaim(typeId, length);
    }

    /**
     * @param lane a lane
     * @return the lane's writable data region, where {@link #tryClaim} offsets point
     */
    public MemorySegment buffer(Lane lane) {
        return lanes[lane.ordinal()].buffer();
    }

    /**
     * Publishes a claimed message and wakes the subscriber if it sleeps.
     *
     * @param lane the lane it was claimed on
     * @param offset what {@link #tryClaim} returned
     */
    public void commit(Lane lane, long offset) {
        lanes[lane.ordinal()].commit(offset);
        signal();
    }

    /**
     * Gives up a claimed message; the subscriber never sees it.
     *
     * @param lane the lane it was claimed on
     * @param offset what {@link #tryClaim} returned
     */
    public void abort(Lane lane, long offset) {
        lanes[lane.ordinal()].abort(offset);
    }

    /** Lanes this publisher has marked in the channel's lanes-used word. */
    private int announced;

    /**
     * Before a message on {@code lane}: marks the lane used in the channel header the first time
     * (one atomic OR per lane and publisher), then checks that the subscriber reads it (one load of
     * the line {@link #signal} reads anyway).
     */
    private void beforeMessage(Lane lane) {
        int bit = 1 << lane.ordinal();
        if ((announced & bit) == 0) {
            Channel.INT.getAndBitwiseOr(header, LANES_USED_OFFSET, bit);
            announced |= bit;
        }
        int mask = (int) Channel.INT.getAcquire(header, SUBSCRIBER_LANES_OFFSET);
        if (mask != 0 && (mask & (1 << lane.ordinal())) == 0) {
            throw laneNotRead(lane, mask);
        }
    }

    private IllegalStateException laneNotRead(Lane lane, int mask) {
        String read = Lane.setOf(mask).stream().map(Lane::name).collect(Collectors.joining(", "));
        long pid = Processes.pid((long) Channel.LONG.getVolatile(header, SUBSCRIBER_CLAIM_OFFSET));
        return new IllegalStateException("lane " + lane + " of channel " + channel.name() + " is not read: its subscriber"
                + (pid != 0 ? " (pid " + pid + ")" : "") + " reads only " + read
                + "; publish on one of those, or subscribe to " + lane + " as well");
    }

    private void signal() {
        if ((int) Channel.INT.getAcquire(header, SUBSCRIBER_MODE_OFFSET) == MODE_MAY_SLEEP) {
            // Pairs with the subscriber's volatile "sleeping" store and its re-check of the lanes:
            // either it sees our commit, or we see that it sleeps.
            VarHandle.fullFence();
            if ((int) Channel.INT.getVolatile(header, WAIT_WORD_OFFSET) == SLEEPING
                    && Channel.INT.compareAndSet(header, WAIT_WORD_OFFSET, SLEEPING, AWAKE)) {
                Futex.wakeAll(header, WAIT_WORD_OFFSET);
                wakeups++;
            }
        }
    }

    /** @return how many wake system calls this publisher made (racy when shared by threads) */
    public long wakeups() {
        return wakeups;
    }

    /** @return the channel */
    public Channel channel() {
        return channel;
    }

    /** Releases the one-to-one publisher slot. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (ownsSlot && channel.bus().isOpen()) {
                channel.release(PUBLISHER_CLAIM_OFFSET);
            }
        }
    }
}
