package dev.nautilus.accel.dpdk;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Ethernet/IPv4/UDP headers for one flow (fixed MAC addresses, IP addresses and ports), built
 * once, for the per-packet hot path: {@link #write} copies the 42 header bytes and patches the
 * lengths, the IPv4 identification and both checksums from precomputed partial sums, so each
 * packet costs one small copy, five 16-bit stores and one pass over the payload. The result is
 * byte for byte what {@link Packets#writeUdpFrame} writes with software checksums.
 * {@link #verify} checks a received frame's two checksums the same way. Immutable, thread-safe,
 * no allocation per packet.
 */
public final class UdpFrameTemplate {
    private static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final long IP = Packets.IPV4_OFFSET;
    private static final long UDP = Packets.UDP_OFFSET;

    private static final boolean LE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfLong LONG_N = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt INT_N = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort SHORT_N = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final long LOW_32 = 0xFFFF_FFFFL;
    /** The pseudo header's zero byte and protocol as a 16-bit word, byte-swapped (the native-order domain). */
    private static final int PROTOCOL_WORD_N = swap16(Ipv4Header.PROTOCOL_UDP);

    private final MemorySegment header;
    private final long ipBaseSum;
    private final long udpBaseSum;
    // little-endian fast path: the first 40 header bytes as native longs (per-packet fields zero),
    // and the constant parts of both checksums summed as native-order words
    private final long h0;
    private final long h1;
    private final long h2;
    private final long h3;
    private final long h4;
    private final long ipBaseN;
    private final long udpBaseN;

    /**
     * @param sourceMac source MAC address
     * @param destinationMac destination MAC address
     * @param sourceIp source IPv4 address ({@link Ipv4Header#parseAddress})
     * @param destinationIp destination IPv4 address
     * @param sourcePort UDP source port, 0 to 65535
     * @param destinationPort UDP destination port, 0 to 65535
     */
    public UdpFrameTemplate(MacAddress sourceMac, MacAddress destinationMac, int sourceIp, int destinationIp,
                            int sourcePort, int destinationPort) {
        MemorySegment h = MemorySegment.ofArray(new long[6]); // 48 bytes, 42 used
        Packets.writeUdpFrame(h, 0, sourceMac, destinationMac, sourceIp, destinationIp, sourcePort, destinationPort, 0, false);
        // zero the per-packet fields, then take the sums of what stays
        h.set(SHORT_BE, IP + 2, (short) 0); // total length
        h.set(SHORT_BE, IP + 4, (short) 0); // identification
        h.set(SHORT_BE, IP + Ipv4Header.CHECKSUM_OFFSET, (short) 0);
        h.set(SHORT_BE, UDP + 4, (short) 0); // length
        h.set(SHORT_BE, UDP + 6, (short) 0); // checksum
        this.header = h.asSlice(0, Packets.UDP_HEADERS_LENGTH);
        this.ipBaseSum = Checksums.sum(h, IP, Ipv4Header.LENGTH);
        // pseudo header without the length (addresses, protocol) + UDP header without length and checksum (ports)
        this.udpBaseSum = Checksums.sum(h, IP + 12, 8) + Ipv4Header.PROTOCOL_UDP + Checksums.sum(h, UDP, 4);
        this.h0 = h.get(LONG_N, 0);
        this.h1 = h.get(LONG_N, 8);
        this.h2 = h.get(LONG_N, 16);
        this.h3 = h.get(LONG_N, 24);
        this.h4 = h.get(LONG_N, 32);
        this.ipBaseN = sumN(h, IP, Ipv4Header.LENGTH);
        this.udpBaseN = sumN(h, IP + 12, 8) + PROTOCOL_WORD_N + sumN(h, UDP, 4);
    }

    /*
     * The fast path sums memory as native-order (little-endian) 16-bit words instead of network
     * order: a one's complement sum is byte-order independent (RFC 1071, 2.B), so the folded sum is
     * the byte-swapped network-order sum and is stored as a native short with no swap. Values that
     * are not read from memory (lengths, the identification, the protocol) enter byte-swapped.
     */

    private static int swap16(int v) {
        return Short.reverseBytes((short) v) & 0xFFFF;
    }

    /**
     * Sum of the range as native-order 32-bit words (and a 16-bit and byte tail), not folded.
     * Little-endian only (the fast path's byte order).
     */
    private static long sumN(MemorySegment s, long offset, int length) {
        if (length > 8 && length <= 24) {
            // 9 to 24 bytes (the payload of a minimum-size frame is 18 to 22) without a loop: the
            // first 8 or 16 bytes, then the last 8 shifted to drop those already summed (bytes keep
            // their offsets' parity, so the 16-bit words pair up as in memory)
            long a = s.get(LONG_N, offset);
            long z = s.get(LONG_N, offset + length - 8);
            long acc = (a & LOW_32) + (a >>> 32);
            if (length > 16) {
                long b = s.get(LONG_N, offset + 8);
                acc += (b & LOW_32) + (b >>> 32);
                z >>>= (24 - length) << 3;
            } else {
                z >>>= (16 - length) << 3;
            }
            return acc + (z & LOW_32) + (z >>> 32);
        }
        return sumLoop(s, offset, length);
    }

    /** {@link #sumN} for 0 to 8 and over 24 bytes (apart so that sumN stays small enough to inline). */
    private static long sumLoop(MemorySegment s, long offset, int length) {
        long acc = 0;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            long w = s.get(LONG_N, offset + i);
            acc += (w & LOW_32) + (w >>> 32);
        }
        int tail = length - i;
        if (tail > 0 && i > 0) {
            // the last 8 bytes of the range in one load; shifting out the ones already summed
            // leaves the tail's bytes at the bottom in order, as the narrower loads below would
            long w = s.get(LONG_N, offset + length - 8) >>> ((8 - tail) << 3);
            return acc + (w & LOW_32) + (w >>> 32);
        }
        if (i + 4 <= length) {
            acc += s.get(INT_N, offset + i) & LOW_32;
            i += 4;
        }
        if (i + 2 <= length) {
            acc += s.get(SHORT_N, offset + i) & 0xFFFF;
            i += 2;
        }
        if (i < length) {
            acc += s.get(ValueLayout.JAVA_BYTE, offset + i) & 0xFF; // a last odd byte is a word's high byte
        }
        return acc;
    }

    /**
     * Writes a frame's headers in front of a payload already in place at {@code offset + 42}.
     *
     * @param segment the frame's memory
     * @param offset the frame's first byte
     * @param payloadLength payload bytes, 0 to {@link Packets#MAX_UDP_PAYLOAD_LENGTH}
     * @param identification IPv4 identification, 0 to 65535 (lower 16 bits used)
     * @return the frame length: {@code 42 + payloadLength}
     * @throws IllegalArgumentException for a payload length out of range
     * @throws IndexOutOfBoundsException when the frame is not inside the segment
     */
    public int write(MemorySegment segment, long offset, int payloadLength, int identification) {
        if (payloadLength < 0 || payloadLength > Packets.MAX_UDP_PAYLOAD_LENGTH) {
            throw new IllegalArgumentException("invalid UDP payload length " + payloadLength + ": it must be 0 to "
                    + Packets.MAX_UDP_PAYLOAD_LENGTH);
        }
        int frameLength = Packets.UDP_HEADERS_LENGTH + payloadLength;
        Checksums.checkRange(segment, offset, frameLength);
        int udpLength = UdpHeader.LENGTH + payloadLength;
        int totalLength = Ipv4Header.LENGTH + udpLength;
        int id = identification & 0xFFFF;
        if (LE) {
            int lenN = swap16(totalLength);
            int idN = swap16(id);
            int udpLenN = swap16(udpLength);
            int ipChecksum = ~Checksums.fold(ipBaseN + lenN + idN) & 0xFFFF;
            segment.set(LONG_N, offset, h0);
            segment.set(LONG_N, offset + 8, h1);
            segment.set(LONG_N, offset + 16, h2 | lenN | (long) idN << 16);
            segment.set(LONG_N, offset + 24, h3 | ipChecksum);
            segment.set(LONG_N, offset + 32, h4 | (long) udpLenN << 48);
            long acc = udpBaseN + 2L * udpLenN + sumN(segment, offset + Packets.UDP_HEADERS_LENGTH, payloadLength);
            int checksum = ~Checksums.fold(acc) & 0xFFFF;
            segment.set(SHORT_N, offset + UDP + 6, (short) (checksum == 0 ? 0xFFFF : checksum));
            return frameLength;
        }
        writePortable(segment, offset, payloadLength, id);
        return frameLength;
    }

    /**
     * {@link #write} in network byte order, for big-endian machines (its accesses name their byte
     * order, so it works, and is tested, on any machine); arguments already checked by
     * {@code write}. A method of its own so that {@link #write} stays under C2's size limit for
     * inlining a hot method (325 bytecodes): not inlined, it cost a call and re-checks per packet.
     */
    void writePortable(MemorySegment segment, long offset, int payloadLength, int id) {
        int udpLength = UdpHeader.LENGTH + payloadLength;
        int totalLength = Ipv4Header.LENGTH + udpLength;
        MemorySegment.copy(header, 0, segment, offset, Packets.UDP_HEADERS_LENGTH);
        segment.set(SHORT_BE, offset + IP + 2, (short) totalLength);
        segment.set(SHORT_BE, offset + IP + 4, (short) id);
        segment.set(SHORT_BE, offset + IP + Ipv4Header.CHECKSUM_OFFSET,
                (short) ~Checksums.fold(ipBaseSum + totalLength + id));
        segment.set(SHORT_BE, offset + UDP + 4, (short) udpLength);
        long sum = udpBaseSum + 2L * udpLength + Checksums.sum(segment, offset + UDP + UdpHeader.LENGTH, payloadLength);
        int checksum = ~Checksums.fold(sum) & 0xFFFF;
        segment.set(SHORT_BE, offset + UDP + 6, (short) (checksum == 0 ? 0xFFFF : checksum));
    }

    /**
     * Checks a received Ethernet/IPv4/UDP frame (no IP options): the IPv4 header checksum, the
     * UDP length against the frame length, and the UDP checksum over the pseudo header read from
     * the frame. Never throws for a frame inside the segment; does not allocate.
     *
     * @param segment the frame's memory
     * @param offset the frame's first byte
     * @param length the frame length
     * @return true when both checksums verify
     */
    public static boolean verify(MemorySegment segment, long offset, int length) {
        if (length < Packets.UDP_HEADERS_LENGTH || offset < 0 || offset > segment.byteSize() - length) {
            return false;
        }
        if (LE) {
            long ip = offset + IP;
            long w0 = segment.get(LONG_N, ip);
            long w1 = segment.get(LONG_N, ip + 8);
            long w2 = segment.get(INT_N, ip + 16) & LOW_32;
            if (Checksums.fold((w0 & LOW_32) + (w0 >>> 32) + (w1 & LOW_32) + (w1 >>> 32) + w2) != 0xFFFF) {
                return false;
            }
            long udpHead = segment.get(LONG_N, offset + UDP); // ports, length, checksum
            int udpLengthN = (int) (udpHead >>> 32) & 0xFFFF;
            int udpLength = swap16(udpLengthN);
            if (udpLength != length - Packets.UDP_OFFSET) {
                return false;
            }
            // pseudo header (addresses: IPv4 bytes 12..19, i.e. the high half of w1 and w2), then the UDP header and payload
            long acc = (w1 >>> 32) + w2 + PROTOCOL_WORD_N + udpLengthN + (udpHead & LOW_32) + (udpHead >>> 32)
                    + sumN(segment, offset + UDP + UdpHeader.LENGTH, udpLength - UdpHeader.LENGTH);
            return Checksums.fold(acc) == 0xFFFF;
        }
        return verifyPortable(segment, offset, length);
    }

    /**
     * {@link #verify} in network byte order, for big-endian machines (any machine, as {@link
     * #writePortable}); the length and range already checked by {@code verify}.
     */
    static boolean verifyPortable(MemorySegment segment, long offset, int length) {
        if (Checksums.sum(segment, offset + IP, Ipv4Header.LENGTH) != 0xFFFF) {
            return false;
        }
        int udpLength = segment.get(SHORT_BE, offset + UDP + 4) & 0xFFFF;
        if (udpLength != length - Packets.UDP_OFFSET) {
            return false;
        }
        long sum = Checksums.sum(segment, offset + IP + 12, 8) + Ipv4Header.PROTOCOL_UDP + udpLength
                + Checksums.sum(segment, offset + UDP, udpLength);
        return Checksums.fold(sum) == 0xFFFF;
    }
}
