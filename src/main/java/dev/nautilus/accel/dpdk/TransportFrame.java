package dev.nautilus.accel.dpdk;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The on-wire layout of one message between engines over a DPDK port: an Ethernet II header
 * with EtherType {@link #ETHER_TYPE} (0x88B5, IEEE 802 local experimental), a 26-byte transport
 * header, then the payload. Multi-byte fields are in network byte order (big-endian). Offsets
 * are from the frame's first byte (the destination MAC address).
 *
 * <pre>
 *   offset  size  field
 *   ------  ----  -----------------------------------------------------------------------
 *                 Ethernet header (14 bytes)
 *        0     6  destination MAC address
 *        6     6  source MAC address
 *       12     2  EtherType 0x88B5
 *                 transport header (26 bytes)
 *       14     2  magic 0x4E41 ("NA" in ASCII)
 *       16     1  version, 1
 *       17     1  flags: none defined in version 1 (senders write 0, receivers ignore them)
 *       18     1  priority: 0 critical, 1 normal, 2 bulk
 *       19     1  reserved (senders write 0, receivers ignore it)
 *       20     2  source engine id, 0 to 65534
 *       22     2  destination engine id, 0 to 65535 (0xFFFF: broadcast, every engine)
 *       24     4  message type id, 1 or more (a signed int)
 *       28     2  payload length, bytes, 0 to 1474
 *       30     2  header checksum: RFC 1071 over bytes 14..39 with this field taken as zero
 *       32     8  sequence number, 1 to 2^63 - 1, per source -&gt; destination pair, from 1
 *       40     n  payload, then (frames under 60 bytes) Ethernet padding
 *
 *   Every field sits at a multiple of its own size from the frame's first byte, so when the
 *   frame starts 8-byte aligned (an mbuf's data normally does: an aligned buffer, 128 bytes of
 *   headroom) every field is naturally aligned and the payload starts 8-byte aligned.
 *   The two headers together are 40 bytes ({@link #HEADER_LENGTH}), a multiple of 8.
 * </pre>
 *
 * <p><b>Frame lengths</b> are as DPDK gives them ({@code pkt_len}), without the 4-byte FCS, as in
 * {@link Packets}. {@link #write} returns {@code 40 + payloadLength}; a frame shorter than
 * {@link Packets#MIN_FRAME_LENGTH} (60, a payload under 20 bytes) is padded to 60 bytes by the
 * sender (the NIC or its driver) and arrives with a frame length of 60, which {@link #isValid}
 * accepts: the frame length only has to cover header and payload; bytes after the payload are
 * ignored.
 *
 * <p><b>The header checksum</b> covers the transport header (bytes 14 to 39), not the Ethernet
 * header and not the payload: on the wire the Ethernet FCS, checked by the NIC, already covers
 * the whole frame. It is there so that a frame of some other protocol using the experimental
 * EtherType, or a header damaged in memory, is refused by {@link #validate} rather than read as
 * a message. {@link #write} computes it from its arguments (twelve 16-bit additions, no read-back);
 * the payload may be written before or after, and a field changed after {@link #write} needs a
 * new checksum ({@link #computeChecksum}).
 *
 * <p>Methods are static, take {@code (segment, offset)} of the frame's first byte (any
 * alignment, on or off the heap) and do not allocate except when they throw. Getters read the
 * field as it is without checking the frame: call {@link #isValid} or {@link #validate} on
 * received frames first. A field outside the segment throws {@link IndexOutOfBoundsException}.
 */
public final class TransportFrame {
    /** EtherType of these frames: 0x88B5, IEEE 802 "local experimental EtherType 1". */
    public static final int ETHER_TYPE = 0x88B5;
    /** The magic number at {@link #MAGIC_OFFSET}: 0x4E41, "NA" in ASCII. */
    public static final int MAGIC = 0x4E41;
    /** The layout version this class writes and accepts. */
    public static final int VERSION = 1;

    /** Bytes of the transport header alone, after the Ethernet header: 26. */
    public static final int TRANSPORT_HEADER_LENGTH = 26;
    /** Ethernet + transport header bytes, 40: the payload starts at this offset in the frame. */
    public static final int HEADER_LENGTH = EthernetHeader.LENGTH + TRANSPORT_HEADER_LENGTH;
    /** Largest payload in a frame of at most {@link Packets#MAX_STANDARD_FRAME_LENGTH} (1514) bytes: 1474. */
    public static final int MAX_PAYLOAD = Packets.MAX_STANDARD_FRAME_LENGTH - HEADER_LENGTH;
    /** The destination engine id that addresses every engine, and that no source may use: 0xFFFF. */
    public static final int BROADCAST = 0xFFFF;
    /** Largest source engine id: 65534 (65535 is {@link #BROADCAST}). */
    public static final int MAX_SOURCE_ENGINE = BROADCAST - 1;

    /** Priority of control messages that go before everything else. */
    public static final int PRIORITY_CRITICAL = 0;
    /** Priority of ordinary messages. */
    public static final int PRIORITY_NORMAL = 1;
    /** Priority of bulk transfers that yield to the others. */
    public static final int PRIORITY_BULK = 2;

    /** Offset of the destination MAC address. */
    public static final int DESTINATION_MAC_OFFSET = EthernetHeader.DESTINATION_OFFSET;
    /** Offset of the source MAC address. */
    public static final int SOURCE_MAC_OFFSET = EthernetHeader.SOURCE_OFFSET;
    /** Offset of the EtherType. */
    public static final int ETHER_TYPE_OFFSET = EthernetHeader.ETHERTYPE_OFFSET;
    /** Offset of the magic number, the transport header's first byte. */
    public static final int MAGIC_OFFSET = 14;
    /** Offset of the version. */
    public static final int VERSION_OFFSET = 16;
    /** Offset of the flags. */
    public static final int FLAGS_OFFSET = 17;
    /** Offset of the priority. */
    public static final int PRIORITY_OFFSET = 18;
    /** Offset of the reserved byte. */
    public static final int RESERVED_OFFSET = 19;
    /** Offset of the source engine id. */
    public static final int SOURCE_ENGINE_OFFSET = 20;
    /** Offset of the destination engine id. */
    public static final int DESTINATION_ENGINE_OFFSET = 22;
    /** Offset of the message type id. */
    public static final int TYPE_ID_OFFSET = 24;
    /** Offset of the payload length. */
    public static final int PAYLOAD_LENGTH_OFFSET = 28;
    /** Offset of the header checksum. */
    public static final int CHECKSUM_OFFSET = 30;
    /** Offset of the sequence number. */
    public static final int SEQUENCE_OFFSET = 32;

    private static final ValueLayout.OfLong LONG_BE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private static final String PRIORITIES = "it must be 0 (TransportFrame.PRIORITY_CRITICAL), 1 (PRIORITY_NORMAL) "
            + "or 2 (PRIORITY_BULK)";
    private static final String TYPE_IDS = "message type ids are 1 or more";
    private static final String SEQUENCES = "sequence numbers start at 1 for each source -> destination pair "
            + "and go up to 2^63 - 1";

    // Results of check(); OK is 0.
    private static final int OK = 0;
    private static final int BAD_RANGE = 1;
    private static final int TOO_SHORT = 2;
    private static final int BAD_ETHER_TYPE = 3;
    private static final int BAD_MAGIC = 4;
    private static final int BAD_VERSION = 5;
    private static final int BAD_CHECKSUM = 6;
    private static final int BAD_PRIORITY = 7;
    private static final int BAD_SOURCE = 8;
    private static final int BAD_TYPE_ID = 9;
    private static final int BAD_SEQUENCE = 10;
    private static final int PAYLOAD_TOO_LONG = 11;
    private static final int PAYLOAD_TRUNCATED = 12;

    private TransportFrame() {}

    /**
     * Writes the 40 header bytes of a frame (Ethernet header, transport header with flags and
     * reserved byte 0 and the header checksum) in front of a payload of {@code payloadLength}
     * bytes at {@code offset + HEADER_LENGTH}, which the caller writes before or after this call.
     * Nothing is written when an argument is refused or the frame does not fit.
     *
     * @param segment the frame's memory (e.g. an mbuf's data room), writable
     * @param offset the frame's first byte
     * @param sourceMac source MAC address bits ({@link MacAddress#toLong()})
     * @param destinationMac destination MAC address bits
     * @param sourceEngine the sending engine's id, 0 to {@link #MAX_SOURCE_ENGINE} (65534)
     * @param destinationEngine the receiving engine's id, 0 to 65535 ({@link #BROADCAST}: every engine)
     * @param priority {@link #PRIORITY_CRITICAL}, {@link #PRIORITY_NORMAL} or {@link #PRIORITY_BULK}
     * @param typeId the message type id, 1 or more
     * @param sequence the sequence number, 1 to {@link Long#MAX_VALUE}: 1 for the first frame from
     *                 this source to this destination, one more for each next one
     * @param payloadLength payload bytes, 0 to {@link #MAX_PAYLOAD}
     * @return the frame length without FCS: {@code HEADER_LENGTH + payloadLength} (the sender pads
     *         frames shorter than 60 bytes)
     * @throws IllegalArgumentException for a value out of range, naming it and its range
     * @throws IndexOutOfBoundsException when the frame (header and payload) is not inside the segment
     */
    public static int write(MemorySegment segment, long offset, long sourceMac, long destinationMac, int sourceEngine,
                            int destinationEngine, int priority, int typeId, long sequence, int payloadLength) {
        MacAddress.checkBits(sourceMac);
        MacAddress.checkBits(destinationMac);
        if (sourceEngine < 0 || sourceEngine > MAX_SOURCE_ENGINE) {
            throw new IllegalArgumentException("invalid source engine id " + sourceEngine + ": source engines are 0 to "
                    + MAX_SOURCE_ENGINE + " (65535 is TransportFrame.BROADCAST, a destination only)");
        }
        if (destinationEngine < 0 || destinationEngine > BROADCAST) {
            throw new IllegalArgumentException("invalid destination engine id " + destinationEngine
                    + ": destination engines are 0 to 65534, or 65535 (TransportFrame.BROADCAST) for every engine");
        }
        if (priority < PRIORITY_CRITICAL || priority > PRIORITY_BULK) {
            throw new IllegalArgumentException("invalid priority " + priority + ": " + PRIORITIES);
        }
        if (typeId < 1) {
            throw new IllegalArgumentException("invalid message type id " + typeId + ": " + TYPE_IDS);
        }
        if (sequence < 1) {
            throw new IllegalArgumentException("invalid sequence number " + sequence + ": " + SEQUENCES);
        }
        if (payloadLength < 0 || payloadLength > MAX_PAYLOAD) {
            throw new IllegalArgumentException("invalid payload length " + payloadLength + ": it must be 0 to "
                    + MAX_PAYLOAD + " (TransportFrame.MAX_PAYLOAD: a 1514-byte frame less the 40-byte header)");
        }
        int frameLength = HEADER_LENGTH + payloadLength;
        Checksums.checkRange(segment, offset, frameLength);
        writeHeader(segment, offset, sourceMac, destinationMac, sourceEngine, destinationEngine, priority, typeId, sequence,
                payloadLength);
        return frameLength;
    }

    /**
     * {@link #write} without its argument checks, for a caller that has made them (the stores
     * are still bounds-checked by the segment): the 40 header bytes for arguments in range.
     */
    static void writeHeader(MemorySegment segment, long offset, long sourceMac, long destinationMac, int sourceEngine,
                            int destinationEngine, int priority, int typeId, long sequence, int payloadLength) {
        // bytes 16-23 (version, flags 0, priority, reserved 0, source, destination) and 24-31 (type id,
        // payload length, checksum 0 for now) as two words, summed as the check sums them
        long routing = (long) VERSION << 56 | (long) priority << 40 | (long) sourceEngine << 16 | destinationEngine;
        long type = (typeId & 0xFFFF_FFFFL) << 32 | (long) payloadLength << 16;
        int checksum = ~Checksums.fold(headerSum(MAGIC, routing, type, sequence)) & 0xFFFF;
        // the 40 bytes as five big-endian longs (bytes 0-7, 8-15, ...): five bounds-checked stores instead of twelve
        segment.set(LONG_BE, offset, destinationMac << 16 | sourceMac >>> 32);
        segment.set(LONG_BE, offset + 8, (sourceMac & 0xFFFF_FFFFL) << 32 | (long) ETHER_TYPE << 16 | MAGIC);
        segment.set(LONG_BE, offset + 16, routing);
        segment.set(LONG_BE, offset + 24, type | checksum);
        segment.set(LONG_BE, offset + SEQUENCE_OFFSET, sequence);
    }

    /**
     * @param segment the frame
     * @param offset the frame's first byte
     * @return the destination MAC address bits, as {@link MacAddress#toLong()}
     */
    public static long destinationMacBits(MemorySegment segment, long offset) {
        return MacAddress.readBits(segment, offset + DESTINATION_MAC_OFFSET);
    }

    /**
     * @param segment the frame
     * @param offset the frame's first byte
     * @return the source MAC address bits, as {@link MacAddress#toLong()}
     */
    public static long sourceMacBits(MemorySegment segment, long offset) {
        return MacAddress.readBits(segment, offset + SOURCE_MAC_OFFSET);
    }

    /**
     * @param segment the frame
     * @param offset the frame's first byte
     * @return the EtherType, 0 to 0xFFFF ({@link #ETHER_TYPE} for these frames)
     */
    public static int etherType(MemorySegment segment, long offset) {
        return segment.get(SHORT_BE, offset + ETHER_TYPE_OFFSET) & 0xFFFF;
    }

    /**
     * @param segment the frame
     * @param offset the frame's first byte
     * @return the magic number, 0 to 0xFFFF ({@link #MAGIC} for these frames)
     */
    public static int magic(MemorySegment segment, long offset) {
        return segment.get(SHORT_BE, offset + MAGIC_OFFSET) & 0xFFFF;
    }

    /**
     * @param segment the frame
     * @param offset the frame's first byte
     * @return the layout version, 0 to 255 ({@link #VERSION} for frames this class accepts)
     */
    public static int version(MemorySegment segment, long offset) {
        return segment.get(ValueLayout.JAVA_BYTE, offset + VERSION_OFFSET) & 0xFF;
    }

    /**
     * @param segment the frame
     * @param offset the frame's first byte
     * @return the flags byte, 0 to 255 (no flags are defined in version 1; {@link #write} writes 0)
     */
    public static int flags(MemorySegment segment, long offset) {
        return segment.get(ValueLayout.JAVA_BYTE, offset + FLAGS_OFFSET) & 0xFF;
    }

    /**
     * @param segment the frame
     * @param offset the frame's first byte
     * @return the priority as stored, 0 to 255 (0 to 2 in a valid frame)
     */
    public static int priority(MemorySegment segment, long offset) {
        return segment.get(ValueLayout.JAVA_BYTE, offset + PRIORITY_OFFSET) & 0xFF;
    }

    /**
     * @param segment the frame
     * @param offset the frame's first byte
     * @return the source engine id, 0 to 65535 (65535 never in a valid frame)
     */
    public static int sourceEngine(MemorySegment segment, long offset) {
        return segment.get(SHORT_BE, offset + SOURCE_ENGINE_OFFSET) & 0xFFFF;
    }

    /**
     * @param segment the frame
     * @param offset the frame's first byte
     * @return the destination engine id, 0 to 65535 ({@link #BROADCAST}: every engine)
     */
    public static int destinationEngine(MemorySegment segment, long offset) {
        return segment.get(SHORT_BE, offset + DESTINATION_ENGINE_OFFSET) & 0xFFFF;
    }

    /**
     * @param segment the frame
     * @param offset the frame's first byte
     * @return the message type id as stored (1 or more in a valid frame)
     */
    public static int typeId(MemorySegment segment, long offset) {
        return segment.get(INT_BE, offset + TYPE_ID_OFFSET);
    }

    /**
     * @param segment the frame
     * @param offset the frame's first byte
     * @return the payload length field, 0 to 65535 (at most {@link #MAX_PAYLOAD} in a valid frame)
     */
    public static int payloadLength(MemorySegment segment, long offset) {
        return segment.get(SHORT_BE, offset + PAYLOAD_LENGTH_OFFSET) & 0xFFFF;
    }

    /**
     * @param segment the frame
     * @param offset the frame's first byte
     * @return the header checksum field as stored, 0 to 0xFFFF
     */
    public static int checksum(MemorySegment segment, long offset) {
        return segment.get(SHORT_BE, offset + CHECKSUM_OFFSET) & 0xFFFF;
    }

    /**
     * @param segment the frame
     * @param offset the frame's first byte
     * @return the sequence number as stored (1 or more in a valid frame)
     */
    public static long sequence(MemorySegment segment, long offset) {
        return segment.get(LONG_BE, offset + SEQUENCE_OFFSET);
    }

    /**
     * The RFC 1071 sum of bytes 14 to 39 before folding: the magic, then the routing word, the
     * type word (with the checksum field: 0 when writing, as received when checking) and the
     * sequence number as 32-bit halves, which {@link Checksums#fold} reduces modulo 0xFFFF as it
     * would the 16-bit fields. Writing and checking a header share it.
     */
    private static long headerSum(long magic, long routing, long type, long sequence) {
        return magic + (routing >>> 32) + (routing & 0xFFFF_FFFFL) + (type >>> 32) + (type & 0xFFFF_FFFFL)
                + (sequence >>> 32) + (sequence & 0xFFFF_FFFFL);
    }

    // Hot-path reads of a checked frame, two fields words instead of an access per field: the
    // routing word is bytes 16 to 23 (version, flags, priority, reserved, source, destination),
    // the type word bytes 24 to 31 (type id, payload length, checksum), both big-endian.

    static long routingWord(MemorySegment segment, long offset) {
        return segment.get(LONG_BE, offset + VERSION_OFFSET);
    }

    static int versionOf(long routingWord) {
        return (int) (routingWord >>> 56);
    }

    static int priorityOf(long routingWord) {
        return (int) (routingWord >>> 40) & 0xFF;
    }

    static int sourceOf(long routingWord) {
        return (int) (routingWord >>> 16) & 0xFFFF;
    }

    static int destinationOf(long routingWord) {
        return (int) routingWord & 0xFFFF;
    }

    static long typeWord(MemorySegment segment, long offset) {
        return segment.get(LONG_BE, offset + TYPE_ID_OFFSET);
    }

    static int typeIdOf(long typeWord) {
        return (int) (typeWord >>> 32);
    }

    static int payloadLengthOf(long typeWord) {
        return (int) (typeWord >>> 16) & 0xFFFF;
    }

    /**
     * Computes the checksum the transport header should carry: the complement of the RFC 1071
     * sum of bytes 14 to 39 with the checksum field taken as zero. The segment is not changed;
     * store the result at {@link #CHECKSUM_OFFSET} after changing a field {@link #write} wrote.
     *
     * @param segment the frame
     * @param offset the frame's first byte
     * @return the checksum, 0 to 0xFFFF
     * @throws IndexOutOfBoundsException when the 40 header bytes are not inside the segment
     */
    public static int computeChecksum(MemorySegment segment, long offset) {
        Checksums.checkRange(segment, offset, HEADER_LENGTH);
        long sum = Checksums.sum(segment, offset + MAGIC_OFFSET, CHECKSUM_OFFSET - MAGIC_OFFSET)
                + Checksums.sum(segment, offset + SEQUENCE_OFFSET, HEADER_LENGTH - SEQUENCE_OFFSET);
        return ~Checksums.fold(sum) & 0xFFFF;
    }

    /**
     * Checks a received frame, for hot paths: like {@link #validate} but answers instead of
     * throwing, for any arguments. Does not allocate.
     *
     * @param segment the received bytes
     * @param offset the frame's first byte
     * @param frameLength the frame length as received ({@code pkt_len}, without FCS), padding included
     * @return true when {@link #validate} would return normally
     */
    public static boolean isValid(MemorySegment segment, long offset, long frameLength) {
        return check(segment, offset, frameLength, null) == OK;
    }

    /**
     * {@link #isValid} that also hands over what it read of a valid frame, so that the caller
     * need not read it again: the routing word, the type word and the sequence number in
     * {@code words[0..2]}.
     */
    static boolean isValid(MemorySegment segment, long offset, long frameLength, long[] words) {
        return check(segment, offset, frameLength, words) == OK;
    }

    /**
     * Checks a received frame before its fields are used, in this order: the range
     * {@code [offset, offset + frameLength)} lies in the segment; the frame holds the 40 header
     * bytes; the EtherType is {@link #ETHER_TYPE}; the magic number is {@link #MAGIC}; the
     * version is {@link #VERSION}; the header checksum is correct; the priority is 0 to 2; the
     * source engine is not {@link #BROADCAST}; the type id is 1 or more; the sequence number is 1
     * or more; the payload length is at most {@link #MAX_PAYLOAD} and header and payload fit in
     * the frame length (bytes after the payload, such as Ethernet padding, are allowed). Flags,
     * the reserved byte and the MAC addresses are not checked. A frame passes exactly when
     * {@link #write} could have produced it, flags and reserved byte aside.
     *
     * @param segment the received bytes
     * @param offset the frame's first byte
     * @param frameLength the frame length as received ({@code pkt_len}, without FCS), padding included
     * @throws IllegalArgumentException naming the first problem found, with the values involved
     */
    public static void validate(MemorySegment segment, long offset, long frameLength) {
        int result = check(segment, offset, frameLength, null);
        if (result != OK) {
            throw new IllegalArgumentException(describe(result, segment, offset, frameLength));
        }
    }

    private static int check(MemorySegment segment, long offset, long frameLength, long[] words) {
        if (offset < 0 || frameLength < 0 || offset > segment.byteSize() - frameLength) {
            return BAD_RANGE;
        }
        if (frameLength < HEADER_LENGTH) {
            return TOO_SHORT;
        }
        // bytes 8 to 39 as four big-endian longs, each field taken from them: four bounds-checked loads, not ten
        long w1 = segment.get(LONG_BE, offset + 8); // source MAC low 32 bits, EtherType, magic
        long w2 = routingWord(segment, offset);
        long w3 = typeWord(segment, offset);
        long sequence = segment.get(LONG_BE, offset + SEQUENCE_OFFSET);
        if ((int) (w1 >>> 16 & 0xFFFF) != ETHER_TYPE) {
            return BAD_ETHER_TYPE;
        }
        if ((int) (w1 & 0xFFFF) != MAGIC) {
            return BAD_MAGIC;
        }
        if (versionOf(w2) != VERSION) {
            return BAD_VERSION;
        }
        if (Checksums.fold(headerSum(w1 & 0xFFFF, w2, w3, sequence)) != 0xFFFF) {
            return BAD_CHECKSUM;
        }
        if (priorityOf(w2) > PRIORITY_BULK) {
            return BAD_PRIORITY;
        }
        if (sourceOf(w2) == BROADCAST) {
            return BAD_SOURCE;
        }
        if (typeIdOf(w3) < 1) {
            return BAD_TYPE_ID;
        }
        if (sequence < 1) {
            return BAD_SEQUENCE;
        }
        int payloadLength = payloadLengthOf(w3);
        if (payloadLength > MAX_PAYLOAD) {
            return PAYLOAD_TOO_LONG;
        }
        if (HEADER_LENGTH + payloadLength > frameLength) {
            return PAYLOAD_TRUNCATED;
        }
        if (words != null) {
            words[0] = w2;
            words[1] = w3;
            words[2] = sequence;
        }
        return OK;
    }

    private static String describe(int result, MemorySegment segment, long offset, long frameLength) {
        String at = "transport frame at offset " + offset;
        return switch (result) {
            case BAD_RANGE -> "invalid range for the " + at + ": frame length " + frameLength + ", but the segment has "
                    + segment.byteSize() + " bytes; pass 0 <= offset and frameLength <= segment.byteSize() - offset";
            case TOO_SHORT -> "truncated " + at + ": frame length " + frameLength + ", the Ethernet and transport "
                    + "headers alone are " + HEADER_LENGTH + " bytes";
            case BAD_ETHER_TYPE -> "not a " + at + ": EtherType is " + hex(etherType(segment, offset))
                    + ", expected " + hex(ETHER_TYPE) + " (other traffic on the port: filter on the EtherType first)";
            case BAD_MAGIC -> "not a " + at + ": magic number is " + hex(magic(segment, offset)) + ", expected "
                    + hex(MAGIC) + " (another protocol using the experimental EtherType " + hex(ETHER_TYPE) + "?)";
            case BAD_VERSION -> "unsupported " + at + ": version is " + version(segment, offset) + ", this build reads "
                    + "version " + VERSION + " (engines built from different releases of the transport?)";
            case BAD_CHECKSUM -> "corrupt " + at + ": header checksum is " + hex(checksum(segment, offset))
                    + ", the header's bytes give " + hex(computeChecksum(segment, offset));
            case BAD_PRIORITY -> "invalid " + at + ": priority is " + priority(segment, offset) + ", " + PRIORITIES;
            case BAD_SOURCE -> "invalid " + at + ": source engine id is 65535 (TransportFrame.BROADCAST), which only a "
                    + "destination may be; source engines are 0 to " + MAX_SOURCE_ENGINE;
            case BAD_TYPE_ID -> "invalid " + at + ": message type id is " + typeId(segment, offset) + ", " + TYPE_IDS;
            case BAD_SEQUENCE -> "invalid " + at + ": sequence number is " + sequence(segment, offset) + ", "
                    + SEQUENCES;
            case PAYLOAD_TOO_LONG -> "invalid " + at + ": payload length is " + payloadLength(segment, offset)
                    + ", the largest is " + MAX_PAYLOAD + " (TransportFrame.MAX_PAYLOAD)";
            case PAYLOAD_TRUNCATED -> "truncated " + at + ": payload length is " + payloadLength(segment, offset)
                    + ", so the frame needs " + (HEADER_LENGTH + payloadLength(segment, offset)) + " bytes, but its "
                    + "length is " + frameLength;
            default -> throw new AssertionError(result);
        };
    }

    private static String hex(int value) {
        return String.format("0x%04x", value);
    }
}
