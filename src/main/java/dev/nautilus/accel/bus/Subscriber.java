package dev.nautilus.accel.bus;

import static dev.nautilus.accel.bus.ChannelDescriptor.AWAKE;
import static dev.nautilus.accel.bus.ChannelDescriptor.MODE_MAY_SLEEP;
import static dev.nautilus.accel.bus.ChannelDescriptor.MODE_NEVER_SLEEPS;
import static dev.nautilus.accel.bus.ChannelDescriptor.SLEEPING;
import static dev.nautilus.accel.bus.ChannelDescriptor.SUBSCRIBER_CLAIM_OFFSET;
import static dev.nautilus.accel.bus.ChannelDescriptor.SUBSCRIBER_MODE_OFFSET;
import static dev.nautilus.accel.bus.ChannelDescriptor.WAIT_WORD_OFFSET;

import dev.nautilus.accel.shm.Futex;
import java.lang.foreign.MemorySegment;

/**
 * The one reader of a {@link Channel}: drains its lanes in priority order (every waiting
 * {@link Lane#CRITICAL} message, then {@link Lane#NORMAL}, then {@link Lane#BULK}), handing
 * each message to a {@link MessageHandler} without copying or allocating.
 *
 * <p>{@link #poll} never blocks. {@link #receive} waits as its {@link WaitStrategy} says. On a
 * many-to-one channel, a message claimed by a publisher that died before committing it is
 * skipped after the channel's unblock timeout, so a crashed publisher never wedges the channel.
 *
 * <p>Thread-safety: one thread at a time. Close it to release the subscriber slot.
 */
public final class Subscriber implements AutoCloseable {
    private final Channel channel;
    private final MemorySegment header;
    private final Ring[] lanes;
    private final WaitStrategy strategy;
    private boolean closed;
    private long sleeps;

    Subscriber(Channel channel, WaitStrategy strategy) {
        if (strategy == null) {
            throw new NullPointerException("strategy is null: pass e.g. WaitStrategy.busySpin()");
        }
        this.channel = channel;
        this.header = channel.segment();
        this.strategy = strategy;
        channel.claim(SUBSCRIBER_CLAIM_OFFSET, "subscriber");
        this.lanes = channel.attachLanes(true);
        Channel.INT.setVolatile(header, WAIT_WORD_OFFSET, AWAKE);
        Channel.INT.setVolatile(header, SUBSCRIBER_MODE_OFFSET,
                strategy.kind() == WaitStrategy.Kind.SPIN_THEN_SLEEP ? MODE_MAY_SLEEP : MODE_NEVER_SLEEPS);
    }

    /**
     * Hands waiting messages to the handler, critical lane first; never blocks.
     *
     * @param handler receives each message (valid only during the call)
     * @param limit the most messages to hand over, &gt;= 1
     * @return how many were handed over (0: nothing was waiting)
     */
    public int poll(MessageHandler handler, int limit) {
        int n = 0;
        for (int i = 0; i < lanes.length && n < limit; i++) {
            n += lanes[i].read(handler, limit - n);
        }
        return n;
    }

    /**
     * Hands waiting messages to the handler, waiting for at least one as the strategy says.
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
        for (long idle = 0; ; idle++) {
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
        return lanes[lane.ordinal()] instanceof ManyToOneRing m ? m.unblockedCount() : 0;
    }

    /** Releases the subscriber slot (another process may then subscribe). Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (channel.bus().isOpen()) {
                Channel.INT.setVolatile(header, SUBSCRIBER_MODE_OFFSET, MODE_NEVER_SLEEPS);
                channel.release(SUBSCRIBER_CLAIM_OFFSET);
            }
        }
    }
}
