package dev.nautilus.accel.bus;

import static dev.nautilus.accel.bus.ChannelDescriptor.AWAKE;
import static dev.nautilus.accel.bus.ChannelDescriptor.LANES_USED_OFFSET;
import static dev.nautilus.accel.bus.ChannelDescriptor.MODE_MAY_SLEEP;
import static dev.nautilus.accel.bus.ChannelDescriptor.MODE_NEVER_SLEEPS;
import static dev.nautilus.accel.bus.ChannelDescriptor.SLEEPING;
import static dev.nautilus.accel.bus.ChannelDescriptor.SUBSCRIBER_CLAIM_OFFSET;
import static dev.nautilus.accel.bus.ChannelDescriptor.SUBSCRIBER_LANES_OFFSET;
import static dev.nautilus.accel.bus.ChannelDescriptor.SUBSCRIBER_MODE_OFFSET;
import static dev.nautilus.accel.bus.ChannelDescriptor.WAIT_WORD_OFFSET;

import dev.nautilus.accel.shm.Futex;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The one reader of a {@link Channel}: drains its lanes in priority order (every waiting
 * {@link Lane#CRITICAL} message, then {@link Lane#NORMAL}, then {@link Lane#BULK}), handing
 * each message to a {@link MessageHandler} without copying or allocating.
 *
 * <p>{@link #poll} never blocks. {@link #receive} waits as its {@link WaitStrategy} says. On a
 * many-to-one channel, a message claimed by a publisher that died before committing it is
 * skipped after the channel's unblock timeout, so a crashed publisher never wedges the channel.
 *
 * <p>A subscriber made with {@link Channel#subscribe(WaitStrategy, Set)} reads only the lanes
 * it names (each lane a poll looks at costs latency); publishers then refuse the others.
 *
 * <p>Thread-safety: one thread at a time. Close it to release the subscriber slot.
 */
public final class Subscriber implements AutoCloseable {
    private final Channel channel;
    private final MemorySegment header;
    /** The lanes it reads, in priority order. */
    private final Ring[] lanes;
    /** The one lane it reads, or null when it reads several. */
    private final Ring onlyLane;
    private final int subscribedMask;
    /** The lanes {@link #receive} polls while spinning: those it reads that publishers have used. */
    private Ring[] spinLanes;
    /** The one lane of {@link #spinLanes}, or null. */
    private Ring spinOnly;
    /** The lane mask {@link #spinLanes} was built for. */
    private int spinMask = -1;
    private final Set<Lane> laneSet;
    private final WaitStrategy strategy;
    /** Every lane of the channel, in {@link Lane} order. */
    private final Ring[] allLanes;
    private boolean closed;
    private long sleeps;

    Subscriber(Channel channel, WaitStrategy strategy, Set<Lane> subscribed) {
        if (strategy == null) {
            throw new NullPointerException("strategy is null: pass e.g. WaitStrategy.busySpin()");
        }
        this.channel = channel;
        this.header = channel.segment();
        this.strategy = strategy;
        channel.claim(SUBSCRIBER_CLAIM_OFFSET, "subscriber");
        this.allLanes = channel.attachLanes(true);
        this.subscribedMask = Lane.mask(subscribed);
        this.lanes = rings(subscribedMask);
        this.onlyLane = lanes.length == 1 ? lanes[0] : null;
        this.laneSet = Lane.setOf(subscribedMask);
        Channel.INT.setVolatile(header, SUBSCRIBER_LANES_OFFSET, subscribedMask == Lane.ALL_MASK ? 0 : subscribedMask);
        Channel.INT.setVolatile(header, WAIT_WORD_OFFSET, AWAKE);
        Channel.INT.setVolatile(header, SUBSCRIBER_MODE_OFFSET,
                strategy.kind() == WaitStrategy.Kind.SPIN_THEN_SLEEP ? MODE_MAY_SLEEP : MODE_NEVER_SLEEPS);
        refreshSpinLanes();
    }

    /** Rebuilds {@link #spinLanes} when the lanes used changed (rare: a lane's first message). */
    private void refreshSpinLanes() {
        int used = (int) Channel.INT.getVolatile(header, LANES_USED_OFFSET) & subscribedMask;
        if (used == 0) {
            used = subscribedMask; // nothing announced yet: every lane it reads
        }
        if (used != spinMask) {
            spinLanes = rings(used);
            spinOnly = spinLanes.length == 1 ? spinLanes[0] : null;
            spinMask = used;
        }
    }

    /** @return the rings of the lanes in {@code mask}, in priority order */
    private Ring[] rings(int mask) {
        List<Ring> r = new ArrayList<>();
        for (Lane l : Lane.ALL) {
            if ((mask & (1 << l.ordinal())) != 0) {
                r.add(allLanes[l.ordinal()]);
            }
        }
        return r.toArray(new Ring[0]);
    }

    /** Reads {@code only} if not null, else each of {@code lanes} in order, up to {@code limit} messages. */
    private static int readInOrder(Ring only, Ring[] lanes, MessageHandler handler, int limit) {
        if (only != null) {
            return only.read(handler, limit);
        }
        int n = 0;
        for (int i = 0; i < lanes.length && n < limit; i++) {
            n += lanes[i].read(handler, limit - n);
        }
        return n;
    }

    /**
     * Hands waiting messages to the handler, critical lane first; never blocks.
     *
     * @param handler receives each message (valid only during the call)
     * @param limit the most messages to hand over, &gt;= 1
     * @return how many were handed over (0: nothing was waiting)
     */
    public int poll(MessageHandler handler, int limit) {
        return readInOrder(onlyLane, lanes, handler, limit);
    }

    /**
     * Hands waiting messages to the handler, waiting for at least one as the strategy says.
     *
     * <p>The first poll reads every lane this subscriber reads, as {@link #poll} does. While it
     * spins, it polls only the lanes that publishers have used (they mark a lane in the channel
     * header before their first message there), with a full poll every 1024 spins: each lane an
     * empty poll looks at costs a busy-spinning subscriber latency, and most channels carry one
     * lane. So the first message ever sent on a lane may wait up to 1024 polls (microseconds) for a
     * spinning subscriber, and in that window lower-priority lanes may be read first; from then on
     * the lane is polled every time. After the spin phase every poll is full.
     *
     * @param handler receives each message
     * @param limit the most messages to hand over, &gt;= 1
     * @param timeoutNanos the longest wait; 0 polls once; negative waits without limit
     * @return how many were handed over; 0 only when the timeout passed
     */
    public int receive(MessageHandler handler, int limit, long timeoutNanos) {
        int n = poll(handler, limit);
        if (n > 0 || timeoutNanos == 0) {
            return n;
        }
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : Long.MAX_VALUE;
        refreshSpinLanes();
        // the spin phase: nothing but polls of the lanes in use (each extra load or branch between
        // two polls of a busy-spinning subscriber shows in the cross-process round trip); every
        // 1024: a full poll, the lanes in use again, the clock
        int spins = strategy.spins();
        for (int i = 1; i <= spins; i++) {
            Thread.onSpinWait();
            if ((i & 1023) != 0) {
                Ring only = spinOnly;
                if (only != null) {
                    // one lane in use (the common case): a loop of its own up to the next full poll
                    int last = Math.min(spins, i | 1023);
                    while (true) {
                        n = only.read(handler, limit);
                        if (n > 0) {
                            return n;
                        }
                        if (i >= last) {
                            break;
                        }
                        i++;
                        Thread.onSpinWait();
                    }
                    continue;
                }
                n = readInOrder(null, spinLanes, handler, limit); // several lanes in use
                if (n > 0) {
                    return n;
                }
                continue;
            }
            n = poll(handler, limit);
            if (n > 0) {
                return n;
            }
            refreshSpinLanes();
            if (System.nanoTime() >= deadline) {
                return 0;
            }
        }
        for (long idle = spins; ; idle++) {
            if (idle < strategy.spins()) {
                Thread.onSpinWait();
            } else if (idle - strategy.spins() < strategy.yields()) {
                Thread.yield();
            } else {
                long now = System.nanoTime();
                if (now >= deadline) {
                    return 0;
                }
                sleep(Math.min(strategy.maxSleepNanos(), deadline - now));
            }
            n = poll(handler, limit);
            if (n > 0) {
                return n;
            }
            if ((idle & 1023) == 1023 && System.nanoTime() >= deadline) {
                return 0;
            }
        }
    }

    private void sleep(long nanos) {
        for (Ring r : lanes) {
            if (r instanceof ManyToOneRing m) {
                m.checkBlocked();
            }
        }
        Channel.INT.setVolatile(header, WAIT_WORD_OFFSET, SLEEPING);
        if (!anyCommitted()) {
            sleeps++;
            Futex.await(header, WAIT_WORD_OFFSET, SLEEPING, nanos);
        }
        Channel.INT.setVolatile(header, WAIT_WORD_OFFSET, AWAKE);
    }

    private boolean anyCommitted() {
        for (Ring r : lanes) {
            if (r.hasCommitted()) {
                return true;
            }
        }
        return false;
    }

    /** @return how many times this subscriber went to sleep on the futex word */
    public long sleeps() {
        return sleeps;
    }

    /** @return the strategy */
    public WaitStrategy strategy() {
        return strategy;
    }

    /** @return the channel */
    public Channel channel() {
        return channel;
    }

    /**
     * @param lane a lane
     * @return records a dead publisher left unfinished that this subscriber skipped on that lane
     */
    public long unblockedCount(Lane lane) {
        return allLanes[lane.ordinal()] instanceof ManyToOneRing m ? m.unblockedCount() : 0;
    }

    /** @return the lanes this subscriber reads (every lane unless it was made with a set of lanes) */
    public Set<Lane> lanes() {
        return laneSet;
    }

    /** Releases the subscriber slot (another process may then subscribe). Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (channel.bus().isOpen()) {
                Channel.INT.setVolatile(header, SUBSCRIBER_MODE_OFFSET, MODE_NEVER_SLEEPS);
                Channel.INT.setVolatile(header, SUBSCRIBER_LANES_OFFSET, 0);
                channel.release(SUBSCRIBER_CLAIM_OFFSET);
            }
        }
    }
}
