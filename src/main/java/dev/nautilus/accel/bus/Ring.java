package dev.nautilus.accel.bus;

import static dev.nautilus.accel.bus.RingDescriptor.ALIGNMENT;
import static dev.nautilus.accel.bus.RingDescriptor.CAPACITY_OFFSET;
import static dev.nautilus.accel.bus.RingDescriptor.CHECKSUM_OFFSET;
import static dev.nautilus.accel.bus.RingDescriptor.CREATOR_PID_OFFSET;
import static dev.nautilus.accel.bus.RingDescriptor.CREATOR_START_OFFSET;
import static dev.nautilus.accel.bus.RingDescriptor.HEAD_OFFSET;
import static dev.nautilus.accel.bus.RingDescriptor.LAYOUT_VERSION;
import static dev.nautilus.accel.bus.RingDescriptor.MAGIC;
import static dev.nautilus.accel.bus.RingDescriptor.MAGIC_OFFSET;
import static dev.nautilus.accel.bus.RingDescriptor.MAX_PAYLOAD_OFFSET;
import static dev.nautilus.accel.bus.RingDescriptor.METADATA_LENGTH;
import static dev.nautilus.accel.bus.RingDescriptor.MIN_CAPACITY;
import static dev.nautilus.accel.bus.RingDescriptor.PADDING_TYPE_ID;
import static dev.nautilus.accel.bus.RingDescriptor.RECORD_HEADER_LENGTH;
import static dev.nautilus.accel.bus.RingDescriptor.STATE_INITIALISING;
import static dev.nautilus.accel.bus.RingDescriptor.STATE_OFFSET;
import static dev.nautilus.accel.bus.RingDescriptor.STATE_READY;
import static dev.nautilus.accel.bus.RingDescriptor.TAIL_OFFSET;
import static dev.nautilus.accel.bus.RingDescriptor.VARIANT_OFFSET;
import static dev.nautilus.accel.bus.RingDescriptor.VERSION_OFFSET;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * A ring buffer of variable-length messages over a {@link MemorySegment} (heap, off-heap or
 * shared memory): {@link OneToOneRing} for one producer thread, {@link ManyToOneRing} for many.
 * One consumer thread reads, in order. Layout: {@link RingDescriptor}.
 *
 * <p><b>Writing</b> without copying: {@link #tryClaim} reserves space and returns the payload's
 * offset in {@link #buffer()}; write the payload there, then {@link #commit} (or {@link #abort}).
 * {@link #write} copies a segment in one call. A full ring makes the claim return
 * {@link #INSUFFICIENT_CAPACITY}: unread data is never overwritten. A payload larger than
 * {@link #maxPayload()} (capacity / 8) is rejected with an exception naming the limit.
 *
 * <p><b>Reading</b>: {@link #read} hands up to {@code limit} messages to a {@link MessageHandler}
 * as read-only windows on the data region, then zeroes and releases the space.
 *
 * <p><b>Memory order</b>: only through {@link VarHandle} acquire/release/volatile accesses; no
 * {@code Unsafe}. A committed record's header (its positive length) is stored with release
 * semantics after its payload, and read with acquire semantics before its payload.
 *
 * <p><b>Allocation</b>: none in {@code tryClaim}, {@code commit}, {@code abort}, {@code write} or
 * {@code read}. Thread-safety: see the subclasses; the segment's arena must stay open while the
 * ring is used (a closed arena makes every call throw {@link IllegalStateException}).
 */
public abstract sealed class Ring permits OneToOneRing, ManyToOneRing {
    /** {@link #tryClaim} result when the ring has no room for the message now. */
    public static final long INSUFFICIENT_CAPACITY = -2;

    static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final int ZERO_BY_LOOP_MAX = 512;
    private static final MemorySegment ZEROS = MemorySegment.ofArray(new long[512]); // 4 KiB, never written

    final MemorySegment segment;
    final MemorySegment data;
    /** Whether the consumer zeroes what it consumed (many-to-one), or producers keep the next header zero (one-to-one). */
    private final boolean zeroOnRead;
    final MemorySegment readView;
    final long capacity;
    final long mask;
    final int maxPayload;

    Ring(MemorySegment segment, RingVariant variant, boolean create) {
        this.segment = segment;
        this.zeroOnRead = variant == RingVariant.MANY_TO_ONE;
        long cap = create ? initialise(segment, variant) : validate(segment, variant);
        this.capacity = cap;
        this.mask = cap - 1;
        this.maxPayload = RingDescriptor.maxPayload(cap);
        this.data = segment.asSlice(METADATA_LENGTH, cap);
        this.readView = data.asReadOnly();
    }

    // ------------------------------------------------------------------ producer side

    /**
     * Reserves room for a message of {@code length} payload bytes.
     *
     * @param typeId message type, &gt;= 1
     * @param length payload bytes, 0 to {@link #maxPayload()}
     * @return the payload's offset in {@link #buffer()}, to write and then {@link #commit}; or
     *     {@link #INSUFFICIENT_CAPACITY} when the ring is full
     * @throws IllegalArgumentException for a type id &lt; 1 or a length outside the limits
     */
    public abstract long tryClaim(int typeId, int length);

    /**
     * Publishes a claimed message (a release store of its header).
     *
     * @param offset what {@link #tryClaim} returned
     * @throws IllegalStateException when {@code offset} is not an open claim of this ring
     */
    public abstract void commit(long offset);

    /**
     * Gives a claimed message up: the consumer skips it.
     *
     * @param offset what {@link #tryClaim} returned
     * @throws IllegalStateException when {@code offset} is not an open claim of this ring
     */
    public abstract void abort(long offset);

    /** Commits a claim whose header is in the ring (length negative): release store of the length. */
    final void commitWritten(long offset) {
        INT.setRelease(data, offset - RECORD_HEADER_LENGTH, claimedLength(offset));
    }

    /** Aborts a claim whose header is in the ring: it becomes padding. */
    final void abortWritten(long offset) {
        int length = claimedLength(offset);
        long recordIndex = offset - RECORD_HEADER_LENGTH;
        INT.set(data, recordIndex + 4, PADDING_TYPE_ID);
        INT.setRelease(data, recordIndex, length);
    }

    /** @return the record length of a claimed, uncommitted record at a payload offset, or throws */
    private int claimedLength(long offset) {
        long recordIndex = offset - RECORD_HEADER_LENGTH;
        if (recordIndex < 0 || offset > capacity || (offset & (ALIGNMENT - 1)) != 0) {
            throw notClaimed(offset);
        }
        int length = (int) INT.get(data, recordIndex);
        if (length >= 0) {
            throw notClaimed(offset);
        }
        return -length;
    }

    final IllegalStateException notClaimed(long offset) {
        return new IllegalStateException("offset " + offset + " is not a claimed, uncommitted message in this ring: "
                + "commit or abort exactly once what tryClaim returned");
    }

    /**
     * Copies a message into the ring: claim, copy, commit.
     *
     * @param typeId message type, &gt;= 1
     * @param source the payload (any segment; its whole length is copied)
     * @return true when written, false when the ring is full
     * @throws IllegalArgumentException for a bad type id or a payload over {@link #maxPayload()}
     */
    public final boolean write(int typeId, MemorySegment source) {
        long size = source.byteSize();
        if (size > maxPayload) {
            throw tooLong(size);
        }
        long offset = tryClaim(typeId, (int) size);
        if (offset < 0) {
            return false;
        }
        MemorySegment.copy(source, 0, data, offset, size);
        commit(offset);
        return true;
    }

    /**
     * The writable data region, in which {@link #tryClaim} offsets point. Write only inside the
     * payload you claimed.
     *
     * @return the data region
     */
    public final MemorySegment buffer() {
        return data;
    }

    final void checkClaim(int typeId, int length) {
        if (typeId < 1) {
            throw new IllegalArgumentException("invalid message type id " + typeId + ": type ids must be >= 1");
        }
        if (length < 0 || length > maxPayload) {
            throw tooLong(length);
        }
    }

    private IllegalArgumentException tooLong(long length) {
        return new IllegalArgumentException("invalid message length " + length + ": payloads are 0 to " + maxPayload
                + " bytes in this ring (capacity " + capacity + " / 8); use a larger ring or split the message");
    }

    // ------------------------------------------------------------------ consumer side

    /**
     * Hands up to {@code limit} committed messages, in order, to the handler, then zeroes their
     * space and releases it to producers. Stops at a claimed but uncommitted message. Returns 0
     * only when no committed message was waiting. If the handler throws, the messages handed so
     * far, the throwing one included, are consumed and the exception propagates. One consumer
     * thread only.
     *
     * @param handler receives each message
     * @param limit the most messages to hand over, &gt;= 1
     * @return how many messages were handed over
     */
    public int read(MessageHandler handler, int limit) {
        long head = (long) LONG.get(segment, HEAD_OFFSET);
        long headIndex = head & mask;
        if ((int) INT.getAcquire(data, headIndex) <= 0) {
            return 0; // nothing committed: the polling path is two loads
        }
        int n = readContiguous(handler, limit, head, headIndex);
        if (n < limit) {
            long after = (long) LONG.get(segment, HEAD_OFFSET);
            if (after != head && (after & mask) == 0) { // reached the end of the region: go on from its start
                n += readContiguous(handler, limit - n, after, 0);
            }
        }
        return n;
    }

    private int readContiguous(MessageHandler handler, int limit, long head, long headIndex) {
        long contiguous = capacity - headIndex;
        long bytesRead = 0;
        int messages = 0;
        try {
            while (bytesRead < contiguous && messages < limit) {
                long recordIndex = headIndex + bytesRead;
                int length = (int) INT.getAcquire(data, recordIndex);
                if (length <= 0) {
                    break;
                }
                bytesRead += RingDescriptor.align(length);
                int typeId = (int) INT.get(data, recordIndex + 4);
                if (typeId == PADDING_TYPE_ID) {
                    continue;
                }
                messages++;
                handler.onMessage(typeId, readView, recordIndex + RECORD_HEADER_LENGTH, length - RECORD_HEADER_LENGTH);
            }
        } finally {
            if (bytesRead > 0) {
                if (zeroOnRead) {
                    zero(headIndex, bytesRead);
                }
                LONG.setRelease(segment, HEAD_OFFSET, head + bytesRead);
            }
        }
        return messages;
    }

    /** Zeroes consumed bytes without allocating: long stores, or copies from a zero block. */
    private void zero(long index, long length) {
        if (length <= ZERO_BY_LOOP_MAX) {
            for (long i = index, end = index + length; i < end; i += ALIGNMENT) {
                LONG.set(data, i, 0L);
            }
        } else {
            long block = ZEROS.byteSize();
            for (long done = 0; done < length; done += block) {
                MemorySegment.copy(ZEROS, 0, data, index + done, Math.min(block, length - done));
            }
        }
    }

    /** Consumer thread: is a committed record waiting at the consumer position? (volatile read) */
    final boolean hasCommitted() {
        long head = (long) LONG.get(segment, HEAD_OFFSET);
        return (int) INT.getVolatile(data, head & mask) > 0;
    }

    // ------------------------------------------------------------------ state

    /** @return bytes of the data region */
    public final long capacity() {
        return capacity;
    }

    /** @return the largest payload: capacity / 8 */
    public final int maxPayload() {
        return maxPayload;
    }

    /** @return bytes ever claimed by producers (volatile read) */
    public final long producerPosition() {
        return (long) LONG.getVolatile(segment, TAIL_OFFSET);
    }

    /** @return bytes ever consumed (volatile read) */
    public final long consumerPosition() {
        return (long) LONG.getVolatile(segment, HEAD_OFFSET);
    }

    /** @return bytes claimed but not yet consumed: the backlog, padding included */
    public final long size() {
        long head;
        long tail;
        long again = (long) LONG.getVolatile(segment, HEAD_OFFSET);
        do {
            head = again;
            tail = (long) LONG.getVolatile(segment, TAIL_OFFSET);
            again = (long) LONG.getVolatile(segment, HEAD_OFFSET);
        } while (again != head);
        return Math.max(0, Math.min(capacity, tail - head));
    }

    /** @return the variant of this ring */
    public abstract RingVariant variant();

    /** @return the process id that created the ring */
    public final long creatorPid() {
        return segment.get(ValueLayout.JAVA_LONG, CREATOR_PID_OFFSET);
    }

    /** @return the whole segment (metadata and data) */
    public final MemorySegment segment() {
        return segment;
    }

    // ------------------------------------------------------------------ header

    private static void checkSegment(MemorySegment segment) {
        if (segment == null) {
            throw new NullPointerException("segment is null");
        }
        if (segment.maxByteAlignment() < ALIGNMENT) {
            throw new IllegalArgumentException("ring segment is not 8-byte aligned (alignment " + segment.maxByteAlignment()
                    + "): heap rings need a long[]-backed segment, e.g. MemorySegment.ofArray(new long[n])");
        }
        if (segment.isReadOnly()) {
            throw new IllegalArgumentException("ring segment is read-only: rings need a writable mapping");
        }
        if (segment.byteSize() < METADATA_LENGTH + MIN_CAPACITY) {
            throw new IllegalArgumentException("segment of " + segment.byteSize() + " bytes is too small for a ring: it needs "
                    + METADATA_LENGTH + " bytes of metadata plus a data region of at least " + MIN_CAPACITY
                    + " bytes (RingDescriptor.segmentSize(capacity))");
        }
    }

    /** Writes a fresh header; the capacity is the largest power of two that fits. */
    private static long initialise(MemorySegment segment, RingVariant variant) {
        checkSegment(segment);
        long cap = Long.highestOneBit(segment.byteSize() - METADATA_LENGTH);
        segment.asSlice(0, METADATA_LENGTH + cap).fill((byte) 0);
        segment.set(ValueLayout.JAVA_LONG, MAGIC_OFFSET, MAGIC);
        segment.set(ValueLayout.JAVA_INT, VERSION_OFFSET, LAYOUT_VERSION);
        segment.set(ValueLayout.JAVA_INT, VARIANT_OFFSET, variant.code());
        segment.set(ValueLayout.JAVA_LONG, CAPACITY_OFFSET, cap);
        segment.set(ValueLayout.JAVA_LONG, MAX_PAYLOAD_OFFSET, RingDescriptor.maxPayload(cap));
        segment.set(ValueLayout.JAVA_LONG, CREATOR_PID_OFFSET, Processes.SELF_PID);
        segment.set(ValueLayout.JAVA_LONG, CREATOR_START_OFFSET, Processes.SELF_START_MILLIS);
        segment.set(ValueLayout.JAVA_LONG, CHECKSUM_OFFSET, checksum(segment));
        INT.setRelease(segment, STATE_OFFSET, STATE_READY);
        return cap;
    }

    private static long validate(MemorySegment segment, RingVariant expected) {
        checkSegment(segment);
        int state = (int) INT.getAcquire(segment, STATE_OFFSET);
        long magic = segment.get(ValueLayout.JAVA_LONG, MAGIC_OFFSET);
        if (state == STATE_INITIALISING && (magic == 0 || magic == MAGIC)) {
            throw new RingFormatException("ring is not initialised yet: its creator (pid "
                    + segment.get(ValueLayout.JAVA_LONG, CREATOR_PID_OFFSET)
                    + ") is still writing it, or died doing so; retry, or remove and recreate it");
        }
        if (magic != MAGIC) {
            throw new RingFormatException(String.format(
                    "not a nautilus ring: magic 0x%016X, expected 0x%016X (\"NAUTRING\"); the segment holds something else",
                    magic, MAGIC));
        }
        int version = segment.get(ValueLayout.JAVA_INT, VERSION_OFFSET);
        if (version != LAYOUT_VERSION) {
            throw new RingFormatException("ring layout version " + version + ", this nautilus-accel reads version "
                    + LAYOUT_VERSION + ": use the same nautilus-accel version in every process of the bus");
        }
        long sum = checksum(segment);
        if (state != STATE_READY || sum != segment.get(ValueLayout.JAVA_LONG, CHECKSUM_OFFSET)) {
            throw new RingFormatException("ring header is corrupt (state " + state + ", checksum "
                    + Long.toHexString(segment.get(ValueLayout.JAVA_LONG, CHECKSUM_OFFSET)) + ", computed "
                    + Long.toHexString(sum) + "); remove and recreate the ring");
        }
        RingVariant actual = RingVariant.of(segment.get(ValueLayout.JAVA_INT, VARIANT_OFFSET));
        if (actual != expected) {
            throw new RingFormatException("ring is " + (actual == null ? "of unknown variant" : actual)
                    + ", not " + expected + ": attach it with " + (actual == RingVariant.MANY_TO_ONE
                    ? "ManyToOneRing.attach" : "OneToOneRing.attach"));
        }
        long cap = segment.get(ValueLayout.JAVA_LONG, CAPACITY_OFFSET);
        if (cap < MIN_CAPACITY || Long.bitCount(cap) != 1 || cap > segment.byteSize() - METADATA_LENGTH) {
            throw new RingFormatException("ring header is corrupt: capacity " + cap + " does not fit a segment of "
                    + segment.byteSize() + " bytes");
        }
        return cap;
    }

    /** A 64-bit mix of header bytes 0..47. */
    static long checksum(MemorySegment segment) {
        return checksum(segment, STATE_OFFSET);
    }

    /** A 64-bit mix of the first {@code length} bytes (a multiple of 8): ring and channel headers. */
    static long checksum(MemorySegment segment, long length) {
        long h = 0x9E3779B97F4A7C15L;
        for (long off = 0; off < length; off += 8) {
            h ^= segment.get(ValueLayout.JAVA_LONG, off);
            h *= 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        return h;
    }
}
