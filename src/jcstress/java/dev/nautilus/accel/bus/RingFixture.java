package dev.nautilus.accel.bus;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the jcstress ring tests share: fresh small heap rings, the messages producers write, and a
 * handler that says what a consumer saw.
 *
 * <p>A ring is created once per (variant, start position) as a template, then every test state
 * gets its own copy ({@code long[].clone()} + {@code attach}): {@code create} asks the OS for the
 * process start time ({@code ProcessHandle.current().info()}), about 43 us per ring on the 2-vCPU
 * development VM against under 2 us for a copy, too slow for the millions of states jcstress makes.
 * A template's producer and consumer positions are both at its start: messages were written and
 * read to move them there, so claims near the end of the data region are tested too. Each test
 * state takes the next of three places in turn ({@link #nextPlace()}) and reports it:
 * <ul>
 *   <li>{@link #PLACE_FRESH} (0): a fresh ring, the first record at the start of the data region;</li>
 *   <li>{@link #PLACE_PADDING} (1): 16 bytes left before the end, too few for a test record: the
 *       first claim writes a padding record there and its record at 0;</li>
 *   <li>{@link #PLACE_END} (2): the first record exactly fills the end of the data region; the next
 *       one is at 0, and the consumer's read goes on across the end.</li>
 * </ul>
 */
final class RingFixture {
    /** Data region of every test ring (the smallest allowed). */
    static final long CAPACITY = 1024;
    /** Payload of every test message: a long, then an int. */
    static final int LENGTH = 12;
    /** Record of a test message: 8-byte header + 12 bytes, aligned to 8. */
    static final int RECORD = RingDescriptor.align(RingDescriptor.RECORD_HEADER_LENGTH + LENGTH);
    /** Place code: fresh ring. */
    static final int PLACE_FRESH = 0;
    /** Place code: the first claim needs padding at the end of the data region. */
    static final int PLACE_PADDING = 1;
    /** Place code: the first record ends the data region. */
    static final int PLACE_END = 2;
    /** Producer and consumer position of each place. */
    private static final long[] START = {0, CAPACITY - RECORD + 8, CAPACITY - RECORD};
    private static final AtomicInteger NEXT_PLACE = new AtomicInteger();

    /** {@link Seen} bit: a message that was not one of the expected ones, whole, once. */
    static final int TORN = 4;
    /** Arbiter bit: after draining, the consumer position is not the producer position. */
    static final int LEFT_BEHIND = 8;

    private static final long[][] ONE_TO_ONE = {
        template(RingVariant.ONE_TO_ONE, START[0]),
        template(RingVariant.ONE_TO_ONE, START[1]),
        template(RingVariant.ONE_TO_ONE, START[2]),
    };
    private static final long[][] MANY_TO_ONE = {
        template(RingVariant.MANY_TO_ONE, START[0]),
        template(RingVariant.MANY_TO_ONE, START[1]),
        template(RingVariant.MANY_TO_ONE, START[2]),
    };

    private RingFixture() {}

    /** @return the place for the next test state: 0, 1, 2, 0, 1, ... */
    static int nextPlace() {
        return Math.floorMod(NEXT_PLACE.getAndIncrement(), START.length);
    }

    /** @return a fresh one-to-one ring over its own heap segment, at {@code place} */
    static OneToOneRing oneToOne(int place) {
        return OneToOneRing.attach(MemorySegment.ofArray(ONE_TO_ONE[place].clone()));
    }

    /** @return a fresh many-to-one ring over its own heap segment, at {@code place} */
    static ManyToOneRing manyToOne(int place) {
        return ManyToOneRing.attach(MemorySegment.ofArray(MANY_TO_ONE[place].clone()));
    }

    private static long[] template(RingVariant variant, long start) {
        long[] words = new long[(int) (RingDescriptor.segmentSize(CAPACITY) / 8)];
        MemorySegment segment = MemorySegment.ofArray(words);
        Ring ring = variant == RingVariant.ONE_TO_ONE ? OneToOneRing.create(segment) : ManyToOneRing.create(segment);
        while (ring.producerPosition() < start) {
            int record = (int) Math.min(128, start - ring.producerPosition());
            if (!ring.write(99, MemorySegment.ofArray(new byte[record - RingDescriptor.RECORD_HEADER_LENGTH]))) {
                throw new IllegalStateException("template ring full at " + ring.producerPosition());
            }
            ring.read((t, b, o, l) -> { }, 100);
        }
        if (ring.producerPosition() != start || ring.consumerPosition() != start) {
            throw new IllegalStateException("template ring at " + ring.producerPosition() + "/" + ring.consumerPosition()
                    + ", wanted " + start);
        }
        return words;
    }

    /** @return the message type producer {@code p} writes */
    static int typeId(int p) {
        return 1 + p;
    }

    /** @return the long producer {@code p} writes (no zero byte, different per producer) */
    static long payloadLong(int p) {
        return 0x0123456789ABCDEFL + p * 0x0101010101010101L;
    }

    /** @return the int producer {@code p} writes */
    static int payloadInt(int p) {
        return 0x5A5B5C5D + p;
    }

    /** Claims, writes producer {@code p}'s message in place, commits (or aborts). */
    static void produce(Ring ring, int p, boolean commit) {
        long offset = ring.tryClaim(typeId(p), LENGTH);
        if (offset < 0) {
            throw new IllegalStateException("claim failed in a ring with room: " + offset);
        }
        MemorySegment buffer = ring.buffer();
        buffer.set(ValueLayout.JAVA_LONG, offset, payloadLong(p));
        buffer.set(ValueLayout.JAVA_INT, offset + 8, payloadInt(p));
        if (commit) {
            ring.commit(offset);
        } else {
            ring.abort(offset);
        }
    }

    /** Reads once, as a consumer thread does. @return the {@link Seen} bits */
    static int readOnce(Ring ring) {
        Seen seen = new Seen();
        ring.read(seen, 8);
        return seen.bits;
    }

    /**
     * Reads everything left (run by the arbiter, after every actor). @return the {@link Seen}
     * bits, plus {@link #LEFT_BEHIND} if the ring is still not empty
     */
    static int drain(Ring ring) {
        return drain(ring, new Seen());
    }

    /** {@link #drain(Ring)} into the given handler. */
    static int drain(Ring ring, Seen seen) {
        for (int i = 0; i < 4; i++) {
            ring.read(seen, 8);
        }
        return seen.bits | (ring.consumerPosition() != ring.producerPosition() ? LEFT_BEHIND : 0);
    }

    /**
     * Bit {@code 1 << p} for each whole message of producer {@code p} (0 or 1), {@link #TORN} for
     * anything else: another type or length, a wrong or partly written payload, a message twice.
     */
    static final class Seen implements MessageHandler {
        int bits;
        /** {@code 1 << p} of the first whole message, 0 if none. */
        int first;

        @Override
        public void onMessage(int typeId, MemorySegment buffer, long offset, int length) {
            int p = typeId - 1;
            if (p < 0 || p > 1 || length != LENGTH || (bits & (1 << p)) != 0
                    || buffer.get(ValueLayout.JAVA_LONG, offset) != payloadLong(p)
                    || buffer.get(ValueLayout.JAVA_INT, offset + 8) != payloadInt(p)) {
                bits |= TORN;
            } else {
                bits |= 1 << p;
                if (first == 0) {
                    first = 1 << p;
                }
            }
        }
    }
}
