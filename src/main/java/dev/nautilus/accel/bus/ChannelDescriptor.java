package dev.nautilus.accel.bus;

/**
 * The byte layout of a channel's shared-memory segment: a 1 KiB channel header, then one ring
 * per {@link Lane} (each laid out as {@link RingDescriptor} says, with its own header).
 *
 * <pre>
 *   offset  size  field                                        written by
 *   ------  ----  -------------------------------------------  ------------------------------
 *        0     8  magic "NAUTCHAN" (0x4E4155544348414E)         creator, once
 *        8     4  layout version ({@link #LAYOUT_VERSION})       creator, once
 *       12     4  ring variant of every lane (1 or 2)           creator, once
 *       16     4  lane count (3)                                creator, once
 *       24     8  creator process id                            creator, once
 *       32     8  creator start time (ms since epoch, 0 unknown) creator, once
 *       40    24  lane data capacities: critical, normal, bulk  creator, once
 *       64     4  state: 0 initialising, 1 ready (release)      creator, last
 *       72     8  checksum of bytes 0..63                       creator, once
 *      128     8  subscriber claim: pid | start second &lt;&lt; 28 (0: none), CAS  subscriber
 *      144     4  subscriber wait mode: 0 never sleeps, 1 may sleep  subscriber
 *      148     4  lanes the subscriber reads: bit i = lane i; 0 = every lane  subscriber
 *      256     8  publisher claim (one-to-one only), same format, CAS  publisher
 *      384     4  wait word (futex): 0 awake, 1 sleeping        subscriber; publishers CAS 1-&gt;0
 *      640     4  lanes used: bit i set before the first message on lane i (atomic OR), never cleared  publishers
 *     1024        lane rings: critical, normal, bulk, back to back
 * </pre>
 *
 * The subscriber and publisher claims hold a process id and its start time (seconds) in one word
 * written by compare-and-set, so a claim left by a dead process (or a recycled pid) is recognised
 * and taken over instead of blocking the channel.
 */
public final class ChannelDescriptor {
    /** "NAUTCHAN" in ASCII, big-endian. */
    public static final long MAGIC = 0x4E4155544348414EL;
    /** Version of this layout (2: the subscriber's lane mask and the lanes-used word). */
    public static final int LAYOUT_VERSION = 2;

    /** Offset of the magic number. */
    public static final long MAGIC_OFFSET = 0;
    /** Offset of the layout version. */
    public static final long VERSION_OFFSET = 8;
    /** Offset of the ring variant. */
    public static final long VARIANT_OFFSET = 12;
    /** Offset of the lane count. */
    public static final long LANE_COUNT_OFFSET = 16;
    /** Offset of the creator process id. */
    public static final long CREATOR_PID_OFFSET = 24;
    /** Offset of the creator start time. */
    public static final long CREATOR_START_OFFSET = 32;
    /** Offset of the first lane capacity (one long per lane). */
    public static final long LANE_CAPACITY_OFFSET = 40;
    /** Offset of the state word. */
    public static final long STATE_OFFSET = 64;
    /** Offset of the checksum. */
    public static final long CHECKSUM_OFFSET = 72;
    /** Offset of the subscriber claim: {@code pid | startSecond << 28}, 0 when none. */
    public static final long SUBSCRIBER_CLAIM_OFFSET = 128;
    /** Offset of the subscriber's wait mode. */
    public static final long SUBSCRIBER_MODE_OFFSET = 144;
    /**
     * Offset of the subscriber's lane mask: bit {@code i} set when it reads lane {@code i}; 0 (what
     * a fresh channel holds, and what a closing subscriber leaves) means every lane. Publishers
     * read it to refuse messages on a lane nobody reads.
     */
    public static final long SUBSCRIBER_LANES_OFFSET = 148;
    /** Offset of the one-to-one publisher claim, same format as the subscriber's. */
    public static final long PUBLISHER_CLAIM_OFFSET = 256;
    /**
     * Offset of the lanes-used word: bit {@code i} set by a publisher (atomic OR) before its first
     * message on lane {@code i}, never cleared. A spinning subscriber polls only those lanes
     * between its full polls ({@link Subscriber#receive}).
     */
    public static final long LANES_USED_OFFSET = 640;
    /** Offset of the futex wait word. */
    public static final long WAIT_WORD_OFFSET = 384;
    /** Length of the channel header; the first lane starts here. */
    public static final long HEADER_LENGTH = 1024;

    /** State value once the channel can be used. */
    public static final int STATE_READY_VALUE = 1;
    /** Wait mode: the subscriber never sleeps. */
    public static final int MODE_NEVER_SLEEPS = 0;
    /** Wait mode: the subscriber may sleep on the wait word. */
    public static final int MODE_MAY_SLEEP = 1;
    /** Wait word: subscriber awake. */
    public static final int AWAKE = 0;
    /** Wait word: subscriber sleeping (or about to). */
    public static final int SLEEPING = 1;

    /** Bits of a claim word holding the process id; the start second is above them. */
    public static final int CLAIM_PID_BITS = 28;

    private ChannelDescriptor() {}

    /**
     * @param capacities data capacity of each lane, in {@link Lane} order
     * @param lane a lane index
     * @return the offset of that lane's ring in the channel segment
     */
    public static long laneOffset(long[] capacities, int lane) {
        long off = HEADER_LENGTH;
        for (int i = 0; i < lane; i++) {
            off += RingDescriptor.segmentSize(capacities[i]);
        }
        return off;
    }

    /**
     * @param capacities data capacity of each lane
     * @return the channel segment's size
     */
    public static long segmentSize(long[] capacities) {
        return laneOffset(capacities, capacities.length);
    }
}
