package dev.nautilus.accel.bus;

import static dev.nautilus.accel.bus.RingDescriptor.HEAD_CACHE_OFFSET;
import static dev.nautilus.accel.bus.RingDescriptor.HEAD_OFFSET;
import static dev.nautilus.accel.bus.RingDescriptor.PADDING_TYPE_ID;
import static dev.nautilus.accel.bus.RingDescriptor.RECORD_HEADER_LENGTH;
import static dev.nautilus.accel.bus.RingDescriptor.TAIL_OFFSET;

import java.lang.foreign.MemorySegment;

/**
 * A ring with one producer thread and one consumer thread (which may be in different
 * processes). The producer claims without compare-and-set and keeps a cached copy of the
 * consumer position, reading the real one only when the cache says the ring is full.
 *
 * <p>Thread-safety: {@code tryClaim}/{@code commit}/{@code abort}/{@code write} from one thread at
 * a time; {@code read} from one (other) thread at a time. State accessors from any thread.
 */
public final class OneToOneRing extends Ring {
    private OneToOneRing(MemorySegment segment, boolean create) {
        super(segment, RingVariant.ONE_TO_ONE, create);
    }

    /**
     * Formats a segment as an empty ring (zeroes it and writes the header). The data region is
     * the largest power of two that fits after the metadata ({@link RingDescriptor}).
     *
     * @param segment writable, 8-byte aligned, at least {@code RingDescriptor.segmentSize(1024)} bytes
     * @return the ring
     * @throws IllegalArgumentException for an unusable segment, saying why
     */
    public static OneToOneRing create(MemorySegment segment) {
        return new OneToOneRing(segment, true);
    }

    /**
     * Uses a ring another thread or process created, after checking its header.
     *
     * @param segment the ring's segment
     * @return the ring
     * @throws RingFormatException when the segment holds no ready one-to-one ring of this layout version
     */
    public static OneToOneRing attach(MemorySegment segment) {
        return new OneToOneRing(segment, false);
    }

    @Override
    public RingVariant variant() {
        return RingVariant.ONE_TO_ONE;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The consumer of a one-to-one ring does not zero what it read; instead the producer keeps
     * the header after its record zero (so it needs 8 bytes beyond the record free), which saves
     * the consumer a write to every cache line the producer fills next.
     */
    @Override
    public long tryClaim(int typeId, int length) {
        checkClaim(typeId, length);
        int recordLength = length + RECORD_HEADER_LENGTH;
        int aligned = RingDescriptor.align(recordLength);
        int required = aligned + RECORD_HEADER_LENGTH; // the record and a zeroed header after it
        long tail = (long) LONG.get(segment, TAIL_OFFSET);
        long head = (long) LONG.get(segment, HEAD_CACHE_OFFSET);
        if (required > capacity - (tail - head)) {
            head = (long) LONG.getAcquire(segment, HEAD_OFFSET);
            if (required > capacity - (tail - head)) {
                return INSUFFICIENT_CAPACITY;
            }
            LONG.set(segment, HEAD_CACHE_OFFSET, head);
        }
        long padding = 0;
        long recordIndex = tail & mask;
        long toEnd = capacity - recordIndex;
        if (aligned > toEnd) {
            long headIndex = head & mask;
            if (required > headIndex) {
                head = (long) LONG.getAcquire(segment, HEAD_OFFSET);
                headIndex = head & mask;
                if (required > headIndex) {
                    return INSUFFICIENT_CAPACITY;
                }
                LONG.set(segment, HEAD_CACHE_OFFSET, head);
            }
            padding = toEnd;
        }
        long index = padding != 0 ? 0 : recordIndex;
        // claim first, then the zero header after it, then (if wrapping) the padding that leads the
        // consumer here: the consumer never sees a stale header
        INT.set(data, index + 4, typeId);
        INT.setRelease(data, index, -recordLength);
        LONG.set(data, (index + aligned) & mask, 0L);
        if (padding != 0) {
            INT.set(data, recordIndex + 4, PADDING_TYPE_ID);
            INT.setRelease(data, recordIndex, (int) padding);
        }
        LONG.setRelease(segment, TAIL_OFFSET, tail + aligned + padding);
        return index + RECORD_HEADER_LENGTH;
    }
}
