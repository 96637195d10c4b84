package dev.nautilus.accel.bus;

import static dev.nautilus.accel.bus.RingDescriptor.HEAD_CACHE_OFFSET;
import static dev.nautilus.accel.bus.RingDescriptor.HEAD_OFFSET;
import static dev.nautilus.accel.bus.RingDescriptor.PADDING_TYPE_ID;
import static dev.nautilus.accel.bus.RingDescriptor.RECORD_HEADER_LENGTH;
import static dev.nautilus.accel.bus.RingDescriptor.TAIL_OFFSET;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * A ring with one producer thread and one consumer thread (which may be in different
 * processes). The producer claims without compare-and-set and keeps a cached copy of the
 * consumer position, reading the real one only when the cache says the ring is full.
 *
 * <p><b>Publication.</b> The producer writes nothing the consumer reads until {@link #commit}:
 * the open claim's header is kept in this object, and the commit writes the payload's header
 * (length and type id) with one 8-byte release store, after zeroing the header slot that follows.
 * So a consumer polling the ring sees each cache line change once per message, not once at the
 * claim and again at the commit. When that slot starts a cache line, a zero store there would
 * first have to take the line from the consumer's cache (its prefetcher or its polling reads it),
 * and the header cannot be seen before it (stores become visible in order): so after a commit
 * whose record, repeated, would end at a line boundary, the producer zeroes that line's first
 * word at once, off the message's path, and the commit that ends there stores nothing before its
 * header. Across processes 24- and 56-byte messages (32- and 64-byte records) were 1.3-1.5x
 * Agrona's round trip without this, and level with it after. When a second claim is made while one is still open, the open
 * one's header is written to the ring as "claimed" (negative length, as in a many-to-one ring)
 * and both are then committed the ordinary way; any number of claims may be open.
 *
 * <p>Thread-safety: {@code tryClaim}/{@code commit}/{@code abort}/{@code write} from one thread at
 * a time; {@code read} from one (other) thread at a time. State accessors from any thread.
 */
public final class OneToOneRing extends Ring {
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final long NONE = -1;
    // The open claim whose header is not in the ring yet (producer thread only), in a padded array:
    // the consumer thread reads this object's fields, so the producer must not write next to them.
    private static final int OPEN_OFFSET = Padded.FIRST; // payload offset, or NONE
    private static final int OPEN_HEADER = Padded.FIRST + 1; // header(typeId, recordLength)
    private static final int OPEN_PADDING_INDEX = Padded.FIRST + 2; // padding record before it (it wrapped), or NONE
    private static final int OPEN_PADDING = Padded.FIRST + 3;
    // Position of the last line-start word zeroed ahead (producer only), or NONE.
    private static final int LINE_ZEROED = Padded.FIRST + 4;
    private final long[] open = Padded.longs(5);
    private static final long LINE = 64;

    private OneToOneRing(MemorySegment segment, boolean create) {
        super(segment, RingVariant.ONE_TO_ONE, create);
        open[OPEN_OFFSET] = NONE;
        open[LINE_ZEROED] = NONE;
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
        LONG.setRelease(segment, TAIL_OFFSET, tail + aligned + padding);
        long[] open = this.open;
        if (open[OPEN_OFFSET] == NONE) {
            // the slot's header is zero (kept so by the record before it): publish it all at commit
            open[OPEN_OFFSET] = index + RECORD_HEADER_LENGTH;
            open[OPEN_HEADER] = header(typeId, recordLength);
            open[OPEN_PADDING_INDEX] = padding != 0 ? recordIndex : NONE;
            open[OPEN_PADDING] = padding;
        } else {
            // a claim is open: write its header and this one's as claimed (commit then stores the length)
            writeOpenClaim();
            writeClaimed(index, typeId, -recordLength, aligned, recordIndex, padding);
        }
        return index + RECORD_HEADER_LENGTH;
    }

    @Override
    public void commit(long offset) {
        long[] open = this.open;
        if (offset == open[OPEN_OFFSET]) {
            publishOpen(open, open[OPEN_HEADER]);
        } else {
            commitWritten(offset);
        }
    }

    @Override
    public void abort(long offset) {
        long[] open = this.open;
        if (offset == open[OPEN_OFFSET]) {
            publishOpen(open, header(PADDING_TYPE_ID, recordLength(open[OPEN_HEADER])));
        } else {
            abortWritten(offset);
        }
    }

    /**
     * Publishes the open claim with a header (its own, or padding's to skip it): zeroes the slot
     * after it unless it was zeroed ahead, stores the header, then maybe zeroes ahead.
     */
    private void publishOpen(long[] open, long header) {
        long index = open[OPEN_OFFSET] - RECORD_HEADER_LENGTH;
        open[OPEN_OFFSET] = NONE;
        long tail = (long) LONG.get(segment, TAIL_OFFSET); // the open claim is the last claim: its end
        if (tail != open[LINE_ZEROED]) { // only a line start zeroed ahead is equal
            LONG.set(data, tail & mask, 0L);
        }
        LONG.setRelease(data, index, header);
        long paddingIndex = open[OPEN_PADDING_INDEX];
        if (paddingIndex != NONE) {
            LONG.setRelease(data, paddingIndex, header(PADDING_TYPE_ID, (int) open[OPEN_PADDING]));
        }
        long next = tail + RingDescriptor.align(recordLength(header));
        if ((next & (LINE - 1)) == 0) {
            zeroLineStart(open, next);
        }
    }

    /**
     * After a commit whose record, repeated, would end at a cache line boundary: zeroes the first
     * word of that line now, after the header store, if it is free and not in the line the
     * consumer may be reading, and remembers it, so that a commit ending there skips its zero store.
     */
    private void zeroLineStart(long[] open, long lineStart) {
        if (lineStart > open[LINE_ZEROED] && lineStart + LINE <= (long) LONG.get(segment, HEAD_CACHE_OFFSET) + capacity) {
            LONG.set(data, lineStart & mask, 0L);
            open[LINE_ZEROED] = lineStart;
        }
    }

    /** Writes the open claim's header into the ring as claimed, uncommitted (negative length). */
    private void writeOpenClaim() {
        long[] open = this.open;
        long index = open[OPEN_OFFSET] - RECORD_HEADER_LENGTH;
        open[OPEN_OFFSET] = NONE;
        long header = open[OPEN_HEADER];
        int recordLength = recordLength(header);
        long paddingIndex = open[OPEN_PADDING_INDEX];
        writeClaimed(index, typeId(header), -recordLength, RingDescriptor.align(recordLength),
                paddingIndex == NONE ? index : paddingIndex, open[OPEN_PADDING]);
    }

    /**
     * Writes a claimed record's header (negative length) and zeroes the header after it; then,
     * when it wrapped, the padding that leads the consumer to it. The consumer never sees a stale
     * header.
     */
    private void writeClaimed(long index, int typeId, int negativeLength, int aligned, long paddingIndex, long padding) {
        LONG.set(data, (index + aligned) & mask, 0L);
        LONG.setRelease(data, index, header(typeId, negativeLength));
        if (padding != 0) {
            LONG.setRelease(data, paddingIndex, header(PADDING_TYPE_ID, (int) padding));
        }
    }

    /** @return a record header as one long: the length at +0 and the type id at +4 in native order */
    private static long header(int typeId, int length) {
        return LITTLE_ENDIAN
                ? ((long) typeId << 32) | (length & 0xFFFF_FFFFL)
                : ((long) length << 32) | (typeId & 0xFFFF_FFFFL);
    }

    private static int recordLength(long header) {
        return (int) (LITTLE_ENDIAN ? header : header >>> 32);
    }

    private static int typeId(long header) {
        return (int) (LITTLE_ENDIAN ? header >>> 32 : header);
    }
}
