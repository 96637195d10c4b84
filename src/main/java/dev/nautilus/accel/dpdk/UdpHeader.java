package dev.nautilus.accel.dpdk;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The UDP header (RFC 768) over IPv4, read and written in place in a {@link MemorySegment}.
 * Multi-byte fields are in network byte order (big-endian).
 *
 * <pre>
 *   offset  size  field
 *   ------  ----  -------------------------------------------------------
 *        0     2  source port
 *        2     2  destination port
 *        4     2  length: header + payload, bytes (8 or more)
 *        6     2  checksum (0 = none, allowed over IPv4; a computed 0 is sent as 0xFFFF)
 *        8        payload
 *
 *   The checksum covers this pseudo-header, the UDP header (checksum field zero) and the payload:
 *     IPv4 source address (4) | IPv4 destination address (4) | 0 (1) | protocol 17 (1) | UDP length (2)
 * </pre>
 *
 * <p><b>Checksum offload.</b> A NIC that computes UDP checksums (DPDK's
 * {@code RTE_MBUF_F_TX_UDP_CKSUM}, {@code NA_DPDK_TX_UDP_CKSUM} here) expects the checksum field
 * to hold the pseudo-header sum, folded and <em>not</em> complemented
 * ({@link #pseudoHeaderChecksum}); it adds the header and payload and stores the complement.
 *
 * <p>Methods are static, take the header's {@code (segment, offset)} (any alignment), and do not
 * allocate except when they throw. The checksum methods also take the offset of the IPv4 header
 * the addresses come from. A field outside the segment throws {@link IndexOutOfBoundsException}.
 */
public final class UdpHeader {
    /** Header length in bytes. */
    public static final int LENGTH = 8;
    /** Offset of the source port. */
    public static final int SOURCE_PORT_OFFSET = 0;
    /** Offset of the destination port. */
    public static final int DESTINATION_PORT_OFFSET = 2;
    /** Offset of the length. */
    public static final int LENGTH_OFFSET = 4;
    /** Offset of the checksum. */
    public static final int CHECKSUM_OFFSET = 6;
    /** The checksum field value that means "no checksum" over IPv4. */
    public static final int NO_CHECKSUM = 0;

    private static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private UdpHeader() {}

    /**
     * Writes the 8 header bytes with a checksum field of 0 (none); set one afterwards with
     * {@link #writeChecksum} (software) or {@link #setChecksum}({@link #pseudoHeaderChecksum}) (offload).
     *
     * @param segment the packet, writable
     * @param offset the header's first byte
     * @param sourcePort 0 to 65535 (0: no reply port)
     * @param destinationPort 0 to 65535
     * @param length header + payload bytes, 8 to 65535
     * @throws IllegalArgumentException for a value out of range, naming it
     * @throws IndexOutOfBoundsException when the 8 bytes are not inside the segment
     */
    public static void write(MemorySegment segment, long offset, int sourcePort, int destinationPort, int length) {
        checkPort("source", sourcePort);
        checkPort("destination", destinationPort);
        if (length < LENGTH || length > 0xFFFF) {
            throw new IllegalArgumentException("invalid UDP length " + length
                    + ": it counts the 8-byte header and the payload, so it must be 8 to 65535");
        }
        Checksums.checkRange(segment, offset, LENGTH);
        segment.set(SHORT_BE, offset + SOURCE_PORT_OFFSET, (short) sourcePort);
        segment.set(SHORT_BE, offset + DESTINATION_PORT_OFFSET, (short) destinationPort);
        segment.set(SHORT_BE, offset + LENGTH_OFFSET, (short) length);
        segment.set(SHORT_BE, offset + CHECKSUM_OFFSET, (short) NO_CHECKSUM);
    }

    /**
     * @param segment the packet
     * @param offset the UDP header's first byte
     * @return the source port, 0 to 65535
     */
    public static int sourcePort(MemorySegment segment, long offset) {
        return segment.get(SHORT_BE, offset + SOURCE_PORT_OFFSET) & 0xFFFF;
    }

    /**
     * @param segment the packet
     * @param offset the UDP header's first byte
     * @return the destination port, 0 to 65535
     */
    public static int destinationPort(MemorySegment segment, long offset) {
        return segment.get(SHORT_BE, offset + DESTINATION_PORT_OFFSET) & 0xFFFF;
    }

    /**
     * @param segment the packet
     * @param offset the UDP header's first byte
     * @return the length field: header + payload bytes, 0 to 65535 as stored (8 or more when valid)
     */
    public static int length(MemorySegment segment, long offset) {
        return segment.get(SHORT_BE, offset + LENGTH_OFFSET) & 0xFFFF;
    }

    /**
     * @param segment the packet
     * @param offset the UDP header's first byte
     * @return the checksum field as stored, 0 to 0xFFFF (0: none)
     */
    public static int checksum(MemorySegment segment, long offset) {
        return segment.get(SHORT_BE, offset + CHECKSUM_OFFSET) & 0xFFFF;
    }

    /**
     * Stores a value in the checksum field as it is.
     *
     * @param segment the packet, writable
     * @param offset the UDP header's first byte
     * @param checksum 0 to 0xFFFF: a computed checksum, 0 for none, or a pseudo-header sum for offload
     * @throws IllegalArgumentException when the value is not 16 bits
     */
    public static void setChecksum(MemorySegment segment, long offset, int checksum) {
        if ((checksum & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("invalid UDP checksum " + checksum + ": it is a 16-bit value, 0 to 0xFFFF");
        }
        segment.set(SHORT_BE, offset + CHECKSUM_OFFSET, (short) checksum);
    }

    /**
     * The pseudo-header sum from its fields: folded, not complemented, the value a NIC doing
     * UDP checksum offload expects in the checksum field (DPDK's {@code rte_ipv4_phdr_cksum}).
     *
     * @param source IPv4 source address, first byte in bits 31..24
     * @param destination IPv4 destination address
     * @param udpLength UDP header + payload bytes, 8 to 65535
     * @return the sum, 1 to 0xFFFF
     * @throws IllegalArgumentException when the length is out of range
     */
    public static int pseudoHeaderChecksum(int source, int destination, int udpLength) {
        checkLength(udpLength, -1);
        return pseudoSum(source, destination, udpLength);
    }

    /**
     * The pseudo-header sum ({@link #pseudoHeaderChecksum(int, int, int)}) of a packet in place:
     * the addresses from its IPv4 header, the length from its UDP header's length field.
     *
     * @param segment the packet
     * @param ipv4Offset the IPv4 header's first byte
     * @param udpOffset the UDP header's first byte
     * @return the sum, 1 to 0xFFFF
     * @throws IllegalArgumentException when the UDP length field is below 8
     */
    public static int pseudoHeaderChecksum(MemorySegment segment, long ipv4Offset, long udpOffset) {
        int udpLength = length(segment, udpOffset);
        checkLength(udpLength, udpOffset);
        return pseudoSum(Ipv4Header.source(segment, ipv4Offset), Ipv4Header.destination(segment, ipv4Offset), udpLength);
    }

    /**
     * Computes the checksum the UDP header should carry: RFC 1071 over the pseudo-header (IPv4
     * addresses, protocol 17, UDP length), the UDP header with its checksum field taken as zero,
     * and the payload; the number of bytes covered is the UDP length field. A result of 0 is
     * returned as 0xFFFF (RFC 768), so the result is never "no checksum". The segment is not changed.
     *
     * @param segment the packet
     * @param ipv4Offset the IPv4 header's first byte (addresses)
     * @param udpOffset the UDP header's first byte
     * @return the checksum, 1 to 0xFFFF
     * @throws IllegalArgumentException when the UDP length field is below 8
     * @throws IndexOutOfBoundsException when the UDP length runs past the segment
     */
    public static int computeChecksum(MemorySegment segment, long ipv4Offset, long udpOffset) {
        int udpLength = length(segment, udpOffset);
        checkLength(udpLength, udpOffset);
        Checksums.checkRange(segment, udpOffset, udpLength);
        long sum = pseudoSum(Ipv4Header.source(segment, ipv4Offset), Ipv4Header.destination(segment, ipv4Offset), udpLength)
                + Checksums.sum(segment, udpOffset, CHECKSUM_OFFSET)
                + Checksums.sum(segment, udpOffset + LENGTH, udpLength - LENGTH);
        int checksum = ~Checksums.fold(sum) & 0xFFFF;
        return checksum == 0 ? 0xFFFF : checksum;
    }

    /**
     * Computes the checksum ({@link #computeChecksum}) and stores it. The payload must be in
     * place first.
     *
     * @param segment the packet, writable
     * @param ipv4Offset the IPv4 header's first byte (addresses)
     * @param udpOffset the UDP header's first byte
     * @return the checksum stored, 1 to 0xFFFF
     * @throws IllegalArgumentException when the UDP length field is below 8
     * @throws IndexOutOfBoundsException when the UDP length runs past the segment
     */
    public static int writeChecksum(MemorySegment segment, long ipv4Offset, long udpOffset) {
        int checksum = computeChecksum(segment, ipv4Offset, udpOffset);
        segment.set(SHORT_BE, udpOffset + CHECKSUM_OFFSET, (short) checksum);
        return checksum;
    }

    /**
     * Checks a received datagram's checksum: true when the field is 0 (no checksum, allowed over
     * IPv4) or when pseudo-header, header and payload (UDP length bytes) sum to 0xFFFF.
     *
     * @param segment the packet
     * @param ipv4Offset the IPv4 header's first byte (addresses)
     * @param udpOffset the UDP header's first byte
     * @return whether the checksum is absent or correct; false when the UDP length field is below 8
     * @throws IndexOutOfBoundsException when the UDP length runs past the segment
     */
    public static boolean isChecksumValid(MemorySegment segment, long ipv4Offset, long udpOffset) {
        if (checksum(segment, udpOffset) == NO_CHECKSUM) {
            return true;
        }
        int udpLength = length(segment, udpOffset);
        if (udpLength < LENGTH) {
            return false;
        }
        long sum = pseudoSum(Ipv4Header.source(segment, ipv4Offset), Ipv4Header.destination(segment, ipv4Offset), udpLength)
                + Checksums.sum(segment, udpOffset, udpLength);
        return Checksums.fold(sum) == 0xFFFF;
    }

    private static int pseudoSum(int source, int destination, int udpLength) {
        long sum = (source >>> 16) + (source & 0xFFFF) + (destination >>> 16) + (destination & 0xFFFF)
                + Ipv4Header.PROTOCOL_UDP + udpLength;
        return Checksums.fold(sum);
    }

    private static void checkPort(String which, int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("invalid UDP " + which + " port " + port + ": ports are 0 to 65535");
        }
    }

    /** @param udpOffset where the length field was read, or -1 for an argument */
    private static void checkLength(int udpLength, long udpOffset) {
        if (udpLength < LENGTH || udpLength > 0xFFFF) {
            throw new IllegalArgumentException(udpOffset < 0
                    ? "invalid UDP length " + udpLength + ": it counts the 8-byte header and the payload, so it must be 8 to 65535"
                    : "invalid UDP length field " + udpLength + " in the UDP header at offset " + udpOffset
                            + ": it must be at least 8 (the header); write the header first (UdpHeader.write)");
        }
    }
}
