package dev.nautilus.accel.dpdk;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The IPv4 header (RFC 791), read and written in place in a {@link MemorySegment}. Multi-byte
 * fields are in network byte order (big-endian). Addresses are {@code int}s holding the four
 * bytes in wire order, first byte in bits 31..24 ({@code 10.0.0.1} is {@code 0x0A000001}).
 *
 * <pre>
 *   offset  size  field
 *   ------  ----  ----------------------------------------------------------
 *        0     1  version (high 4 bits, 4) | IHL (low 4 bits, header length / 4)
 *        1     1  DSCP (high 6 bits) | ECN (low 2 bits)
 *        2     2  total length: header + payload, bytes
 *        4     2  identification
 *        6     2  flags (high 3 bits: reserved, DF, MF) | fragment offset (13 bits, 8-byte units)
 *        8     1  time to live
 *        9     1  protocol (6 TCP, 17 UDP)
 *       10     2  header checksum (RFC 1071 over the header with this field zero)
 *       12     4  source address
 *       16     4  destination address
 *       20        options (IHL &gt; 5), then the payload at 4 * IHL
 * </pre>
 *
 * <p>Methods are static, take {@code (segment, offset)} of the header's first byte (any
 * alignment) and do not allocate, except where an exception is thrown and the address text
 * helpers. Getters read the field as it is, without checking the header; call
 * {@link #validate} or {@link #isValid} on received packets first. A field outside the segment
 * throws {@link IndexOutOfBoundsException}.
 */
public final class Ipv4Header {
    /** Length of a header without options, bytes. */
    public static final int LENGTH = 20;
    /** Longest header (IHL 15), bytes. */
    public static final int MAX_LENGTH = 60;
    /** Largest total length, bytes. */
    public static final int MAX_TOTAL_LENGTH = 0xFFFF;
    /** Protocol number of TCP. */
    public static final int PROTOCOL_TCP = 6;
    /** Protocol number of UDP. */
    public static final int PROTOCOL_UDP = 17;
    /** The "don't fragment" bit in the value {@link #flags} returns. */
    public static final int FLAG_DONT_FRAGMENT = 0b010;
    /** The "more fragments" bit in the value {@link #flags} returns. */
    public static final int FLAG_MORE_FRAGMENTS = 0b001;

    /** Offset of the version and IHL byte. */
    public static final int VERSION_IHL_OFFSET = 0;
    /** Offset of the DSCP and ECN byte. */
    public static final int DSCP_ECN_OFFSET = 1;
    /** Offset of the total length. */
    public static final int TOTAL_LENGTH_OFFSET = 2;
    /** Offset of the identification. */
    public static final int IDENTIFICATION_OFFSET = 4;
    /** Offset of the flags and fragment offset. */
    public static final int FLAGS_FRAGMENT_OFFSET = 6;
    /** Offset of the time to live. */
    public static final int TTL_OFFSET = 8;
    /** Offset of the protocol. */
    public static final int PROTOCOL_OFFSET = 9;
    /** Offset of the header checksum. */
    public static final int CHECKSUM_OFFSET = 10;
    /** Offset of the source address. */
    public static final int SOURCE_OFFSET = 12;
    /** Offset of the destination address. */
    public static final int DESTINATION_OFFSET = 16;

    private static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final String ADDRESS_FORM = "four decimal numbers 0 to 255 separated by '.' (e.g. \"10.0.0.1\")";

    // Results of check(); OK is 0.
    private static final int OK = 0;
    private static final int BAD_RANGE = 1;
    private static final int TOO_SHORT = 2;
    private static final int BAD_VERSION = 3;
    private static final int BAD_IHL = 4;
    private static final int HEADER_TRUNCATED = 5;
    private static final int TOTAL_BELOW_HEADER = 6;
    private static final int TOTAL_TRUNCATED = 7;
    private static final int BAD_CHECKSUM = 8;

    private Ipv4Header() {}

    /**
     * Writes a 20-byte header without options: version 4, IHL 5, DSCP and ECN 0, flags DF
     * (don't fragment), fragment offset 0, and the header checksum (computed from the arguments,
     * without reading the segment back).
     *
     * @param segment the packet, writable
     * @param offset the header's first byte
     * @param totalLength header + payload bytes, 20 to 65535
     * @param identification 0 to 65535 (with DF set, receivers do not use it; 0 is fine)
     * @param ttl time to live, 0 to 255 (64 is usual)
     * @param protocol 0 to 255, e.g. {@link #PROTOCOL_UDP}
     * @param source source address, first byte in bits 31..24
     * @param destination destination address, first byte in bits 31..24
     * @throws IllegalArgumentException for a value out of range, naming it
     * @throws IndexOutOfBoundsException when the 20 bytes are not inside the segment
     */
    public static void write(MemorySegment segment, long offset, int totalLength, int identification, int ttl,
                             int protocol, int source, int destination) {
        if (totalLength < LENGTH || totalLength > MAX_TOTAL_LENGTH) {
            throw new IllegalArgumentException("invalid IPv4 total length " + totalLength
                    + ": it counts the 20-byte header and the payload, so it must be 20 to 65535");
        }
        checkRange("identification", identification, 0xFFFF);
        checkRange("TTL", ttl, 0xFF);
        checkRange("protocol", protocol, 0xFF);
        Checksums.checkRange(segment, offset, LENGTH);
        int word0 = 0x4500;
        int word3 = 0x4000; // DF, fragment offset 0
        int word4 = (ttl << 8) | protocol;
        long sum = word0 + totalLength + identification + word3 + word4
                + (source >>> 16) + (source & 0xFFFF) + (destination >>> 16) + (destination & 0xFFFF);
        int checksum = ~Checksums.fold(sum) & 0xFFFF;
        segment.set(SHORT_BE, offset, (short) word0);
        segment.set(SHORT_BE, offset + TOTAL_LENGTH_OFFSET, (short) totalLength);
        segment.set(SHORT_BE, offset + IDENTIFICATION_OFFSET, (short) identification);
        segment.set(SHORT_BE, offset + FLAGS_FRAGMENT_OFFSET, (short) word3);
        segment.set(SHORT_BE, offset + TTL_OFFSET, (short) word4);
        segment.set(SHORT_BE, offset + CHECKSUM_OFFSET, (short) checksum);
        segment.set(INT_BE, offset + SOURCE_OFFSET, source);
        segment.set(INT_BE, offset + DESTINATION_OFFSET, destination);
    }

    /**
     * @param segment the packet
     * @param offset the header's first byte
     * @return the version field, 0 to 15 (4 for IPv4)
     */
    public static int version(MemorySegment segment, long offset) {
        return (segment.get(ValueLayout.JAVA_BYTE, offset) >>> 4) & 0xF;
    }

    /**
     * @param segment the packet
     * @param offset the header's first byte
     * @return the IHL field: header length in 4-byte words, 0 to 15 (5 without options)
     */
    public static int ihl(MemorySegment segment, long offset) {
        return segment.get(ValueLayout.JAVA_BYTE, offset) & 0xF;
    }

    /**
     * @param segment the packet
     * @param offset the header's first byte
     * @return the header length in bytes, {@code 4 * ihl}: the payload starts this far from {@code offset}
     */
    public static int headerLength(MemorySegment segment, long offset) {
        return ihl(segment, offset) * 4;
    }

    /**
     * @param segment the packet
     * @param offset the header's first byte
     * @return the total length field: header + payload bytes, 0 to 65535
     */
    public static int totalLength(MemorySegment segment, long offset) {
        return segment.get(SHORT_BE, offset + TOTAL_LENGTH_OFFSET) & 0xFFFF;
    }

    /**
     * @param segment the packet
     * @param offset the header's first byte
     * @return the identification field, 0 to 65535
     */
    public static int identification(MemorySegment segment, long offset) {
        return segment.get(SHORT_BE, offset + IDENTIFICATION_OFFSET) & 0xFFFF;
    }

    /**
     * @param segment the packet
     * @param offset the header's first byte
     * @return the 3 flag bits, 0 to 7: {@link #FLAG_DONT_FRAGMENT}, {@link #FLAG_MORE_FRAGMENTS}, and 0b100 reserved
     */
    public static int flags(MemorySegment segment, long offset) {
        return (segment.get(SHORT_BE, offset + FLAGS_FRAGMENT_OFFSET) >>> 13) & 0x7;
    }

    /**
     * @param segment the packet
     * @param offset the header's first byte
     * @return the fragment offset field in 8-byte units, 0 to 8191 (multiply by 8 for bytes)
     */
    public static int fragmentOffset(MemorySegment segment, long offset) {
        return segment.get(SHORT_BE, offset + FLAGS_FRAGMENT_OFFSET) & 0x1FFF;
    }

    /**
     * @param segment the packet
     * @param offset the header's first byte
     * @return the time to live, 0 to 255
     */
    public static int ttl(MemorySegment segment, long offset) {
        return segment.get(ValueLayout.JAVA_BYTE, offset + TTL_OFFSET) & 0xFF;
    }

    /**
     * @param segment the packet
     * @param offset the header's first byte
     * @return the protocol number, 0 to 255 (e.g. {@link #PROTOCOL_UDP})
     */
    public static int protocol(MemorySegment segment, long offset) {
        return segment.get(ValueLayout.JAVA_BYTE, offset + PROTOCOL_OFFSET) & 0xFF;
    }

    /**
     * @param segment the packet
     * @param offset the header's first byte
     * @return the header checksum field as stored, 0 to 0xFFFF
     */
    public static int checksum(MemorySegment segment, long offset) {
        return segment.get(SHORT_BE, offset + CHECKSUM_OFFSET) & 0xFFFF;
    }

    /**
     * @param segment the packet
     * @param offset the header's first byte
     * @return the source address, first byte in bits 31..24
     */
    public static int source(MemorySegment segment, long offset) {
        return segment.get(INT_BE, offset + SOURCE_OFFSET);
    }

    /**
     * @param segment the packet
     * @param offset the header's first byte
     * @return the destination address, first byte in bits 31..24
     */
    public static int destination(MemorySegment segment, long offset) {
        return segment.get(INT_BE, offset + DESTINATION_OFFSET);
    }

    /**
     * Computes the header checksum the header should carry: RFC 1071 over the {@link #headerLength}
     * bytes (options included) with the checksum field taken as zero. The segment is not changed.
     *
     * @param segment the packet
     * @param offset the header's first byte
     * @return the checksum, 0 to 0xFFFF
     * @throws IllegalArgumentException when the IHL field is below 5
     * @throws IndexOutOfBoundsException when the header is not inside the segment
     */
    public static int computeChecksum(MemorySegment segment, long offset) {
        int length = headerLength(segment, offset);
        if (length < LENGTH) {
            throw new IllegalArgumentException("cannot compute the checksum of the IPv4 header at offset " + offset
                    + ": its IHL is " + length / 4 + " (" + length + " bytes), the minimum is 5 (20 bytes); "
                    + "write the header first (Ipv4Header.write)");
        }
        Checksums.checkRange(segment, offset, length);
        long sum = Checksums.sum(segment, offset, CHECKSUM_OFFSET)
                + Checksums.sum(segment, offset + CHECKSUM_OFFSET + 2, length - CHECKSUM_OFFSET - 2);
        return ~Checksums.fold(sum) & 0xFFFF;
    }

    /**
     * Computes the header checksum ({@link #computeChecksum}) and stores it in the checksum
     * field, e.g. after changing the TTL or an address. For a one-field change,
     * {@link Checksums#update} is cheaper.
     *
     * @param segment the packet, writable
     * @param offset the header's first byte
     * @return the checksum stored
     * @throws IllegalArgumentException when the IHL field is below 5
     * @throws IndexOutOfBoundsException when the header is not inside the segment
     */
    public static int writeChecksum(MemorySegment segment, long offset) {
        int checksum = computeChecksum(segment, offset);
        segment.set(SHORT_BE, offset + CHECKSUM_OFFSET, (short) checksum);
        return checksum;
    }

    /**
     * @param segment the packet
     * @param offset the header's first byte
     * @return true when the header's bytes, checksum field included, sum to 0xFFFF; false when
     *         they do not or the IHL field is below 5
     * @throws IndexOutOfBoundsException when the header is not inside the segment
     */
    public static boolean isChecksumValid(MemorySegment segment, long offset) {
        int length = headerLength(segment, offset);
        return length >= LENGTH && Checksums.sum(segment, offset, length) == 0xFFFF;
    }

    /**
     * Checks a received header, for hot paths: like {@link #validate} but answers instead of
     * throwing, for any arguments. Does not allocate.
     *
     * @param segment the received bytes
     * @param offset the header's first byte
     * @param available bytes from {@code offset} to the end of the received data
     * @return true when {@link #validate} would return normally
     */
    public static boolean isValid(MemorySegment segment, long offset, long available) {
        return check(segment, offset, available) == OK;
    }

    /**
     * Checks a received header before its fields are used, in this order: the range
     * {@code [offset, offset + available)} lies in the segment; at least 20 bytes are available;
     * the version is 4; the IHL is at least 5; the header fits in what is available; the total
     * length covers the header and fits in what is available (bytes after it, such as Ethernet
     * padding, are allowed); the header checksum is correct. Fragmentation fields, options and
     * the reserved flag are not checked.
     *
     * @param segment the received bytes
     * @param offset the header's first byte
     * @param available bytes from {@code offset} to the end of the received data
     * @throws IllegalArgumentException naming the first problem found, with the values involved
     */
    public static void validate(MemorySegment segment, long offset, long available) {
        int result = check(segment, offset, available);
        if (result != OK) {
            throw new IllegalArgumentException(describe(result, segment, offset, available));
        }
    }

    /**
     * Parses dotted-decimal IPv4 text: exactly four decimal numbers 0 to 255 separated by
     * {@code '.'}, without signs, spaces or leading zeros ({@code "010"} is refused: some parsers
     * read it as octal).
     *
     * @param text e.g. {@code "10.0.0.1"}
     * @return the address, first byte in bits 31..24 ({@code 0x0A000001})
     * @throws IllegalArgumentException saying what is wrong with the text and what the form is
     */
    public static int parseAddress(String text) {
        if (text == null) {
            throw new IllegalArgumentException("IPv4 address is null: pass " + ADDRESS_FORM);
        }
        int address = 0;
        int part = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                if (digits == 1 && value == 0) {
                    throw badAddress(text, "number " + (part + 1) + " has a leading zero");
                }
                value = value * 10 + (c - '0');
                digits++;
                if (value > 255) {
                    throw badAddress(text, "number " + (part + 1) + " is above 255");
                }
            } else if (c == '.') {
                if (digits == 0) {
                    throw badAddress(text, "number " + (part + 1) + " is missing");
                }
                if (part == 3 && i < text.length()) {
                    throw badAddress(text, "a '.' after the fourth number");
                }
                address = (address << 8) | value;
                part++;
                value = 0;
                digits = 0;
            } else {
                throw badAddress(text, describe(c) + " at index " + i + " is not a digit or '.'");
            }
        }
        if (part != 4) {
            throw badAddress(text, part + " numbers, expected 4");
        }
        return address;
    }

    /**
     * @param address first byte in bits 31..24
     * @return dotted-decimal text, e.g. {@code "10.0.0.1"}, which {@link #parseAddress} reads back
     */
    public static String formatAddress(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "."
                + (address & 0xFF);
    }

    private static int check(MemorySegment segment, long offset, long available) {
        if (offset < 0 || available < 0 || offset > segment.byteSize() - available) {
            return BAD_RANGE;
        }
        if (available < LENGTH) {
            return TOO_SHORT;
        }
        int versionIhl = segment.get(ValueLayout.JAVA_BYTE, offset);
        if (((versionIhl >>> 4) & 0xF) != 4) {
            return BAD_VERSION;
        }
        int headerLength = (versionIhl & 0xF) * 4;
        if (headerLength < LENGTH) {
            return BAD_IHL;
        }
        if (headerLength > available) {
            return HEADER_TRUNCATED;
        }
        int total = totalLength(segment, offset);
        if (total < headerLength) {
            return TOTAL_BELOW_HEADER;
        }
        if (total > available) {
            return TOTAL_TRUNCATED;
        }
        if (Checksums.sum(segment, offset, headerLength) != 0xFFFF) {
            return BAD_CHECKSUM;
        }
        return OK;
    }

    private static String describe(int result, MemorySegment segment, long offset, long available) {
        String at = "IPv4 header at offset " + offset;
        return switch (result) {
            case BAD_RANGE -> "invalid range for the " + at + ": " + available + " bytes available there, but the segment"
                    + " has " + segment.byteSize() + " bytes; pass 0 <= offset and available <= segment.byteSize() - offset";
            case TOO_SHORT -> "truncated " + at + ": only " + available + " bytes available, an IPv4 header needs at least "
                    + LENGTH;
            case BAD_VERSION -> "not an " + at + ": version is " + version(segment, offset)
                    + ", expected 4 (check the EtherType first: 0x0800 is IPv4, 0x86DD IPv6)";
            case BAD_IHL -> "invalid " + at + ": IHL is " + ihl(segment, offset) + " (" + headerLength(segment, offset)
                    + " bytes), the minimum is 5 (20 bytes)";
            case HEADER_TRUNCATED -> "truncated " + at + ": IHL " + ihl(segment, offset) + " means a "
                    + headerLength(segment, offset) + "-byte header, only " + available + " bytes available";
            case TOTAL_BELOW_HEADER -> "invalid " + at + ": total length " + totalLength(segment, offset)
                    + " is less than the header length " + headerLength(segment, offset);
            case TOTAL_TRUNCATED -> "truncated IPv4 packet at offset " + offset + ": total length is "
                    + totalLength(segment, offset) + " bytes, only " + available + " bytes available";
            case BAD_CHECKSUM -> "corrupt " + at + ": header checksum is " + hex(checksum(segment, offset))
                    + ", the header's bytes give " + hex(computeChecksum(segment, offset));
            default -> throw new AssertionError(result);
        };
    }

    private static String hex(int value) {
        return String.format("0x%04x", value);
    }

    private static void checkRange(String what, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException("invalid IPv4 " + what + " " + value + ": it must be 0 to " + max);
        }
    }

    private static IllegalArgumentException badAddress(String text, String problem) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return new IllegalArgumentException("invalid IPv4 address \"" + shown + "\": " + problem + "; expected "
                + ADDRESS_FORM);
    }

    private static String describe(char c) {
        if (c < 0x20 || c > 0x7e) {
            return String.format("U+%04X", (int) c);
        }
        return "'" + c + "'";
    }
}
