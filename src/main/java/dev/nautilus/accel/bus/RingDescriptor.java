package dev.nautilus.accel.bus;

/**
 * The byte layout of a ring in a {@link java.lang.foreign.MemorySegment}: one metadata region,
 * then the data region. Every offset a ring, a tool or another process uses is defined here.
 *
 * <pre>
 *   offset  size  field                                   written by
 *   ------  ----  --------------------------------------  -----------------------------
 *        0     8  magic "NAUTRING" (0x4E41555452494E47)    creator, once
 *        8     4  layout version ({@link #LAYOUT_VERSION})  creator, once
 *       12     4  variant (1 one-to-one, 2 many-to-one)   creator, once
 *       16     8  capacity of the data region (2^n bytes)  creator, once
 *       24     8  largest message payload (capacity / 8)  creator, once
 *       32     8  creator process id                      creator, once
 *       40     8  creator start time (ms since epoch, 0 unknown)  creator, once
 *       48     4  state: 0 initialising, 1 ready (release) creator, last
 *       52     4  reserved (0)
 *       56     8  checksum of bytes 0..47                 creator, once
 *      128     8  tail: producer position (bytes ever claimed)     producer(s)
 *      256     8  head cache: producers' last view of head          producer(s)
 *      384     8  head: consumer position (bytes ever consumed)     consumer
 *      512   512  reserved for the bus (wait word, claims, ...)
 *     1024     C  data: records, C = capacity
 *
 *   Each counter sits alone in its own 128-byte block (two cache lines, so the adjacent-line
 *   prefetcher does not couple them): producers and the consumer never write the same line.
 *
 *   Record (8-byte aligned, never split across the end of the data region):
 *     +0  int  length: header + payload bytes; 0 = not yet claimed; negative = claimed,
 *              not yet committed (-length); positive = committed (release store)
 *     +4  int  type id (&gt;= 1 for messages, -1 padding)
 *     +8       payload, then zero bytes up to the next multiple of 8
 *   A padding record fills the space at the end of the region when a record would not fit there.
 *   A length of 0 means "nothing yet". Many-to-one: each producer writes its claimed header
 *   (negative length) at claim time, the consumer zeroes what it consumed before advancing head.
 *   One-to-one: the producer keeps an open claim's header to itself and at commit writes, in this
 *   order, a zero over the 8 bytes after the record (so it needs them free) unless it zeroed them
 *   ahead, the header (length and type id as one 8-byte release store), and the padding record if
 *   it wrapped; when a record of the same length would end at a cache line boundary, it then
 *   zeroes the first 8 bytes of that line ahead, if they are free and not in the consumer's line.
 *   After every commit the 8 bytes after the last record are zero. Only when a second claim is
 *   made while one is open does it write the open one's header as claimed (negative length). The
 *   one-to-one consumer writes nothing but head.
 * </pre>
 *
 * Positions are 64-bit byte counts that only grow; {@code position & (capacity - 1)} is the index
 * in the data region. All offsets are {@code long}, so data regions larger than 2 GiB work.
 */
public final class RingDescriptor {
    /** "NAUTRING" in ASCII, big-endian. */
    public static final long MAGIC = 0x4E41555452494E47L;
    /** Version of this layout; rings of another version are refused. */
    public static final int LAYOUT_VERSION = 1;

    /** Offset of the magic number. */
    public static final long MAGIC_OFFSET = 0;
    /** Offset of the layout version. */
    public static final long VERSION_OFFSET = 8;
    /** Offset of the variant code. */
    public static final long VARIANT_OFFSET = 12;
    /** Offset of the data region's capacity. */
    public static final long CAPACITY_OFFSET = 16;
    /** Offset of the largest payload. */
    public static final long MAX_PAYLOAD_OFFSET = 24;
    /** Offset of the creator's process id. */
    public static final long CREATOR_PID_OFFSET = 32;
    /** Offset of the creator's start time. */
    public static final long CREATOR_START_OFFSET = 40;
    /** Offset of the state word. */
    public static final long STATE_OFFSET = 48;
    /** Offset of the header checksum. */
    public static final long CHECKSUM_OFFSET = 56;
    /** Offset of the producer position. */
    public static final long TAIL_OFFSET = 128;
    /** Offset of the producers' cached consumer position. */
    public static final long HEAD_CACHE_OFFSET = 256;
    /** Offset of the consumer position. */
    public static final long HEAD_OFFSET = 384;
    /** Start of the 512 bytes reserved for the bus. */
    public static final long BUS_RESERVED_OFFSET = 512;
    /** Length of the metadata region; the data region starts here. */
    public static final long METADATA_LENGTH = 1024;

    /** State value while the creator is still writing the header. */
    public static final int STATE_INITIALISING = 0;
    /** State value once the ring can be used. */
    public static final int STATE_READY = 1;

    /** Bytes of a record header (length + type). */
    public static final int RECORD_HEADER_LENGTH = 8;
    /** Record alignment in bytes. */
    public static final int ALIGNMENT = 8;
    /** Type id of padding records. */
    public static final int PADDING_TYPE_ID = -1;
    /** Smallest data region. */
    public static final long MIN_CAPACITY = 1024;

    private RingDescriptor() {}

    /**
     * @param capacity data region size, a power of two &gt;= {@link #MIN_CAPACITY}
     * @return the segment size a ring of that capacity needs (metadata + data)
     * @throws IllegalArgumentException for an invalid capacity
     */
    public static long segmentSize(long capacity) {
        checkCapacity(capacity);
        return METADATA_LENGTH + capacity;
    }

    /**
     * @param capacity data region size
     * @return the largest payload a ring of that capacity takes: capacity / 8
     */
    public static int maxPayload(long capacity) {
        return (int) Math.min(Integer.MAX_VALUE - 2 * ALIGNMENT, capacity / 8);
    }

    /**
     * @param capacity a proposed data region size
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static void checkCapacity(long capacity) {
        if (capacity < MIN_CAPACITY || Long.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("invalid ring capacity " + capacity
                    + ": it must be a power of two >= " + MIN_CAPACITY + " bytes (e.g. 65536)");
        }
    }

    /**
     * @param length record length (header + payload)
     * @return the length rounded up to {@link #ALIGNMENT}
     */
    public static int align(int length) {
        return (length + ALIGNMENT - 1) & -ALIGNMENT;
    }
}
