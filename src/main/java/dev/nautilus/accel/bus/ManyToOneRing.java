package dev.nautilus.accel.bus;

import static dev.nautilus.accel.bus.RingDescriptor.ALIGNMENT;
import static dev.nautilus.accel.bus.RingDescriptor.HEAD_CACHE_OFFSET;
import static dev.nautilus.accel.bus.RingDescriptor.HEAD_OFFSET;
import static dev.nautilus.accel.bus.RingDescriptor.PADDING_TYPE_ID;
import static dev.nautilus.accel.bus.RingDescriptor.RECORD_HEADER_LENGTH;
import static dev.nautilus.accel.bus.RingDescriptor.TAIL_OFFSET;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * A ring with any number of producers (threads, or processes sharing the segment) and one
 * consumer thread. Producers race for space with a compare-and-set on the tail.
 *
 * <p><b>Dead producers.</b> A producer that dies (or stops) between {@code tryClaim} and
 * {@code commit} leaves a record the consumer cannot pass. When the consumer has seen no progress
 * past such a record for {@link #unblockTimeoutNanos()} (default 5 s), {@link #read} turns it into
 * padding and carries on; {@link #unblockedCount()} counts how often. The timeout must be longer
 * than any pause a live producer can take between claim and commit (GC pauses included): a record
 * unblocked under a live producer is lost. {@link #unblock()} does it at once.
 *
 * <p>Thread-safety: {@code tryClaim}/{@code commit}/{@code abort}/{@code write} from any number of
 * threads; {@code read}/{@code unblock} from one consumer thread at a time.
 */
public final class ManyToOneRing extends Ring {
    /** Default time a consumer waits on an unfinished record before unblocking it. */
    public static final long DEFAULT_UNBLOCK_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int EMPTY_READS_BETWEEN_CHECKS = 64;

    private long unblockTimeoutNanos = DEFAULT_UNBLOCK_TIMEOUT_NANOS;
    // Consumer-thread state for blocked-record detection, in a padded array: producer threads read
    // this object's fields on every claim, so the consumer must not write next to them.
    private static final int EMPTY_READS = Padded.FIRST;
    private static final int BLOCKED_HEAD = Padded.FIRST + 1;
    private static final int BLOCKED_SINCE = Padded.FIRST + 2;
    private static final int UNBLOCKED = Padded.FIRST + 3;
    private final long[] consumer = Padded.longs(4);

    private ManyToOneRing(MemorySegment segment, boolean create) {
        super(segment, RingVariant.MANY_TO_ONE, create);
        consumer[BLOCKED_HEAD] = -1;
    }

    /**
     * Formats a segment as an empty ring (zeroes it and writes the header).
     *
     * @param segment writable, 8-byte aligned, at least {@code RingDescriptor.segmentSize(1024)} bytes
     * @return the ring
     * @throws IllegalArgumentException for an unusable segment, saying why
     */
    public static ManyToOneRing create(MemorySegment segment) {
        return new ManyToOneRing(segment, true);
    }

    /**
     * Uses a ring another thread or process created, after checking its header.
     *
     * @param segment the ring's segment
     * @return the ring
     * @throws RingFormatException when the segment holds no ready many-to-one ring of this layout version
     */
    public static ManyToOneRing attach(MemorySegment segment) {
        return new ManyToOneRing(segment, false);
    }

    @Override
    public RingVariant variant() {
        return RingVariant.MANY_TO_ONE;
    }

    /**
     * Sets how long the consumer waits on an unfinished record before turning it into padding.
     *
     * @param nanos &gt; 0
     * @return this ring
     */
    public ManyToOneRing unblockTimeoutNanos(long nanos) {
        if (nanos <= 0) {
            throw new IllegalArgumentException("invalid unblock timeout " + nanos + " ns: it must be > 0");
        }
        this.unblockTimeoutNanos = nanos;
        return this;
    }

    /** @return how long the consumer waits on an unfinished record before unblocking it */
    public long unblockTimeoutNanos() {
        return unblockTimeoutNanos;
    }

    /** @return how many unfinished records this consumer turned into padding */
    public long unblockedCount() {
        return consumer[UNBLOCKED];
    }

    @Override
    public long tryClaim(int typeId, int length) {
        checkClaim(typeId, length);
        int recordLength = length + RECORD_HEADER_LENGTH;
        int required = RingDescriptor.align(recordLength);
        long head = (long) LONG.getVolatile(segment, HEAD_CACHE_OFFSET);
        long tail;
        long padding;
        do {
            tail = (long) LONG.getVolatile(segment, TAIL_OFFSET);
            if (required > capacity - (tail - head)) {
                head = (long) LONG.getVolatile(segment, HEAD_OFFSET);
                if (required > capacity - (tail - head)) {
                    return INSUFFICIENT_CAPACITY;
                }
                LONG.setRelease(segment, HEAD_CACHE_OFFSET, head);
            }
            padding = 0;
            long tailIndex = tail & mask;
            long toEnd = capacity - tailIndex;
            if (required > toEnd) {
                long headIndex = head & mask;
                if (required > headIndex) {
                    head = (long) LONG.getVolatile(segment, HEAD_OFFSET);
                    headIndex = head & mask;
                    if (required > headIndex) {
                        return INSUFFICIENT_CAPACITY;
                    }
                    LONG.setRelease(segment, HEAD_CACHE_OFFSET, head);
                }
                padding = toEnd;
            }
        } while (!LONG.compareAndSet(segment, TAIL_OFFSET, tail, tail + required + padding));

        long recordIndex = tail & mask;
        if (padding != 0) {
            INT.set(data, recordIndex + 4, PADDING_TYPE_ID);
            INT.setRelease(data, recordIndex, (int) padding);
            recordIndex = 0;
        }
        INT.set(data, recordIndex + 4, typeId);
        INT.setRelease(data, recordIndex, -recordLength);
        return recordIndex + RECORD_HEADER_LENGTH;
    }

    @Override
    public void commit(long offset) {
        commitWritten(offset);
    }

    @Override
    public void abort(long offset) {
        abortWritten(offset);
    }

    /**
     * {@inheritDoc}
     *
     * <p>When nothing can be read although producers have claimed space, this also watches for a
     * record left unfinished by a dead producer and unblocks it after the timeout (checked every
     * few empty reads: a {@code System.nanoTime()} call, no allocation).
     */
    @Override
    public int read(MessageHandler handler, int limit) {
        int n = super.read(handler, limit);
        if (n == 0 && ++consumer[EMPTY_READS] >= EMPTY_READS_BETWEEN_CHECKS) {
            consumer[EMPTY_READS] = 0;
            checkBlocked();
        }
        return n;
    }

    /** Consumer thread: unblocks a record stuck for longer than the timeout (see {@link #read}). */
    void checkBlocked() {
        long head = (long) LONG.get(segment, HEAD_OFFSET);
        long tail = (long) LONG.getVolatile(segment, TAIL_OFFSET);
        long[] c = consumer;
        if (head == tail) {
            c[BLOCKED_HEAD] = -1;
            return;
        }
        long now = System.nanoTime();
        if (head != c[BLOCKED_HEAD]) {
            c[BLOCKED_HEAD] = head;
            c[BLOCKED_SINCE] = now;
            return;
        }
        if (now - c[BLOCKED_SINCE] >= unblockTimeoutNanos) {
            unblock();
            c[BLOCKED_HEAD] = -1;
        }
    }

    /**
     * Turns the unfinished record at the consumer position into padding, if there is one: a
     * claimed record whose producer never committed (its length is negative), or a claimed slot
     * whose producer never wrote a header (zeros up to the next record). Consumer thread only.
     * Use only when the producer is known to be dead or the timeout has passed.
     *
     * @return true when a record was unblocked
     */
    public boolean unblock() {
        long head = (long) LONG.getVolatile(segment, HEAD_OFFSET);
        long tail = (long) LONG.getVolatile(segment, TAIL_OFFSET);
        if (head == tail) {
            return false;
        }
        long consumerIndex = head & mask;
        long producerIndex = tail & mask;
        int length = (int) INT.getVolatile(data, consumerIndex);
        if (length < 0) {
            INT.set(data, consumerIndex + 4, PADDING_TYPE_ID);
            INT.setRelease(data, consumerIndex, -length);
            consumer[UNBLOCKED]++;
            return true;
        }
        if (length == 0) {
            long limit = producerIndex > consumerIndex ? producerIndex : capacity;
            for (long i = consumerIndex + ALIGNMENT; i < limit; i += ALIGNMENT) {
                if ((int) INT.getVolatile(data, i) != 0) {
                    if (stillZero(consumerIndex, i)) {
                        INT.set(data, consumerIndex + 4, PADDING_TYPE_ID);
                        INT.setRelease(data, consumerIndex, (int) (i - consumerIndex));
                        consumer[UNBLOCKED]++;
                        return true;
                    }
                    return false;
                }
            }
        }
        return false;
    }

    private boolean stillZero(long from, long to) {
        for (long i = to - ALIGNMENT; i >= from; i -= ALIGNMENT) {
            if ((long) LONG.getVolatile(data, i) != 0L) {
                return false;
            }
        }
        return true;
    }
}
